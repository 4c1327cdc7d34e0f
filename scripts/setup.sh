#!/usr/bin/env bash
# One-time (idempotent) set-up of a fresh machine: Node 24, npm dependencies, and the local Kubernetes control
# plane binaries (built from the pinned Go modules, cached under ~/.cache/ebb). Seconds when already done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/node-env.sh
# `npm install` with the committed lock: it installs the locked versions and leaves the lock as it is. The lock
# is committed as npm writes it, with every platform's optional packages (rollup's native builds), even where the
# registry serves only this platform's: with any of them missing, npm adds them back and set-up would change a
# tracked file (scripts/test.sh fails when set-up changes the checkout).
stamp_of() { cat package.json package-lock.json packages/*/package.json apps/*/package.json | sha256sum | cut -c1-16; }
if [[ ! -f "node_modules/.ebb-installed-$(stamp_of)" ]]; then
  echo "[setup] installing npm dependencies" >&2
  npm install --no-audit --no-fund --loglevel=error >&2
  rm -f node_modules/.ebb-installed-*
  touch "node_modules/.ebb-installed-$(stamp_of)"
fi
# Debian packages the tests and benchmarks use: Prometheus (the KPA's PromQL collector is tested against a real
# one), wrk and h2load from nghttp2-client (gateway benchmarks), and buildah, podman and runc (scripts/image.sh builds the container image
# without a Docker engine, and its test runs it), nftables and iproute2 (kube-proxy routes ClusterIPs in the
# data-plane tests' private network namespace, scripts/in-pod-netns.sh).
if ! command -v prometheus >/dev/null || ! command -v wrk >/dev/null || ! command -v h2load >/dev/null || ! command -v buildah >/dev/null || ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v nft >/dev/null || ! command -v ip >/dev/null; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    echo "[setup] installing Debian packages: prometheus wrk nghttp2-client buildah podman runc nftables iproute2" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus wrk nghttp2-client buildah podman runc nftables iproute2 >&2
  else
    echo "[setup] please install Debian's prometheus, wrk, nghttp2-client, buildah, podman, runc, nftables and iproute2 packages (sudo apt-get install prometheus wrk nghttp2-client buildah podman runc nftables iproute2)" >&2
  fi
fi
if [[ "${EBB_SKIP_CLUSTER_BUILD:-}" != "1" ]]; then
  # The control plane (and metrics-server), then helm for the chart's tests; each is built once and cached.
  bash tools/cluster/build.sh >/dev/null
  bash tools/helm/build.sh >/dev/null
fi
