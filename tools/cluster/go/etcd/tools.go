//go:build tools

// Package etcd pins the etcd server that the local test cluster builds.
package etcd

import (
	_ "go.etcd.io/etcd/server/v3"
)
