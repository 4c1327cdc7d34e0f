#!/usr/bin/env bash
# One-time (idempotent) set-up of a fresh machine: Node 24, npm dependencies, and the local Kubernetes control
# plane binaries (built from the pinned Go modules, cached under ~/.cache/ebb). Seconds when already done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/node-env.sh
stamp="node_modules/.ebb-lock-$(sha256sum package-lock.json | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  echo "[setup] installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch "$stamp"
fi
if [[ "${EBB_SKIP_CLUSTER_BUILD:-}" != "1" ]]; then
  bash tools/cluster/build.sh >/dev/null
fi
