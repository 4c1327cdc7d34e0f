#!/usr/bin/env bash
# Sets up everything on a fresh machine and runs every check: lint, typecheck and all tests (one local
# Kubernetes control plane is started for the whole run and stopped at the end).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Set-up must leave the checkout as it found it (a fresh clone stays clean): every file's status and content is
# compared before and after, so a lock file or generated file rewritten by an install step fails the run here.
in_git() { git rev-parse --is-inside-work-tree >/dev/null 2>&1; }
tree_state() {
  git status --porcelain=v1 --untracked-files=all | while IFS= read -r line; do
    printf '%s %s\n' "$line" "$(git hash-object -- "${line:3}" 2>/dev/null || echo -)"
  done
}
if in_git; then before="$(tree_state)"; fi
bash scripts/setup.sh
if in_git; then
  changed="$(diff <(echo "$before") <(tree_state) | grep '^>' | cut -c3- || true)"
  if [[ -n "$changed" ]]; then
    echo "[test] scripts/setup.sh changed files of the repository; set-up must leave a checkout unchanged:" >&2
    echo "$changed" | sed 's/^/[test]   /' >&2
    echo "[test] commit what the install step writes (e.g. package-lock.json as npm writes it) or make it write elsewhere" >&2
    exit 1
  fi
fi
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
npx nx run-many -t lint typecheck test test-netns --parallel=2 --outputStyle=stream --skipNxCache 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [[ "$status" != "0" ]]; then
  node scripts/failure-summary.ts "$log" || true
fi
rm -f "$log"
exit "$status"
