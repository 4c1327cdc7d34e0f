// A minimal Go reverse proxy (net/http/httputil), used by the gateway benchmark as a reference for what a proxy
// in a compiled language costs per request on the same machine. Usage: go-proxy <backendPort>; it listens on a
// free loopback port, prints that port on stdout, and serves until killed.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-proxy <backendPort>")
		os.Exit(2)
	}
	target, err := url.Parse("http://127.0.0.1:" + os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024}
	// wrk closing its connections at the end of a run cancels requests in flight: not worth a log line each.
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(listener.Addr().(*net.TCPAddr).Port)
	if err := http.Serve(listener, proxy); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
