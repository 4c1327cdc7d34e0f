#!/usr/bin/env bash
# Runs a command (a test run) inside a private network namespace made for data-plane tests: loopback up, the pod
# network routed to it (EBB_CLUSTER_POD_NETWORK, non-loopback addresses that EndpointSlices accept), and the
# Service network routed through it with a source address, so that kube-proxy can route ClusterIPs there. Nothing
# done inside touches the machine's own network: the namespace ends with the command.
# The local cluster's binaries are built first (that needs the Go module proxy, which the namespace cannot reach).
# The command starts its own local cluster inside (a cluster outside, e.g. EBB_TEST_KUBECONFIG, is unreachable).
# Usage: bash scripts/in-pod-netns.sh <command> [args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -gt 0 ]] || { echo "usage: $0 <command> [args...]" >&2; exit 2; }
command -v unshare >/dev/null && command -v ip >/dev/null || {
  echo "in-pod-netns: needs unshare (util-linux) and ip (iproute2)" >&2; exit 1; }
pod_network="${EBB_NETNS_POD_NETWORK:-198.18.0.0/15}"
# The local cluster's Service range (packages/testing/src/component-args.ts SERVICE_CIDR) and a node address.
service_network="10.96.0.0/16"
node_address="10.255.0.1"
bash "$root/tools/cluster/build.sh" >/dev/null
EBB_HOST_NETNS="$(readlink /proc/self/ns/net)"
export EBB_HOST_NETNS
unset EBB_TEST_KUBECONFIG
exec unshare --net --map-root-user -- bash -c '
  set -euo pipefail
  ip link set lo up
  ip route add local "$1" dev lo
  ip addr add "$3/32" dev lo
  ip route add "$2" dev lo src "$3"
  export EBB_CLUSTER_POD_NETWORK="$1"
  shift 3
  exec "$@"' in-pod-netns "$pod_network" "$service_network" "$node_address" "$@"
