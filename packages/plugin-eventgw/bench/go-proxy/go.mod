module ebb.dev/bench/go-proxy

go 1.24
