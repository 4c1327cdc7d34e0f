#!/usr/bin/env bash
# Builds the local control plane (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok) and
# metrics-server from the pinned Go modules in tools/cluster/go, once per pinned version, into a cache outside the
# repository.
# Prints the bin directory on stdout. Idempotent: a cache hit takes milliseconds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KWOK_VERSION="v0.7.0"
# The cache key includes the Go version, so Go is needed even to find an earlier build.
command -v go >/dev/null || { echo "build.sh: Go is required to build the local cluster (https://go.dev/dl), or set EBB_CLUSTER_BIN_DIR to a folder with the binaries" >&2; exit 1; }
kube_version="$(awk '/^require k8s.io\/kubernetes/ {print $3}' "$here/go/kube/go.mod")"
etcd_version="$(awk '/go.etcd.io\/etcd\/server\/v3 v/ {print $NF; exit}' "$here/go/etcd/go.mod")"
key="$(cat "$here/go/kube/go.mod" "$here/go/kube/go.sum" "$here/go/etcd/go.mod" "$here/go/etcd/go.sum" \
  <(echo "$KWOK_VERSION") <(go env GOVERSION) | sha256sum | cut -c1-12)"
cache="${EBB_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ebb/cluster}"
bin="$cache/k8s-$kube_version-etcd-$etcd_version-kwok-$KWOK_VERSION-$key/bin"
# metrics-server (serves metrics.k8s.io in tests, reading the kubelet-like endpoint KWOK emulates) has its own
# cache entry keyed by its wrapper module, so adding or bumping it never rebuilds the binaries above. It is linked
# into the bin folder as `metrics-server`. A failed build only warns: the control plane works without it, and the
# tests that need it say that it is missing.
ensure_metrics_server() {
  local dir="$here/go/metrics-server" version key out
  version="$(awk '/^require sigs.k8s.io\/metrics-server/ {print $3}' "$dir/go.mod")"
  key="$(cat "$dir/go.mod" "$dir/go.sum" <(go env GOVERSION) | sha256sum | cut -c1-12)"
  out="$cache/metrics-server-$version-$key/metrics-server"
  if [[ ! -x "$out" ]]; then
    mkdir -p "$(dirname "$out")"
    # One build at a time: parallel test runs wait for the first instead of compiling the same thing.
    (
      command -v flock >/dev/null && flock 9
      [[ -x "$out" ]] && exit 0
      began=$(date +%s)
      echo "[cluster build] building metrics-server $version" >&2
      if (cd "$dir" && CGO_ENABLED=0 go build -trimpath \
          -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$version" \
          -o "$out.tmp.$$" sigs.k8s.io/metrics-server/cmd/metrics-server); then
        mv "$out.tmp.$$" "$out"
        echo "[cluster build] metrics-server built in $(( $(date +%s) - began ))s" >&2
      else
        rm -f "$out.tmp.$$"
        echo "[cluster build] warning: metrics-server $version could not be built; tests that need metrics.k8s.io will fail" >&2
      fi
    ) 9>"$(dirname "$out")/.lock"
  fi
  if [[ -x "$out" ]]; then ln -sfn "$out" "$bin/metrics-server"; fi
}
minor="${kube_version#v1.}"; minor="${minor%%.*}"
vpkg="k8s.io/component-base/version"
ldflags="-s -w -X $vpkg.gitVersion=$kube_version -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean"
ldflags="$ldflags -X k8s.io/client-go/pkg/version.gitVersion=$kube_version -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
# kube-proxy (a real EndpointSlice-driven data plane for the activator-mode tests) is built from the same
# k8s.io/kubernetes version as the control plane, from its own wrapper module (tools/cluster/go/kube-proxy), so that
# adding it never rebuilds the binaries above. It is linked into the bin folder as `kube-proxy`; a failed build
# only warns, and the tests that need it say that it is missing.
ensure_kube_proxy() {
  local dir="$here/go/kube-proxy" version key out
  version="$(awk '/^require k8s.io\/kubernetes/ {print $3}' "$dir/go.mod")"
  if [[ "$version" != "$kube_version" ]]; then
    echo "[cluster build] warning: tools/cluster/go/kube-proxy pins k8s.io/kubernetes $version, the control plane $kube_version; align them" >&2
  fi
  key="$(cat "$dir/go.mod" "$dir/go.sum" <(go env GOVERSION) | sha256sum | cut -c1-12)"
  out="$cache/kube-proxy-$version-$key/kube-proxy"
  if [[ ! -x "$out" ]]; then
    mkdir -p "$(dirname "$out")"
    (
      command -v flock >/dev/null && flock 9
      [[ -x "$out" ]] && exit 0
      began=$(date +%s)
      echo "[cluster build] building kube-proxy $version" >&2
      if (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" \
          -o "$out.tmp.$$" k8s.io/kubernetes/cmd/kube-proxy); then
        mv "$out.tmp.$$" "$out"
        echo "[cluster build] kube-proxy built in $(( $(date +%s) - began ))s" >&2
      else
        rm -f "$out.tmp.$$"
        echo "[cluster build] warning: kube-proxy $version could not be built; the activator-mode data-plane tests will fail" >&2
      fi
    ) 9>"$(dirname "$out")/.lock"
  fi
  if [[ -x "$out" ]]; then ln -sfn "$out" "$bin/kube-proxy"; fi
}
# The custom metrics adapter of the tests (tools/cluster/go/custom-metrics: the test provider of
# sigs.k8s.io/custom-metrics-apiserver, serving custom.metrics.k8s.io and external.metrics.k8s.io; custom metric values
# are set through its write endpoint) has its own cache entry keyed by its module and main.go. It is linked into the
# bin folder as `custom-metrics-adapter`; a failed build only warns, and the tests that need it say that it is missing.
ensure_custom_metrics_adapter() {
  local dir="$here/go/custom-metrics" version key out
  version="$(awk '/sigs.k8s.io\/custom-metrics-apiserver v/ {print $NF; exit}' "$dir/go.mod")"
  key="$(cat "$dir/go.mod" "$dir/go.sum" "$dir/main.go" <(go env GOVERSION) | sha256sum | cut -c1-12)"
  out="$cache/custom-metrics-adapter-$version-$key/custom-metrics-adapter"
  if [[ ! -x "$out" ]]; then
    mkdir -p "$(dirname "$out")"
    (
      command -v flock >/dev/null && flock 9
      [[ -x "$out" ]] && exit 0
      began=$(date +%s)
      echo "[cluster build] building the custom metrics adapter (custom-metrics-apiserver $version)" >&2
      if (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out.tmp.$$" .); then
        mv "$out.tmp.$$" "$out"
        echo "[cluster build] custom metrics adapter built in $(( $(date +%s) - began ))s" >&2
      else
        rm -f "$out.tmp.$$"
        echo "[cluster build] warning: the custom metrics adapter (custom-metrics-apiserver $version) could not be built; tests that need custom.metrics.k8s.io will fail" >&2
      fi
    ) 9>"$(dirname "$out")/.lock"
  fi
  if [[ -x "$out" ]]; then ln -sfn "$out" "$bin/custom-metrics-adapter"; fi
}
ensure_extras() { ensure_metrics_server; ensure_kube_proxy; ensure_custom_metrics_adapter; }
if [[ -f "$bin/.complete" ]]; then ensure_extras; echo "$bin"; exit 0; fi
mkdir -p "$bin"
# One build at a time (held until this script exits): parallel test runs on a fresh machine wait for the first
# instead of compiling the same binaries into the same files.
exec 8>"$(dirname "$bin")/.build.lock"
if command -v flock >/dev/null; then
  flock 8
  if [[ -f "$bin/.complete" ]]; then ensure_extras; echo "$bin"; exit 0; fi
fi
log() { echo "[cluster build] $*" >&2; }
start=$(date +%s)
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  if [[ ! -x "$bin/$cmd" ]]; then
    log "building $cmd $kube_version"
    (cd "$here/go/kube" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd")
    mv "$bin/$cmd.tmp" "$bin/$cmd"
  fi
done
if [[ ! -x "$bin/etcd" ]]; then
  log "building etcd $etcd_version"
  (cd "$here/go/etcd" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$bin/etcd.tmp" "$bin/etcd"
fi
if [[ ! -x "$bin/kwok" ]]; then
  log "building kwok $KWOK_VERSION"
  GOBIN="$bin" CGO_ENABLED=0 GOFLAGS=-trimpath go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
fi
touch "$bin/.complete"
log "done in $(( $(date +%s) - start ))s"
ensure_extras
echo "$bin"
