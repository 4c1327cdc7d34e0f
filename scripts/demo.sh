#!/usr/bin/env bash
# The demo on a fresh machine: sets everything up (Node 24, npm dependencies, the local Kubernetes control plane
# binaries, built once), then runs apps/scaler/src/demo/main.ts: the local cluster (reused if `npm run cluster --
# up` already started it, else started and stopped again), the scaler and the event gateway, and a "coffee"
# Deployment under load with a live view, the reserve pod, and a summary. About 2-3 minutes; Ctrl-C cleans up.
# Environment: EBB_DEMO_CLIENTS (90), EBB_DEMO_SECONDS (30), EBB_DEMO_CLUSTER (default).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/node-env.sh
exec node --conditions=@ebb/source --disable-warning=ExperimentalWarning apps/scaler/src/demo/main.ts "$@"
