#!/usr/bin/env bash
# The main job on a fresh machine: sets everything up, starts the local Kubernetes control plane (unless
# EBB_KUBECONFIG names a cluster to use instead), applies the annotated sample Deployment, and runs the scaler
# in the foreground (Ctrl-C stops it; `npm run cluster -- down` stops the local cluster).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/node-env.sh
if [[ -n "${EBB_KUBECONFIG:-}" ]]; then
  kubeconfig="$EBB_KUBECONFIG"
  echo "[run] using the cluster of $kubeconfig" >&2
else
  kubeconfig="$(npm run --silent cluster -- up)"
  echo "[run] local cluster up; kubeconfig: $kubeconfig" >&2
fi
kubectl="$(bash tools/cluster/build.sh)/kubectl"
"$kubectl" --kubeconfig "$kubeconfig" apply -f examples/sample-deployment.yaml >&2
echo "[run] sample Deployment default/coffee applied; watch it with:" >&2
echo "      $kubectl --kubeconfig $kubeconfig get deploy coffee -w" >&2
exec node --conditions=@ebb/source --disable-warning=ExperimentalWarning apps/scaler/src/main.ts run \
  --kubeconfig "$kubeconfig" --config examples/scaler-local.yaml "$@"
