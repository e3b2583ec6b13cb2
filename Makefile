# lockbench — see README.md.
GO    ?= go
SUITE ?= default
OUT   ?= reports/latest
BENCH := bin/bench

.PHONY: test lint report build fuzz mutate chaos gate-power instrument

# test: vet, every test with the race detector, and every benchmark once
# (-benchtime=1x) so the benchmarks cannot rot. The tests include the short
# chaos test (cmd/bench TestChaos: 8 sweeps killed by signals).
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./...

# lint: formatting and vet.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

build:
	$(GO) build -o $(BENCH) ./cmd/bench

# report: the main job. Runs the $(SUITE) suite over every strategy and
# renders $(OUT)/: results.json, report.md, report.html, plots, bench.txt.
# results.json is rewritten after every run, so an interrupted sweep can
# still be rendered with `bin/bench report --in $(OUT)/results.json --out $(OUT)`.
report: build
	@mkdir -p $(OUT)
	$(BENCH) run --suite $(SUITE) --out $(OUT) --format text
	$(BENCH) report --in $(OUT)/results.json --out $(OUT)

# gate-power: the share of A/A gate runs that fail and of planted 20%
# slowdowns the gate catches, on this machine (PAIRS=20 by default, about 6
# minutes on 2 cores; see scripts/gate-power.sh).
gate-power:
	scripts/gate-power.sh

# fuzz: run each native fuzzer for FUZZTIME.
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./workload/
	$(GO) test -run='^$$' -fuzz=FuzzParseSpec -fuzztime=$(FUZZTIME) ./store/
	$(GO) test -run='^$$' -fuzz=FuzzRead -fuzztime=$(FUZZTIME) ./results/
	$(GO) test -run='^$$' -fuzz=FuzzRunFlags -fuzztime=$(FUZZTIME) ./cmd/bench/

# chaos: the chaos test at length: CHAOS_ROUNDS sweeps of the built binary,
# each killed at a random moment by SIGINT, SIGTERM, SIGHUP or SIGKILL in
# turn (CHAOS_SEED picks the moments; a failure names its round).
CHAOS_ROUNDS ?= 80
CHAOS_SEED   ?= 1
chaos:
	LOCKBENCH_CHAOS_ROUNDS=$(CHAOS_ROUNDS) LOCKBENCH_CHAOS_SEED=$(CHAOS_SEED) $(GO) test -count=1 -run='^TestChaos$$' -timeout=30m ./cmd/bench/

# bench: the go test -bench suite of ./benchmarks/ (every strategy side by
# side), BENCHCOUNT runs of each benchmark of BENCHTIME, into bench.txt.
# Compare strategies with `go tool benchstat -col /strategy bench.txt`;
# LOCKBENCH_BENCH_LATENCY and LOCKBENCH_BENCH_CONC tune it (see README).
BENCHCOUNT ?= 6
BENCHTIME  ?= 200ms
.PHONY: bench
bench:
	bash -o pipefail -c "$(GO) test -run='^$$' -bench=. -count=$(BENCHCOUNT) -benchtime=$(BENCHTIME) -timeout=60m ./benchmarks/ | tee bench.txt"

# mutate: mutation testing with gremlins (a go.mod tool) of the packages that
# produce figures and verdicts, one gremlins run per directory; prints the
# efficacy per package after the equivalent mutants listed in
# mutation/equivalent.txt, and every other survivor. MUTATE_GOAL (percent)
# fails the target when a package is below it.
MUTATE_PKGS ?= ./lock ./runner ./consistency ./analysis ./impl ./store ./workload ./target ./ctxtarget
MUTATE_GOAL ?= 0
mutate:
	bash scripts/mutate.sh -goal $(MUTATE_GOAL) $(MUTATE_PKGS)

# harness: the runner's rate against go test -bench's on the cheapest
# operation (manager.get over 1,024 keys, memory store) at 1 and 8 clients,
# HARNESSCOUNT interleaved runs of each; prints the medians and the ratios.
HARNESSCOUNT ?= 6
.PHONY: harness
harness:
	bash -o pipefail -c "$(GO) test -run='^$$' -bench='^BenchmarkHarness$$' -benchtime=1s -count=$(HARNESSCOUNT) ./runner/ | tee harness.txt | awk -f scripts/harness.awk"

# instrument: what lock instrumentation costs, cell by cell (read-write
# workload, memory store, every strategy at GOMAXPROCS and 16 clients):
# BenchmarkInstrumentation alternates between the system built with
# instrumentation off and on in chunks milliseconds apart, so the VM's
# changes of speed cancel out; INSTRUMENTCOUNT runs of each cell, summarised
# by benchstat (overhead-% is the median on/off ratio of a run, minus 1).
INSTRUMENTCOUNT ?= 6
instrument:
	bash -o pipefail -c "$(GO) test -run='^$$' -bench='^BenchmarkInstrumentation$$' -benchtime=1s -count=$(INSTRUMENTCOUNT) ./benchmarks/ > instrument.txt && $(GO) tool benchstat -filter '.unit:(overhead-% OR cpu-overhead-%)' instrument.txt"
