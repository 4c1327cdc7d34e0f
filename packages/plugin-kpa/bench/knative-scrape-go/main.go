// Command knative-scrape-go runs Knative Serving's own metric collection and KPA decisions for every revision in a
// namespace, as the autoscaler does for revisions that scrape their pods directly: per revision a
// pkg/autoscaler/metrics MetricCollector collection with its StatsScraper (Knative's sampling, one scrape round a
// second over the sampled pods' queue-proxy :9090, protobuf Stat), and a pkg/autoscaler/scaling decider ticking
// every 2 s on its own goroutine (as the MultiScaler does). Pods come from a client-go pod informer through
// Knative's resources.PodAccessor (label serving.knative.dev/revision); the ready count from the same lister.
// It writes nothing to the cluster: a change of a revision's desired count is printed as
// `DECIDE <name> <desired> <unix ms>`; `READY <revisions>` once every collection runs.
//
// Build: go build -o /tmp/knative-scrape-go .   (GOFLAGS=-mod=mod; apps/scaler/bench/scale-scrape.ts does this)
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	netcfg "knative.dev/networking/pkg/config"
	"knative.dev/serving/pkg/apis/autoscaling"
	autoscalingv1alpha1 "knative.dev/serving/pkg/apis/autoscaling/v1alpha1"
	"knative.dev/serving/pkg/apis/serving"
	"knative.dev/serving/pkg/autoscaler/metrics"
	"knative.dev/serving/pkg/autoscaler/scaling"
	"knative.dev/serving/pkg/resources"
)

// byRevision is the informer index of pods by their revision label.
const byRevision = "revision"

// readyCounter counts a revision's Ready pods from the informer's revision index: one map lookup, as Knative's
// count of the private Service's endpoints (a lister Get by name).
type readyCounter struct {
	indexer  cache.Indexer
	revision string
}

func (r readyCounter) ReadyCount() (int, error) {
	pods, err := r.indexer.ByIndex(byRevision, r.revision)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range pods {
		p := o.(*corev1.Pod)
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue && p.DeletionTimestamp == nil {
				n++
			}
		}
	}
	return n, nil
}
func (r readyCounter) NotReadyCount() (int, error) { return 0, nil }

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster")
	namespace := flag.String("namespace", "bench", "namespace of the revisions' pods")
	target := flag.Float64("target", 10, "target in-flight requests per pod")
	tick := flag.Duration("tick", 2*time.Second, "decision tick")
	flag.Parse()

	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fail(err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	kube := kubernetes.NewForConfigOrDie(cfg)
	factory := informers.NewSharedInformerFactoryWithOptions(kube, 10*time.Hour, informers.WithNamespace(*namespace))
	podInformer := factory.Core().V1().Pods()
	lister := podInformer.Lister()
	if err := podInformer.Informer().AddIndexers(cache.Indexers{byRevision: func(o any) ([]string, error) {
		return []string{o.(*corev1.Pod).Labels[serving.RevisionLabelKey]}, nil
	}}); err != nil {
		fail(err)
	}
	stop := make(chan struct{})
	factory.Start(stop)
	factory.WaitForCacheSync(stop)

	started := time.Now()
	all, err := lister.Pods(*namespace).List(labels.Everything())
	if err != nil {
		fail(err)
	}
	revisions := map[string]bool{}
	for _, p := range all {
		if r := p.Labels[serving.RevisionLabelKey]; r != "" {
			revisions[r] = true
		}
	}

	logger := zap.NewNop().Sugar()
	mp := noop.NewMeterProvider()
	collector := metrics.NewMetricCollector(func(m *autoscalingv1alpha1.Metric, l *zap.SugaredLogger) (metrics.StatsScraper, error) {
		accessor := resources.NewPodAccessor(lister, m.Namespace, m.Name)
		return metrics.NewStatsScraper(m, m.Name, accessor, false, netcfg.MeshCompatibilityModeDisabled, l, mp), nil
	}, logger)

	out := bufio.NewWriter(os.Stdout)
	var outMu sync.Mutex
	print := func(format string, args ...any) {
		outMu.Lock()
		defer outMu.Unlock()
		fmt.Fprintf(out, format, args...)
		out.Flush()
	}
	created := 0
	for name := range revisions {
		if created++; created%1000 == 0 {
			fmt.Fprintf(os.Stderr, "knative-scrape-go: %d of %d revisions after %s\n", created, len(revisions), time.Since(started).Round(time.Millisecond))
		}
		m := &autoscalingv1alpha1.Metric{
			ObjectMeta: metav1.ObjectMeta{Namespace: *namespace, Name: name, Labels: map[string]string{serving.RevisionLabelKey: name}},
			Spec:       autoscalingv1alpha1.MetricSpec{StableWindow: 60 * time.Second, PanicWindow: 6 * time.Second, ScrapeTarget: name + "-private"},
		}
		if err := collector.CreateOrUpdate(m); err != nil {
			fail(err)
		}
		spec := &scaling.DeciderSpec{
			MaxScaleUpRate: 1000, MaxScaleDownRate: 2, ScalingMetric: autoscaling.Concurrency,
			TargetValue: *target, TotalValue: 100, TargetBurstCapacity: 200, PanicThreshold: 2,
			StableWindow: 60 * time.Second, ActivationScale: 1, Reachable: true,
		}
		counter := readyCounter{indexer: podInformer.Informer().GetIndexer(), revision: name}
		decider := scaling.New(attribute.NewSet(), mp, *namespace, name, collector, counter, spec)
		go func(name string) {
			last := int32(-1)
			t := time.NewTicker(*tick)
			for now := range t.C {
				r := decider.Scale(logger, now)
				if r.ScaleValid && r.DesiredPodCount != last {
					last = r.DesiredPodCount
					print("DECIDE %s %d %d\n", name, r.DesiredPodCount, time.Now().UnixMilli())
				}
			}
		}(name)
	}
	print("READY %d\n", len(revisions))
	select {}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
