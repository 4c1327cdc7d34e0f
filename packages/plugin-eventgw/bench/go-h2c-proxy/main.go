// A minimal Go h2c reverse proxy (golang.org/x/net/http2/h2c in front of net/http/httputil.ReverseProxy, HTTP/2
// with prior knowledge to the backend as well), used by the h2c/gRPC benchmark as a reference for what an HTTP/2
// proxy in a compiled language costs per request on the same machine. Usage: go-h2c-proxy <backendPort>; it
// listens on a free loopback port, prints that port on stdout, and serves until killed.
package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-h2c-proxy <backendPort>")
		os.Exit(2)
	}
	target, err := url.Parse("http://127.0.0.1:" + os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	// h2c to the backend: HTTP/2 over a plain TCP connection (prior knowledge), trailers passed on.
	proxy.Transport = &http2.Transport{
		AllowHTTP: true,
		DialTLSContext: func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	proxy.FlushInterval = -1
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(listener.Addr().(*net.TCPAddr).Port)
	server := &http.Server{Handler: h2c.NewHandler(proxy, &http2.Server{MaxConcurrentStreams: 100})}
	if err := server.Serve(listener); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
