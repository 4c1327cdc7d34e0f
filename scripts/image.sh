#!/usr/bin/env bash
# Builds the `ebb` image without a Docker engine, with buildah, offline except for the npm registry:
#
#   bash scripts/image.sh            prints the image reference (ghcr.io/ebb-dev/ebb:<version>, the chart's default)
#
# The same content as deploy/docker/Dockerfile, but with no base image to pull: the root filesystem is assembled
# from the Node 24 binary the project uses (.tools/node or the system's), the shared libraries it links (ldd),
# an /etc/passwd with the unprivileged user 1000, the production node_modules of @ebb/scaler's workspaces
# (deploy/docker/scaler-workspaces.mjs, as in the Dockerfile's deps stage) and their compiled dist folders.
# Nothing else: no shell, no npm, no package manager. It runs as 1000:1000 and writes only to /tmp.
#
# Built once per inputs (sources, manifests, lock, this script, the Node binary and libraries): the hash is the
# folder ~/.cache/ebb/image/<hash>/ (EBB_IMAGE_CACHE), which keeps the image id, its size and the SBOM
# (CycloneDX: the npm packages from `npm sbom` plus Node and the Debian libraries); the image is also tagged
# localhost/ebb:inputs-<hash>. Load it into a cluster with
# `podman save ghcr.io/ebb-dev/ebb:0.1.0 -o ebb.tar` and e.g. `kind load image-archive ebb.tar`.
# Environment: EBB_IMAGE overrides the reference.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/node-env.sh
log() { echo "[image] $*" >&2; }
for tool in buildah podman; do
  command -v "$tool" >/dev/null || { log "$tool is missing: apt-get install podman buildah runc (Debian), or build deploy/docker/Dockerfile with Docker"; exit 3; }
done

version="$(node -p 'require("./apps/scaler/package.json").version')"
ref="${EBB_IMAGE:-ghcr.io/ebb-dev/ebb:$version}"
cache="${EBB_IMAGE_CACHE:-$HOME/.cache/ebb/image}"
node_bin="$(command -v node)"
mapfile -t workspaces < <(node deploy/docker/scaler-workspaces.mjs)
mapfile -t libs < <(ldd "$node_bin" | grep -o '/[^ ]*' | sort -u)

# The inputs: everything that ends up in the image or decides what does.
inputs_hash() {
  {
    find "${workspaces[@]/%//src}" -type f -name '*.ts' ! -name '*.test.ts' ! -path '*/test-support/*' -print0 | sort -z | xargs -0 sha256sum
    sha256sum package.json package-lock.json tsconfig.base.json tsconfig.json deploy/docker/* scripts/image.sh \
      {packages,apps,examples}/*/package.json "${workspaces[@]/%//tsconfig.lib.json}"
    "$node_bin" --version
    for lib in "${libs[@]}"; do sha256sum "$(readlink -f "$lib")"; done
  } | sha256sum | cut -c1-16
}
hash="$(inputs_hash)"
out="$cache/$hash"
# Every build is also tagged with its inputs, so that one built before (and since re-tagged by a build of other
# inputs, e.g. in another checkout) is found again and only re-tagged.
by_inputs="localhost/ebb:inputs-$hash"
if [[ -f "$out/image-id" ]] && [[ "$(podman image inspect --format '{{.Id}}' "$by_inputs" 2>/dev/null)" == "$(cat "$out/image-id")" ]]; then
  podman tag "$by_inputs" "$ref"
  log "up to date: $ref ($(cat "$out/size")), inputs $hash, id $(cut -c1-12 "$out/image-id")"
  echo "$ref"
  exit 0
fi

started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/ebb-image.XXXXXX")"
container=""
cleanup() {
  [[ -n "$container" ]] && buildah rm "$container" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fs="$work/rootfs"
app="$fs/app"

log "compiling (tsc --build apps/scaler/tsconfig.lib.json)"
npx tsc --build apps/scaler/tsconfig.lib.json

log "installing production dependencies of ${workspaces[*]}"
mkdir -p "$app"
cp package.json package-lock.json "$app/"
for manifest in {packages,apps,examples}/*/package.json; do
  mkdir -p "$app/$(dirname "$manifest")" && cp "$manifest" "$app/$manifest"
done
cp deploy/docker/scaler-workspaces.mjs "$work/"
(
  cd "$app"
  node "$work/scaler-workspaces.mjs" --prune >/dev/null
  npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  node "$work/scaler-workspaces.mjs" --clean
  npm sbom --omit=dev --sbom-format=cyclonedx >"$work/npm-sbom.json"
  rm -f package-lock.json node_modules/.package-lock.json
  # Type declarations and source maps of the dependencies are not needed to run (45 MB of @kubernetes/client-node).
  find . -path '*/node_modules/*' -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete
)
# The JavaScript compiled from the current sources only: dist/ may still hold the output of a deleted source.
for d in "${workspaces[@]}"; do
  while IFS= read -r -d '' source; do
    js="${source%.ts}.js"
    install -D -m 0644 "$d/dist/$js" "$app/$d/dist/$js"
  done < <(cd "$d/src" && find . -type f -name '*.ts' ! -name '*.test.ts' ! -name '*.bench.ts' ! -name '*.d.ts' ! -path '*/test-support/*' -print0)
done
test -f "$app/apps/scaler/dist/main.js"

log "assembling the root filesystem: Node $("$node_bin" --version) and ${#libs[@]} shared libraries"
install -D -m 0755 "$node_bin" "$fs/usr/local/bin/node"
for lib in "${libs[@]}"; do install -D -m 0755 "$(readlink -f "$lib")" "$fs$lib"; done
mkdir -p "$fs/etc" "$fs/tmp" "$fs/home/node"
chmod 1777 "$fs/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/home/node:/sbin/nologin\n' >"$fs/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$fs/etc/group"
chown 1000:1000 "$fs/home/node"
node deploy/docker/image-sbom.mjs "$work/npm-sbom.json" "$version" "$node_bin" "${libs[@]}" >"$app/sbom.cdx.json"

log "committing $ref"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
container="$(buildah from scratch)"
buildah copy --quiet "$container" "$fs" / >/dev/null
buildah config \
  --user 1000:1000 --workingdir /app \
  --env PATH=/usr/local/bin:/usr/bin:/bin --env NODE_ENV=production --env HOME=/home/node \
  --entrypoint '["node", "/app/apps/scaler/dist/main.js"]' --cmd run \
  --port 8080 --port 9090 \
  --label org.opencontainers.image.title=ebb \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.created=$created" \
  --label org.opencontainers.image.licenses=Apache-2.0 \
  --label "org.opencontainers.image.description=ebb run (the scaler, default) and ebb gateway" \
  --label dev.ebb.sbom=/app/sbom.cdx.json \
  "$container"
id="$(buildah commit --quiet --rm "$container" "$by_inputs")"
podman tag "$by_inputs" "$ref"
container=""
mkdir -p "$out"
size="$(podman image inspect --format '{{.Size}}' "$by_inputs")"
echo "$(( size / 1000000 )) MB" >"$out/size"
cp "$app/sbom.cdx.json" "$out/sbom.cdx.json"
podman image inspect --format '{{.Id}}' "$by_inputs" >"$out/image-id"
# Keep the three newest builds (of other inputs: other checkouts, other commits), remove the older ones.
podman images --format '{{.Tag}}' localhost/ebb | grep '^inputs-' | while read -r tag; do
  echo "$(podman image inspect --format '{{.Created.Unix}}' "localhost/ebb:$tag") ${tag#inputs-}"
done | sort -rn | tail -n +4 | while read -r _ old; do
  podman rmi "localhost/ebb:inputs-$old" >/dev/null 2>&1 && rm -rf "${cache:?}/$old" || true
done
log "built $ref (inputs $hash, id ${id:0:12}, $(cat "$out/size")) in $((SECONDS - started)) s; SBOM: $out/sbom.cdx.json"
echo "$ref"
