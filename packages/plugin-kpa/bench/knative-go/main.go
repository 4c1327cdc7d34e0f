// Command knative-go times Knative Serving's own KPA decision, `Scale()` of pkg/autoscaler/scaling, reading its
// own metric windows (pkg/autoscaler/metrics.MetricCollector with the aggregation package's buckets), on the
// inputs packages/plugin-kpa/bench/knative-side-by-side.ts gives Ebb's `recommend`. It prints one JSON line.
//
// Build (the side-by-side script does this):  go build -o /tmp/knative-go .   (GOFLAGS=-mod=mod)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"knative.dev/serving/pkg/apis/autoscaling"
	autoscalingv1alpha1 "knative.dev/serving/pkg/apis/autoscaling/v1alpha1"
	"knative.dev/serving/pkg/autoscaler/metrics"
	"knative.dev/serving/pkg/autoscaler/scaling"
)

// podCounter is the ready-pod count the decider reads (Knative's resources.EndpointsCounter).
type podCounter struct{ ready int }

func (p *podCounter) ReadyCount() (int, error)    { return p.ready, nil }
func (p *podCounter) NotReadyCount() (int, error) { return 0, nil }

// constantClient returns fixed window values: Scale() without any window (the "bare" decision).
type constantClient struct{ stable, panic float64 }

func (c constantClient) StableAndPanicConcurrency(types.NamespacedName, time.Time) (float64, float64, error) {
	return c.stable, c.panic, nil
}
func (c constantClient) StableAndPanicRPS(types.NamespacedName, time.Time) (float64, float64, error) {
	return c.stable, c.panic, nil
}

// series is the per-second concurrency both sides record: Park-Miller random numbers, exact in float64 and Go.
type series struct{ state int64 }

func (s *series) next(second int64) float64 {
	s.state = s.state * 16807 % 2147483647
	level := 60.0
	if second%300 < 30 {
		level = 210 // a 30 s burst every 5 minutes: the panic window sees it, the stable one less so
	}
	return level + float64(s.state%2000)/10
}

type result struct {
	NsPerOp      float64 `json:"nsPerOp"` // CPU time of the process (user + system), so a busy machine does not count
	WallNsPerOp  float64 `json:"wallNsPerOp"`
	AllocsPerOp  float64 `json:"allocsPerOp"`
	BytesPerOp   float64 `json:"bytesPerOp"`
	Ops          int     `json:"ops"`
	LastDesired  int32   `json:"lastDesired"`
	Answers      string  `json:"answers,omitempty"`
	GoVersion    string  `json:"goVersion"`
	ServingCheck string  `json:"serving"`
}

const servingVersion = "v0.51.0"

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	mode := flag.String("mode", "decide", "decide: decisions on the same full window; tick: 2 records + 1 decision per op; answers: the desired counts of the first ops ticks")
	bare := flag.Bool("bare", false, "read fixed window values instead of windows")
	weighted := flag.Bool("weighted", false, "weighted-exponential windows")
	stable := flag.Duration("window", 60*time.Second, "stable window")
	panicW := flag.Duration("panic-window", 6*time.Second, "panic window")
	target := flag.Float64("target", 7, "target per pod")
	total := flag.Float64("total", 10, "total per pod")
	burst := flag.Float64("burst", 211, "target burst capacity")
	threshold := flag.Float64("panic-threshold", 2, "panic threshold (fraction)")
	upRate := flag.Float64("max-scale-up-rate", 1000, "max scale up rate")
	downRate := flag.Float64("max-scale-down-rate", 2, "max scale down rate")
	ops := flag.Int("ops", 100000, "operations to time")
	seed := flag.Int64("seed", 1, "series seed")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed run to this file")
	flag.Parse()

	spec := &scaling.DeciderSpec{
		MaxScaleUpRate: *upRate, MaxScaleDownRate: *downRate, ScalingMetric: autoscaling.Concurrency,
		TargetValue: *target, TotalValue: *total, TargetBurstCapacity: *burst, PanicThreshold: *threshold,
		StableWindow: *stable, ActivationScale: 1, Reachable: true,
	}
	key := types.NamespacedName{Namespace: "bench", Name: "web"}
	pods := &podCounter{ready: 1}
	var client metrics.MetricClient = constantClient{stable: 90, panic: 95}
	var collector *metrics.MetricCollector
	if !*bare {
		collector = metrics.NewMetricCollector(func(*autoscalingv1alpha1.Metric, *zap.SugaredLogger) (metrics.StatsScraper, error) {
			return nil, nil // stats are recorded by hand (Record), as the autoscaler's websocket stats are
		}, zap.NewNop().Sugar())
		algorithm := autoscaling.MetricAggregationAlgorithmLinear
		if *weighted {
			algorithm = autoscaling.MetricAggregationAlgorithmWeightedExponential
		}
		m := &autoscalingv1alpha1.Metric{
			ObjectMeta: metav1.ObjectMeta{Namespace: key.Namespace, Name: key.Name,
				Annotations: map[string]string{autoscaling.MetricAggregationAlgorithmKey: algorithm}},
			Spec: autoscalingv1alpha1.MetricSpec{StableWindow: *stable, PanicWindow: *panicW},
		}
		if err := collector.CreateOrUpdate(m); err != nil {
			fail(err)
		}
		defer collector.Delete(key.Namespace, key.Name)
		client = collector
	}
	scaler := scaling.New(attribute.NewSet(), noop.NewMeterProvider(), key.Namespace, key.Name, client, pods, spec)
	logger := zap.NewNop().Sugar()

	src := &series{state: *seed}
	windowS := int64(stable.Seconds())
	record := func(second int64) {
		if collector != nil {
			v := src.next(second)
			collector.Record(key, t0.Add(time.Duration(second)*time.Second), metrics.Stat{
				PodName: "bench", AverageConcurrentRequests: v, RequestCount: v,
			})
		}
	}
	// A full window before the first decision.
	for s := int64(0); s < windowS; s++ {
		record(s)
	}
	second := windowS - 1
	nowOf := func(s int64) time.Time { return t0.Add(time.Duration(s)*time.Second + 500*time.Millisecond) }
	decide := func(now time.Time) int32 {
		r := scaler.Scale(logger, now)
		if r.DesiredPodCount > 0 {
			pods.ready = int(r.DesiredPodCount)
		} else {
			pods.ready = 1
		}
		return r.DesiredPodCount
	}
	// One tick: the two seconds since the previous decision are recorded, then a decision 0.5 s into the second.
	tick := func() int32 {
		record(second + 1)
		record(second + 2)
		second += 2
		return decide(nowOf(second))
	}
	res := result{Ops: *ops, GoVersion: runtime.Version(), ServingCheck: servingVersion}
	if *mode == "answers" {
		var b strings.Builder
		for i := 0; i < *ops; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, tick())
		}
		res.Answers = b.String()
	} else {
		if *mode != "decide" && *mode != "tick" {
			fail(fmt.Errorf("unknown mode %q", *mode))
		}
		// Ticks until the whole window was refreshed and the start-up panic is over, as Ebb's side does.
		for second < 2*windowS+150 {
			tick()
		}
		op := tick
		if *mode == "decide" {
			// The same full window decided on again and again: nothing changes between decisions.
			op = func() int32 { return decide(nowOf(second)) }
		}
		for i := 0; i < *ops/10; i++ {
			op()
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				fail(err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				fail(err)
			}
			defer pprof.StopCPUProfile()
		}
		startCPU := cpuNs()
		start := time.Now()
		var last int32
		for i := 0; i < *ops; i++ {
			last = op()
		}
		elapsed := time.Since(start)
		cpu := cpuNs() - startCPU
		runtime.ReadMemStats(&after)
		res.NsPerOp = float64(cpu) / float64(*ops)
		res.WallNsPerOp = float64(elapsed.Nanoseconds()) / float64(*ops)
		res.AllocsPerOp = float64(after.Mallocs-before.Mallocs) / float64(*ops)
		res.BytesPerOp = float64(after.TotalAlloc-before.TotalAlloc) / float64(*ops)
		res.LastDesired = last
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fail(err)
	}
}

// cpuNs is the CPU time (user + system) the process has used, in ns.
func cpuNs() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fail(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "knative-go:", err)
	os.Exit(1)
}
