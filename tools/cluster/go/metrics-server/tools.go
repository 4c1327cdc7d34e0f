//go:build tools

// Package metricsserver pins the metrics-server that serves metrics.k8s.io on the local test cluster.
package metricsserver

import (
	_ "sigs.k8s.io/metrics-server/cmd/metrics-server"
)
