#!/usr/bin/env bash
# Builds the helm CLI from its Go module (helm.sh/helm/v3, through the Go module proxy), once per pinned version and
# Go version, into a cache outside the repository. Used by the chart tests (`helm lint`, `helm template`).
# Prints the bin directory on stdout. Idempotent: a cache hit takes milliseconds.
#   EBB_HELM_BIN_DIR   use a folder that already holds `helm` instead of building
#   EBB_HELM_CACHE     cache folder (default ~/.cache/ebb/helm)
set -euo pipefail
HELM_VERSION="v3.22.0"
if [[ -n "${EBB_HELM_BIN_DIR:-}" ]]; then
  [[ -x "$EBB_HELM_BIN_DIR/helm" ]] || { echo "build.sh: EBB_HELM_BIN_DIR=$EBB_HELM_BIN_DIR has no executable helm" >&2; exit 1; }
  echo "$EBB_HELM_BIN_DIR"; exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is required to build helm (https://go.dev/dl), or set EBB_HELM_BIN_DIR to a folder with helm" >&2; exit 1; }
key="$(printf '%s\n%s\n' "$HELM_VERSION" "$(go env GOVERSION)" | sha256sum | cut -c1-12)"
cache="${EBB_HELM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ebb/helm}"
bin="$cache/helm-$HELM_VERSION-$key/bin"
if [[ -x "$bin/helm" ]]; then echo "$bin"; exit 0; fi
mkdir -p "$bin"
# One build at a time: parallel test runs wait for the first instead of compiling the same thing.
(
  command -v flock >/dev/null && flock 9
  [[ -x "$bin/helm" ]] && exit 0
  began=$(date +%s)
  echo "[helm build] building helm $HELM_VERSION" >&2
  tmp="$(mktemp -d "$cache/.gobin.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-trimpath go install \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  mv "$tmp/helm" "$bin/helm"
  echo "[helm build] done in $(( $(date +%s) - began ))s" >&2
) 9>"$cache/.lock"
[[ -x "$bin/helm" ]] || { echo "build.sh: helm $HELM_VERSION was not built" >&2; exit 1; }
echo "$bin"
