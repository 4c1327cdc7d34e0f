#!/usr/bin/env bash
# Sets up everything on a fresh machine and runs every check: lint, typecheck and all tests (one local
# Kubernetes control plane is started for the whole run and stopped at the end).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/node-env.sh
export EBB_CLUSTER_NAME="${EBB_CLUSTER_NAME:-ebb-test-$$}"
cleanup() { npm run --silent cluster -- down --name "$EBB_CLUSTER_NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT
EBB_TEST_KUBECONFIG="$(npm run --silent cluster -- up --name "$EBB_CLUSTER_NAME")"
export EBB_TEST_KUBECONFIG
echo "[test] local cluster up: $EBB_TEST_KUBECONFIG" >&2
npx nx sync:check
# The whole run is also kept in a log; when something fails, the failures are printed again at the very end so
# that they are the last thing a CI log shows, not buried under the other projects' output.
log="$(mktemp -t ebb-test.XXXXXX.log)"
set +e
npx nx run-many -t lint typecheck test --parallel=2 --outputStyle=stream --skipNxCache 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [[ "$status" != "0" ]]; then
  node scripts/failure-summary.ts "$log" || true
fi
rm -f "$log"
exit "$status"
