package linearize_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"lockbench/consistency/internal/ctxmodel"
	. "lockbench/consistency/internal/linearize"
)

// A small vocabulary of hand-made histories of one context (the model of
// package ctxmodel, which learns from reads) and of one register.

func create(client int, call, ret int64, ver uint64, data string) Op {
	return Op{Client: client, Call: call, Return: ret,
		In: Input{Name: "create", Step: ctxmodel.Create, Ver: ver, VerKnown: true, Data: data}}
}

func update(client int, call, ret int64, ver uint64, data string) Op {
	return Op{Client: client, Call: call, Return: ret,
		In: Input{Name: "update", Step: ctxmodel.Update, Ver: ver, VerKnown: true, Data: data}}
}

func get(client int, call, ret int64, ver uint64, data string) Op {
	return Op{Client: client, Call: call, Return: ret, In: Input{Name: "get", Step: ctxmodel.Get},
		Out: Output{Ver: ver, Data: data}}
}

func recoveryPoint(client int, call, ret int64) Op {
	return Op{Client: client, Call: call, Return: ret, In: Input{Name: "recovery_point", Step: ctxmodel.RecoveryPoint}}
}

func recoveryPoints(client int, call, ret int64, count int) Op {
	return Op{Client: client, Call: call, Return: ret, In: Input{Name: "recovery_points", Step: ctxmodel.RecoveryPoints},
		Out: Output{Count: count, HasCount: true}}
}

// maybe is op told it failed: it may or may not have taken effect, or
// taken effect in part.
func maybe(op Op) Op {
	op.In.Maybe, op.In.Failed, op.Out = true, true, Output{Err: Unknown, Reason: "store"}
	return op
}

// final is a read at quiescence.
func final(at int64, ver uint64, data string) Op {
	op := get(9, at, at, ver, data)
	op.Final = true
	return op
}

func put(client int, call, ret int64, data string) Op {
	return Op{Client: client, Call: call, Return: ret, In: Input{Name: "put", Step: putStep, Data: data}}
}

func read(client int, call, ret int64, data string) Op {
	return Op{Client: client, Call: call, Return: ret, In: Input{Name: "get", Step: getStep}, Out: Output{Data: data}}
}

var context3 = ctxmodel.Model(ctxmodel.Absent, 3, true)

// sequentialPuts is a register history of n puts and reads of what the
// last put wrote, one after the other; stale, if ≥ 0, makes the read at
// that index return the value before the last one.
func sequentialPuts(n, stale int) []Op {
	var ops []Op
	for i := range n {
		at := int64(10 * i)
		if i%2 == 0 {
			ops = append(ops, put(i%3, at, at+5, fmt.Sprintf("v%d", i)))
			continue
		}
		d := fmt.Sprintf("v%d", i-1)
		if i == stale {
			d = fmt.Sprintf("v%d", i-3)
		}
		ops = append(ops, read(i%3, at, at+5, d))
	}
	return ops
}

// porcupineOps is ops as the shortcuts and porcupine see them.
func porcupineOps(ops []Op) []porcupine.Operation {
	out := make([]porcupine.Operation, len(ops))
	for i, op := range ops {
		out[i] = porcupine.Operation{ClientId: op.Client, Call: op.Call, Return: op.Return, Input: op.In, Output: op.Out}
	}
	return out
}

func check1(model Model, ops []Op, opt Options) Result {
	return Check(context.Background(), []Partition{{Name: "k", Model: model, Ops: ops}}, opt)[0]
}

// TestCheckVerdicts: the checker's verdict on small histories, with its
// witnesses and shortcuts and with porcupine alone — the two must agree.
func TestCheckVerdicts(t *testing.T) {
	cases := []struct {
		name  string
		model Model
		ops   []Op
		want  porcupine.CheckResult
	}{
		{"no operations", context3, nil, porcupine.Ok},
		{"create, update, read", context3, []Op{
			create(0, 0, 10, 1, "a"), update(0, 20, 30, 2, "b"), get(1, 40, 50, 2, "b")}, porcupine.Ok},
		{"stale read", context3, []Op{
			create(0, 0, 10, 1, "a"), update(0, 20, 30, 2, "b"), get(1, 40, 50, 1, "a")}, porcupine.Illegal},
		{"read overlapping the update", context3, []Op{
			create(0, 0, 10, 1, "a"), update(0, 20, 30, 2, "b"), get(1, 25, 50, 1, "a")}, porcupine.Ok},
		{"read returning at the update's call", context3, []Op{
			create(0, 0, 10, 1, "a"), update(0, 20, 30, 2, "b"), get(1, 15, 20, 1, "a")}, porcupine.Ok},
		{"final reads agreeing", context3, []Op{
			create(0, 0, 10, 1, "a"), update(1, 5, 30, 2, "b"), final(40, 2, "b"), final(40, 2, "b")}, porcupine.Ok},
		{"final reads disagreeing", context3, []Op{
			create(0, 0, 10, 1, "a"), update(1, 5, 30, 2, "b"), final(40, 2, "b"), final(40, 1, "a")}, porcupine.Illegal},
		{"final read of a lost update", context3, []Op{
			create(0, 0, 10, 1, "a"), update(1, 20, 30, 2, "b"), final(40, 1, "a")}, porcupine.Illegal},
		{"a count at the bound", context3, []Op{
			create(0, 0, 10, 1, "a"), {Call: 20, Return: 30, In: Input{Step: ctxmodel.Get},
				Out: Output{Ver: 1, Data: "a", Count: 3, HasCount: true}}}, porcupine.Illegal},
		{"update of an absent context", context3, []Op{update(0, 0, 10, 1, "a")}, porcupine.Illegal},
		{"a failed update that took effect", context3, []Op{
			create(0, 0, 10, 1, "a"), maybe(update(0, 20, 30, 2, "b")), get(1, 40, 50, 2, "b")}, porcupine.Ok},
		{"a failed update that did not", context3, []Op{
			create(0, 0, 10, 1, "a"), maybe(update(0, 20, 30, 2, "b")), get(1, 40, 50, 1, "a")}, porcupine.Ok},
		{"a failed update read before it was called", context3, []Op{
			create(0, 0, 10, 1, "a"), get(1, 12, 18, 2, "b"), maybe(update(0, 20, 30, 2, "b"))}, porcupine.Illegal},
		// A delete told it failed may have removed some recovery points
		// before failing: only that partial effect explains a count of 1.
		{"a delete that failed part way", context3, []Op{
			create(0, 0, 10, 1, "a"), recoveryPoint(0, 20, 30), recoveryPoint(0, 40, 50),
			maybe(Op{Client: 0, Call: 60, Return: 70, In: Input{Name: "delete", Step: ctxmodel.Delete}}),
			recoveryPoints(1, 80, 90, 1)}, porcupine.Ok},
		{"a count no delete explains", context3, []Op{
			create(0, 0, 10, 1, "a"), recoveryPoint(0, 20, 30), recoveryPoint(0, 40, 50),
			recoveryPoints(1, 80, 90, 1)}, porcupine.Illegal},
		{"registers: a put that may have happened", register, []Op{
			put(0, 0, 10, "a"), maybe(put(0, 20, 30, "b")), read(1, 40, 50, "b"), read(1, 60, 70, "b")}, porcupine.Ok},
		// Porcupine is given the calls within each run of calls reordered
		// by Return; the long read must not lend its early call to the
		// stale one.
		{"registers: a stale read beside a long read", register, []Op{
			put(0, 0, 10, "a"), put(0, 20, 30, "b"), read(1, 25, 200, "b"), read(2, 40, 50, "a")}, porcupine.Illegal},
		{"registers: serial puts and reads", register, sequentialPuts(40, -1), porcupine.Ok},
		{"registers: a stale read among serial ones", register, sequentialPuts(40, 27), porcupine.Illegal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, porcupineOnly := range []bool{false, true} {
				r := check1(c.model, c.ops, Options{PorcupineOnly: porcupineOnly})
				if r.Verdict != c.want {
					t.Errorf("porcupine only %v: verdict %v (%s), want %v", porcupineOnly, r.Verdict, r.Why, c.want)
				}
				if r.Why != "" {
					t.Errorf("porcupine only %v: a decided verdict says why it is undecided: %q", porcupineOnly, r.Why)
				}
			}
		})
	}
}

// TestWitnesses: a violation among the final reads, or a counter no state
// can have, is decided without the rest of the history, and the
// visualisation shows only the operations that prove it.
func TestWitnesses(t *testing.T) {
	ops := []Op{create(0, 0, 10, 1, "a"), update(1, 5, 30, 2, "b"), update(2, 6, 31, 3, "c"), get(3, 7, 32, 3, "c"),
		final(40, 2, "b"), final(40, 1, "a")}
	r := check1(context3, ops, Options{})
	// The two final reads and the writes of what they returned.
	if r.Verdict != porcupine.Illegal || r.Shown != 4 {
		t.Errorf("final reads apart: verdict %v showing %d operations, want Illegal showing 4", r.Verdict, r.Shown)
	}
	// Shown with the model's own descriptions of operations and states.
	var html bytes.Buffer
	if err := r.Visualize(&html); err != nil || !strings.Contains(html.String(), `create(v1, \"a\") → ok`) ||
		!strings.Contains(html.String(), `v2 \"b\"`) {
		t.Errorf("visualisation of the final reads (%v) lacks the model's descriptions", err)
	}

	counted := func(count int) []Op {
		return []Op{create(0, 0, 10, 1, "a"), update(0, 20, 30, 2, "b"), {Call: 40, Return: 50, In: Input{Step: ctxmodel.Get},
			Out: Output{Ver: 2, Data: "b", Count: count, HasCount: true}}}
	}
	r = check1(context3, counted(4), Options{})
	if r.Verdict != porcupine.Illegal || r.Shown != 1 {
		t.Errorf("a count above the bound: verdict %v showing %d operations, want Illegal showing 1", r.Verdict, r.Shown)
	}
	r = check1(context3, counted(4), Options{PorcupineOnly: true})
	if r.Verdict != porcupine.Illegal || r.Shown != 3 {
		t.Errorf("a count above the bound, porcupine only: verdict %v showing %d operations, want Illegal showing 3", r.Verdict, r.Shown)
	}
	// A count at the bound is possible in itself: the whole history (a
	// new context has none) shows it wrong.
	r = check1(context3, counted(3), Options{})
	if r.Verdict != porcupine.Illegal || r.Shown != 3 {
		t.Errorf("a count at the bound: verdict %v showing %d operations, want Illegal showing 3", r.Verdict, r.Shown)
	}
	loose := ctxmodel.Model(ctxmodel.Unknown, 3, false)
	if r = check1(loose, counted(4)[2:], Options{}); r.Verdict != porcupine.Ok {
		t.Errorf("a count above a loose bound: verdict %v, want Ok", r.Verdict)
	}
}

// TestShrink: an illegal window of more than 16 operations is halved while
// a half is still illegal, so the visualisation shows the violation among
// few operations. 200 operations go to porcupine first in 7 short windows
// of 28 or 29; the one with the stale read is halved once.
func TestShrink(t *testing.T) {
	for _, c := range []struct {
		n, stale, shown int
	}{
		{200, 5, 14},   // in [0, 28), illegal in [0, 14)
		{200, 151, 14}, // in [142, 171), illegal in [142, 156)
		{200, 199, 15}, // in [171, 200), illegal in [185, 200)
		{16, 13, 16},   // 16 operations are not halved, though [8, 16) is illegal
	} {
		for _, porcupineOnly := range []bool{false, true} {
			r := check1(register, sequentialPuts(c.n, c.stale), Options{PorcupineOnly: porcupineOnly})
			if r.Verdict != porcupine.Illegal || r.Shown != c.shown {
				t.Errorf("stale read %d, porcupine only %v: verdict %v showing %d operations, want Illegal showing %d",
					c.stale, porcupineOnly, r.Verdict, r.Shown, c.shown)
			}
			var html bytes.Buffer
			stale := fmt.Sprintf(`\"v%d\"`, c.stale-3)
			// The register's model has no DescribeState: states are shown
			// as Go values.
			if err := r.Visualize(&html); err != nil || !strings.Contains(html.String(), stale) ||
				!strings.Contains(html.String(), "Presence:2") {
				t.Errorf("stale read %d, porcupine only %v: the visualisation (%v) does not show the stale value %s or the states",
					c.stale, porcupineOnly, err, stale)
			}
		}
	}
}

// TestWindows: a partition longer than WindowOps is checked in windows: a
// violation inside one is found; none found leaves it Unknown, never Ok;
// and a legal history is never found illegal in windows.
func TestWindows(t *testing.T) {
	// Five windows of 8: the stale read is found in [24, 32).
	r := check1(register, sequentialPuts(40, 27), Options{PorcupineOnly: true, WindowOps: 8})
	if r.Verdict != porcupine.Illegal || r.Shown != 8 {
		t.Errorf("a stale read within a window: %v showing %d operations, want Illegal showing 8", r.Verdict, r.Shown)
	}
	// WindowOps operations are one window.
	if r = check1(register, sequentialPuts(8, -1), Options{PorcupineOnly: true, WindowOps: 8}); r.Verdict != porcupine.Ok {
		t.Errorf("WindowOps operations: %v (%s), want Ok (one window)", r.Verdict, r.Why)
	}
	r = check1(register, sequentialPuts(40, -1), Options{PorcupineOnly: true, WindowOps: 8})
	if r.Verdict != porcupine.Unknown || r.Why != "more than 8 operations, checked in windows: no violation found" {
		t.Errorf("a legal history in windows: %v (%s), want Unknown", r.Verdict, r.Why)
	}
	// The shortcuts prove it whole.
	if r = check1(register, sequentialPuts(40, -1), Options{WindowOps: 8}); r.Verdict != porcupine.Ok {
		t.Errorf("a legal history the shortcuts prove: %v (%s), want Ok", r.Verdict, r.Why)
	}
	// In a window after the first, the short windows of the quick pass
	// start at the window: [100, 200) in four of 25, the stale read in
	// [150, 175), illegal in [150, 162).
	r = check1(register, sequentialPuts(200, 151), Options{PorcupineOnly: true, WindowOps: 100})
	if r.Verdict != porcupine.Illegal || r.Shown != 12 {
		t.Errorf("a stale read in the second window: %v showing %d operations, want Illegal showing 12", r.Verdict, r.Shown)
	}
	// An operation of an earlier window that returns at the instant a
	// window starts may take effect in it.
	straddling := []Op{create(0, 0, 10, 1, "a"), update(1, 5, 20, 2, "b"), get(2, 20, 30, 1, "a"), get(2, 40, 50, 2, "b")}
	if r = check1(context3, straddling, Options{PorcupineOnly: true, WindowOps: 2}); r.Verdict != porcupine.Unknown {
		t.Errorf("an update returning as the next window starts: %v, want Unknown (legal, checked in windows)", r.Verdict)
	}

	// An operation that returns at the instant the next window's first
	// operation is called may come after it (intervals are closed): its
	// outcome is unknown within its window — a read then tells nothing.
	edge := []Op{put(0, 0, 10, "a"), read(1, 15, 30, "b"), put(0, 30, 40, "b"), read(1, 45, 50, "b")}
	if r = check1(register, edge, Options{PorcupineOnly: true, WindowOps: 2}); r.Verdict != porcupine.Unknown {
		t.Errorf("a read at a window's edge of the next window's write: %v, want Unknown (legal, checked in windows)", r.Verdict)
	}

	// The search, exponential at worst, is kept to WindowOps operations:
	// a history only it proves is checked in windows when longer.
	rnd := rand.New(rand.NewPCG(38, 7))
	searchOnly := randomHistory(rnd, 4+rnd.IntN(12), false)
	if c, g, s := Shortcuts(&context3, searchOnly, time.Now().Add(time.Minute)); c || g || !s || len(searchOnly) != 9 {
		t.Fatalf("seed 38: %d operations, clusters %v, greedy %v, search %v; want 9 proved by the search alone", len(searchOnly), c, g, s)
	}
	var ops []Op
	for _, op := range searchOnly {
		ops = append(ops, Op{Client: op.ClientId, Call: op.Call, Return: op.Return, In: op.Input.(Input), Out: op.Output.(Output)})
	}
	if r = check1(context3, ops, Options{WindowOps: 9}); r.Verdict != porcupine.Ok {
		t.Errorf("a history the search proves: %v (%s), want Ok", r.Verdict, r.Why)
	}
	if r = check1(context3, ops, Options{WindowOps: 8}); r.Verdict != porcupine.Unknown {
		t.Errorf("a history the search proves, longer than WindowOps: %v, want Unknown (checked in windows)", r.Verdict)
	}

	// WindowOps is at least 2; zero is the default, 10,000.
	r = check1(register, sequentialPuts(3, -1), Options{PorcupineOnly: true, WindowOps: 1})
	if r.Verdict != porcupine.Unknown || !strings.HasPrefix(r.Why, "more than 2 operations") {
		t.Errorf("WindowOps 1: %v (%s), want Unknown in windows of 2", r.Verdict, r.Why)
	}
	if r = check1(register, sequentialPuts(3, -1), Options{PorcupineOnly: true}); r.Verdict != porcupine.Ok {
		t.Errorf("default options: %v (%s), want Ok", r.Verdict, r.Why)
	}

	// Every window is sound: operations overlapping a window's edges
	// become operations of unknown outcome, so no legal history is
	// found illegal, whatever the window size.
	sound := func(name string, model *Model, history func(r *rand.Rand, n int, corrupt bool) []porcupine.Operation) {
		illegal := 0
		for seed := range uint64(300) {
			rnd := rand.New(rand.NewPCG(seed, 11))
			pops := history(rnd, 8+rnd.IntN(16), seed%2 == 1)
			ops := make([]Op, len(pops))
			for i, op := range pops {
				ops[i] = Op{Client: op.ClientId, Call: op.Call, Return: op.Return, In: op.Input.(Input), Out: op.Output.(Output)}
			}
			legal := porcupine.CheckOperations(Porcupine(model), pops)
			for _, w := range []int{2, 3, 5} {
				r := check1(*model, ops, Options{PorcupineOnly: true, WindowOps: w})
				if legal && r.Verdict == porcupine.Illegal {
					t.Fatalf("%s seed %d: a legal history found illegal in windows of %d:\n%s", name, seed, w, describeAll(model, pops))
				}
				if r.Verdict == porcupine.Illegal {
					illegal++
				}
			}
		}
		if illegal == 0 {
			t.Errorf("%s: no violation found in windows", name)
		}
	}
	sound("context", &context3, randomHistory)
	sound("register", &register, randomRegisterHistory)
}

// TestCheckStops: a spent budget or a canceled context leaves partitions
// Unknown, and once one partition is illegal the ones not started yet
// are not checked.
func TestCheckStops(t *testing.T) {
	ops := sequentialPuts(20, -1)
	r := check1(register, ops, Options{Budget: time.Nanosecond})
	if r.Verdict != porcupine.Unknown || !strings.Contains(r.Why, "budget") {
		t.Errorf("budget spent: %v (%s), want Unknown", r.Verdict, r.Why)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Check(ctx, []Partition{{Name: "k", Model: register, Ops: ops}}, Options{})
	if res[0].Verdict != porcupine.Unknown || !strings.Contains(res[0].Why, "canceled") {
		t.Errorf("canceled: %v (%s), want Unknown", res[0].Verdict, res[0].Why)
	}

	// One partition at a time, in order.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	res = Check(context.Background(), []Partition{
		{Name: "ok", Model: register, Ops: ops},
		{Name: "illegal", Model: register, Ops: sequentialPuts(20, 7)},
		{Name: "after", Model: register, Ops: ops},
	}, Options{})
	want := []porcupine.CheckResult{porcupine.Ok, porcupine.Illegal, porcupine.Unknown}
	for i, r := range res {
		if r.Verdict != want[i] {
			t.Errorf("partition %d: %v, want %v", i, r.Verdict, want[i])
		}
	}
	if res[2].Why != NotChecked {
		t.Errorf("partition after the violation: %q, want %q", res[2].Why, NotChecked)
	}
}
