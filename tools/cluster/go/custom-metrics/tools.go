//go:build tools

// Package custommetrics pins the test adapter of sigs.k8s.io/custom-metrics-apiserver, which serves
// custom.metrics.k8s.io and external.metrics.k8s.io on the local test cluster (custom metric values are set by
// POSTing to its write endpoint; its external metrics are fixed examples).
package custommetrics

import (
	_ "sigs.k8s.io/custom-metrics-apiserver/test-adapter"
)
