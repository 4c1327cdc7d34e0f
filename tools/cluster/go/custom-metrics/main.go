// Command custom-metrics-adapter serves custom.metrics.k8s.io and external.metrics.k8s.io to the tests of the
// local cluster. It runs the test provider of sigs.k8s.io/custom-metrics-apiserver (the one its test-adapter
// command runs: custom metric values are set by POSTing a quantity to /write-metrics/..., its external metrics are
// fixed examples) with one difference: the endpoint that sets values listens on --write-address (by default on
// loopback at a port of the caller's choice) instead of on port 8080 of every address, so it cannot collide with
// test pods serving 8080 on their own addresses.
package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/emicklei/go-restful/v3"
	"k8s.io/component-base/logs"
	"k8s.io/klog/v2"

	basecmd "sigs.k8s.io/custom-metrics-apiserver/pkg/cmd"
	testprovider "sigs.k8s.io/custom-metrics-apiserver/test-adapter/provider"
)

func main() {
	logs.InitLogs()
	defer logs.FlushLogs()

	adapter := &basecmd.AdapterBase{Name: "custom-metrics-adapter"}
	writeAddress := "127.0.0.1:8080"
	adapter.Flags().StringVar(&writeAddress, "write-address", writeAddress, "host:port of the endpoint that sets custom metric values")
	logs.AddFlags(adapter.Flags())
	if err := adapter.Flags().Parse(os.Args); err != nil {
		klog.Fatalf("unable to parse flags: %v", err)
	}

	client, err := adapter.DynamicClient()
	if err != nil {
		klog.Fatalf("unable to construct dynamic client: %v", err)
	}
	mapper, err := adapter.RESTMapper()
	if err != nil {
		klog.Fatalf("unable to construct discovery REST mapper: %v", err)
	}
	provider, writeService := testprovider.NewFakeProvider(client, mapper)
	adapter.WithCustomMetrics(provider)
	adapter.WithExternalMetrics(provider)

	listener, err := net.Listen("tcp", writeAddress)
	if err != nil {
		klog.Fatalf("unable to listen on --write-address %s: %v", writeAddress, err)
	}
	container := restful.NewContainer()
	container.Add(writeService)
	go func() {
		server := &http.Server{Handler: container, ReadHeaderTimeout: 3 * time.Second}
		klog.Fatal(server.Serve(listener))
	}()
	klog.Infof("write endpoint on %s", listener.Addr())

	if err := adapter.Run(context.Background()); err != nil {
		klog.Fatalf("unable to run the custom metrics adapter: %v", err)
	}
}
