package benchmarks

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lockbench/workload"
)

// Environment variables that tune the suite; see the package doc.
const (
	envLatency   = "LOCKBENCH_BENCH_LATENCY"
	envConc      = "LOCKBENCH_BENCH_CONC"
	envWorkloads = "LOCKBENCH_BENCH_WORKLOADS"
)

// Defaults. 50us keeps the store the slow path — a store call costs far more
// than the locks and JSON around it, so naive's serialised writes still show
// — while the whole suite stays within a few minutes on two cores.
const (
	defaultLatency   = "50us"
	defaultConc      = "1,16,64"
	defaultWorkloads = "mixed"
)

// settings are the suite's tunables, read once from the environment.
type settings struct {
	store     string // store spec of every benchmark but Instrumentation
	conc      []int
	workloads []string
}

var loadSettings = sync.OnceValues(func() (settings, error) {
	var s settings
	latency := envOr(envLatency, defaultLatency)
	d, err := time.ParseDuration(latency)
	if err != nil || d < 0 {
		return s, fmt.Errorf("%s=%q: want a non-negative Go duration such as 50us or 1ms", envLatency, latency)
	}
	s.store = "sim:latency=" + latency
	for _, field := range strings.Split(envOr(envConc, defaultConc), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 || n > workload.MaxConcurrency {
			return s, fmt.Errorf("%s: %q is not a client count between 1 and %d", envConc, field, workload.MaxConcurrency)
		}
		s.conc = append(s.conc, n)
	}
	for _, name := range strings.Split(envOr(envWorkloads, defaultWorkloads), ",") {
		if name = strings.TrimSpace(name); name != "" {
			s.workloads = append(s.workloads, name)
		}
	}
	return s, nil
})

func envOr(name, fallback string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return fallback
}

// suiteSettings returns the settings or stops the benchmark on a bad value.
func suiteSettings(b *testing.B) settings {
	b.Helper()
	s, err := loadSettings()
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// TestMain prints the settings as configuration lines of the benchmark
// format when benchmarks run, so a bench.txt says what it was measured with
// and benchstat shows it in its header.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		if s, err := loadSettings(); err == nil {
			conc := make([]string, len(s.conc))
			for i, n := range s.conc {
				conc[i] = strconv.Itoa(n)
			}
			fmt.Printf("lockbench-store: %s\nlockbench-conc: %s\n", s.store, strings.Join(conc, ","))
		}
	}
	os.Exit(m.Run())
}
