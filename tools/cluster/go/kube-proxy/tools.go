//go:build tools

// Package kubeproxy pins kube-proxy, built from the same k8s.io/kubernetes version as the control plane
// (tools/cluster/go/kube), for the tests that need a real EndpointSlice-driven data plane.
package kubeproxy

import (
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
