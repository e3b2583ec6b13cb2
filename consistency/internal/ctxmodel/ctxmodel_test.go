package ctxmodel

import (
	"context"
	"testing"

	"github.com/anishathalye/porcupine"

	"lockbench/consistency/internal/linearize"
)

// States of one partition, as the cases below name them.

// ctx is a context present with version ver, data and count recovery
// points.
func ctx(ver uint64, data string, count int) linearize.State {
	return linearize.State{Presence: linearize.KeyPresent, HasVer: true, Ver: ver, HasData: true, Data: data, Count: count, CountKnown: true}
}

// uncounted is ctx with its number of recovery points not known.
func uncounted(ver uint64, data string) linearize.State {
	return linearize.State{Presence: linearize.KeyPresent, HasVer: true, Ver: ver, HasData: true, Data: data}
}

// someCtx is a context known to be present, nothing else known but its
// count (if countKnown).
func someCtx(count int, countKnown bool) linearize.State {
	return linearize.State{Presence: linearize.KeyPresent, Count: count, CountKnown: countKnown}
}

// tracker is a tracker holding version ver with data.
func tracker(ver uint64, data string) linearize.State { return uncounted(ver, data) }

var (
	strict3 = linearize.Bound{Max: 3, Strict: true}
	loose3  = linearize.Bound{Max: 3}
)

// stepCase is one application of a step: from state from, operation in
// returning out, under bound; the state after it and whether it could
// happen at all.
type stepCase struct {
	name string
	from linearize.State
	in   linearize.Input
	out  linearize.Output
	b    linearize.Bound
	want linearize.State
	ok   bool
}

func write(step linearize.StepID, ver uint64, data string) linearize.Input {
	return linearize.Input{Step: step, Ver: ver, VerKnown: true, Data: data}
}

func incr(data string) linearize.Input { return linearize.Input{Step: Update, Incr: true, Data: data} }

func read(step linearize.StepID) linearize.Input { return linearize.Input{Step: step} }

func failed(e linearize.Outcome) linearize.Output { return linearize.Output{Err: e, Reason: "error"} }

// TestApply pins what each step concludes from what an operation returned:
// the next state, or that the outcome is impossible from this state.
func TestApply(t *testing.T) {
	cases := []stepCase{
		// create
		{"create on absent", Absent, write(Create, 3, "a"), linearize.Output{}, strict3, ctx(3, "a", 0), true},
		{"create on unknown", Unknown, write(Create, 3, "a"), linearize.Output{}, strict3, ctx(3, "a", 0), true},
		{"create on present", ctx(1, "x", 2), write(Create, 3, "a"), linearize.Output{}, strict3, ctx(3, "a", 0), false},
		{"create exists on present", ctx(1, "x", 2), write(Create, 3, "a"), failed(linearize.Exists), strict3, ctx(1, "x", 2), true},
		{"create exists on absent", Absent, write(Create, 3, "a"), failed(linearize.Exists), strict3, Absent, false},
		{"create exists on unknown", Unknown, write(Create, 3, "a"), failed(linearize.Exists), strict3, someCtx(0, false), true},
		{"create at the limit", Absent, write(Create, 3, "a"), failed(linearize.Failed), strict3, Absent, true},

		// update
		{"update", ctx(3, "a", 2), write(Update, 5, "b"), linearize.Output{}, strict3, ctx(5, "b", 2), true},
		{"update on absent", Absent, write(Update, 5, "b"), linearize.Output{}, strict3, ctx(5, "b", 0), false},
		{"update on unknown", Unknown, write(Update, 5, "b"), linearize.Output{}, strict3, uncounted(5, "b"), true},
		{"increment returning the next version", ctx(3, "a", 1), incr("b"), linearize.Output{Ver: 4}, strict3, ctx(4, "b", 1), true},
		{"increment returning a skipped version", ctx(3, "a", 1), incr("b"), linearize.Output{Ver: 5}, strict3, ctx(3, "a", 1), false},
		{"increment returning an older version", ctx(3, "a", 1), incr("b"), linearize.Output{Ver: 2}, strict3, ctx(3, "a", 1), false},
		{"increment returning no version", ctx(3, "a", 1), incr("b"), linearize.Output{}, strict3, ctx(4, "b", 1), true},
		{"increment of an unknown version", someCtx(1, true), incr("b"),
			linearize.Output{}, strict3, linearize.State{Presence: linearize.KeyPresent, HasData: true, Data: "b", Count: 1, CountKnown: true}, true},
		{"increment of an unknown version returning it", someCtx(1, true), incr("b"), linearize.Output{Ver: 7}, strict3, ctx(7, "b", 1), true},
		{"update not found on present", ctx(3, "a", 1), write(Update, 5, "b"), failed(linearize.NotFound), strict3, ctx(3, "a", 1), false},
		{"update not found on unknown", Unknown, write(Update, 5, "b"), failed(linearize.NotFound), strict3, Absent, true},
		{"update not found on absent", Absent, write(Update, 5, "b"), failed(linearize.NotFound), strict3, Absent, true},
		{"update failed", ctx(3, "a", 1), write(Update, 5, "b"), failed(linearize.Failed), strict3, ctx(3, "a", 1), true},

		// delete
		{"delete", ctx(3, "a", 2), read(Delete), linearize.Output{}, strict3, Absent, true},
		{"delete on unknown", Unknown, read(Delete), linearize.Output{}, strict3, Absent, true},
		{"delete on absent", Absent, read(Delete), linearize.Output{}, strict3, Absent, false},
		{"delete not found on present", ctx(3, "a", 2), read(Delete), failed(linearize.NotFound), strict3, Absent, false},
		{"delete failed", ctx(3, "a", 2), read(Delete), failed(linearize.Failed), strict3, ctx(3, "a", 2), true},

		// the adapter's cleanup, and the manager side of it
		{"remove", ctx(3, "a", 2), read(Remove), failed(linearize.Failed), strict3, Absent, true},
		{"remove on absent", Absent, read(Remove), linearize.Output{}, strict3, Absent, false},
		{"ensure absent on present", ctx(3, "a", 2), read(EnsureAbsent), linearize.Output{}, strict3, Absent, true},
		{"ensure absent on absent", Absent, read(EnsureAbsent), linearize.Output{}, strict3, Absent, true},

		// tracker.sync
		{"write unknown", ctx(3, "a", 2), write(WriteUnknown, 5, "b"), linearize.Output{}, strict3, someCtx(2, true), true},
		{"write unknown on absent", Absent, write(WriteUnknown, 5, "b"), linearize.Output{}, strict3, Absent, false},
		{"write unknown not found", Unknown, write(WriteUnknown, 5, "b"), failed(linearize.NotFound), strict3, Absent, true},

		// get
		{"get", ctx(3, "a", 1), read(Get), linearize.Output{Ver: 3, Data: "a"}, strict3, ctx(3, "a", 1), true},
		{"get of another version", ctx(3, "a", 1), read(Get), linearize.Output{Ver: 4, Data: "a"}, strict3, ctx(3, "a", 1), false},
		{"get of other data", ctx(3, "a", 1), read(Get), linearize.Output{Ver: 3, Data: "b"}, strict3, ctx(3, "a", 1), false},
		{"get on absent", Absent, read(Get), linearize.Output{Ver: 3, Data: "a"}, strict3, Absent, false},
		{"get on unknown", Unknown, read(Get), linearize.Output{Ver: 3, Data: "a"}, strict3, uncounted(3, "a"), true},
		{"get on unknown version and data", someCtx(2, true), read(Get), linearize.Output{Ver: 3, Data: "a"}, strict3, ctx(3, "a", 2), true},
		{"get with its count", ctx(3, "a", 1), read(Get), linearize.Output{Ver: 3, Data: "a", Count: 1, HasCount: true}, strict3, ctx(3, "a", 1), true},
		{"get with another count", ctx(3, "a", 1), read(Get), linearize.Output{Ver: 3, Data: "a", Count: 2, HasCount: true}, strict3, ctx(3, "a", 1), false},
		{"get learning the count", Unknown, read(Get), linearize.Output{Ver: 3, Data: "a", Count: 3, HasCount: true}, strict3, ctx(3, "a", 3), true},
		{"get with a count above a strict bound", Unknown, read(Get), linearize.Output{Ver: 3, Data: "a", Count: 4, HasCount: true}, strict3, Unknown, false},
		{"get with a count above a loose bound", Unknown, read(Get), linearize.Output{Ver: 3, Data: "a", Count: 4, HasCount: true}, loose3, ctx(3, "a", 4), true},
		{"get not found on present", ctx(3, "a", 1), read(Get), failed(linearize.NotFound), strict3, ctx(3, "a", 1), false},
		{"get not found on unknown", Unknown, read(Get), failed(linearize.NotFound), strict3, Absent, true},
		{"get failed", ctx(3, "a", 1), read(Get), failed(linearize.Failed), strict3, ctx(3, "a", 1), true},

		// tracker update_state: accepted iff the version is above the current one
		{"tracker update above", tracker(3, "a"), write(TrackerUpdate, 4, "b"), linearize.Output{}, strict3, tracker(4, "b"), true},
		{"tracker update at the current version", tracker(3, "a"), write(TrackerUpdate, 3, "b"), linearize.Output{}, strict3, tracker(3, "b"), false},
		{"tracker update on the zero tracker", TrackerZero, write(TrackerUpdate, 1, "b"), linearize.Output{}, strict3, tracker(1, "b"), true},
		{"tracker update above the lower bound", linearize.State{LB: 3}, write(TrackerUpdate, 4, "b"), linearize.Output{}, strict3, tracker(4, "b"), true},
		{"tracker update at the lower bound", linearize.State{LB: 3}, write(TrackerUpdate, 3, "b"), linearize.Output{}, strict3, tracker(3, "b"), false},
		{"tracker update stale at the current version", tracker(3, "a"), write(TrackerUpdate, 3, "b"), failed(linearize.Stale), strict3, tracker(3, "a"), true},
		{"tracker update stale above the current version", tracker(3, "a"), write(TrackerUpdate, 4, "b"), failed(linearize.Stale), strict3, tracker(3, "a"), false},
		{"tracker update stale raising the bound", linearize.State{LB: 2}, write(TrackerUpdate, 5, "b"), failed(linearize.Stale), strict3, linearize.State{LB: 5}, true},
		{"tracker update stale below the bound", linearize.State{LB: 2}, write(TrackerUpdate, 1, "b"), failed(linearize.Stale), strict3, linearize.State{LB: 2}, true},
		{"tracker update failed", tracker(3, "a"), write(TrackerUpdate, 4, "b"), failed(linearize.Failed), strict3, tracker(3, "a"), true},

		// tracker get_state
		{"tracker get", tracker(3, "a"), read(TrackerGet), linearize.Output{Ver: 3, Data: "a"}, strict3, tracker(3, "a"), true},
		{"tracker get of another version", tracker(3, "a"), read(TrackerGet), linearize.Output{Ver: 2, Data: "a"}, strict3, tracker(3, "a"), false},
		{"tracker get of other data", tracker(3, "a"), read(TrackerGet), linearize.Output{Ver: 3, Data: "b"}, strict3, tracker(3, "a"), false},
		{"tracker get at the lower bound", linearize.State{LB: 3}, read(TrackerGet), linearize.Output{Ver: 3, Data: "a"}, strict3, tracker(3, "a"), true},
		{"tracker get below the lower bound", linearize.State{LB: 3}, read(TrackerGet), linearize.Output{Ver: 2, Data: "a"}, strict3, tracker(2, "a"), false},
		{"tracker get failed", tracker(3, "a"), read(TrackerGet), failed(linearize.Failed), strict3, tracker(3, "a"), true},

		// activate
		{"activate", tracker(3, "a"), read(TrackerActivate), linearize.Output{}, strict3, Unknown, true},
		{"activate failed", tracker(3, "a"), read(TrackerActivate), failed(linearize.NotFound), strict3, tracker(3, "a"), true},

		// recovery points
		{"recovery point", ctx(3, "a", 1), read(RecoveryPoint), linearize.Output{}, strict3, ctx(3, "a", 2), true},
		{"recovery point at the limit", ctx(3, "a", 3), read(RecoveryPoint), linearize.Output{}, strict3, ctx(3, "a", 3), true},
		{"recovery point on absent", Absent, read(RecoveryPoint), linearize.Output{}, strict3, Absent, false},
		{"recovery point on unknown", Unknown, read(RecoveryPoint), linearize.Output{}, strict3, someCtx(0, false), true},
		{"recovery point on an unknown counted context", linearize.State{Count: 1, CountKnown: true}, read(RecoveryPoint), linearize.Output{}, strict3, someCtx(2, true), true},
		{"recovery point seeing the value", ctx(3, "a", 0), read(RecoveryPoint), linearize.Output{Ver: 3, Data: "a"}, strict3, ctx(3, "a", 1), true},
		{"recovery point seeing another version", ctx(3, "a", 0), read(RecoveryPoint), linearize.Output{Ver: 4, Data: "a"}, strict3, ctx(3, "a", 0), false},
		{"recovery point seeing other data", ctx(3, "a", 0), read(RecoveryPoint), linearize.Output{Ver: 3, Data: "b"}, strict3, ctx(3, "a", 0), false},
		{"recovery point seeing a value on unknown", Unknown, read(RecoveryPoint), linearize.Output{Ver: 3, Data: "a"}, strict3, uncounted(3, "a"), true},
		{"recovery point not found on present", ctx(3, "a", 0), read(RecoveryPoint), failed(linearize.NotFound), strict3, ctx(3, "a", 0), false},
		{"recovery point failed", ctx(3, "a", 0), read(RecoveryPoint), linearize.Output{Err: linearize.Failed, Data: "a"}, strict3, ctx(3, "a", 0), true},
		{"recovery points", ctx(3, "a", 2), read(RecoveryPoints), linearize.Output{Count: 2}, strict3, ctx(3, "a", 2), true},
		{"recovery points, another count", ctx(3, "a", 2), read(RecoveryPoints), linearize.Output{Count: 1}, strict3, ctx(3, "a", 2), false},
		{"recovery points learnt", uncounted(3, "a"), read(RecoveryPoints), linearize.Output{Count: 3}, strict3, ctx(3, "a", 3), true},
		{"recovery points above a strict bound", uncounted(3, "a"), read(RecoveryPoints), linearize.Output{Count: 4}, strict3, uncounted(3, "a"), false},
		{"recovery points above a loose bound", uncounted(3, "a"), read(RecoveryPoints), linearize.Output{Count: 4}, loose3, ctx(3, "a", 4), true},
		{"recovery points on absent", Absent, read(RecoveryPoints), linearize.Output{Count: 0}, strict3, Absent, false},
		{"recovery points on unknown", Unknown, read(RecoveryPoints), linearize.Output{Count: 2}, strict3, someCtx(2, true), true},
		{"recovery points not found", Unknown, read(RecoveryPoints), failed(linearize.NotFound), strict3, Absent, true},
		{"recovery points failed", uncounted(3, "a"), read(RecoveryPoints), failed(linearize.Failed), strict3, uncounted(3, "a"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Steps[c.in.Step].Apply(c.from, c.in, c.out, c.b)
			if ok != c.ok {
				t.Fatalf("from %s, %s: possible = %v, want %v", DescribeState(c.from), DescribeOperation(c.in, c.out), ok, c.ok)
			}
			if ok && got != c.want {
				t.Errorf("from %s, %s: %+v, want %+v", DescribeState(c.from), DescribeOperation(c.in, c.out), got, c.want)
			}
		})
	}
}

// TestEffect pins what an operation of unknown outcome may have done, had
// it taken effect, and the third state a failed write of several keys may
// leave (Partial).
func TestEffect(t *testing.T) {
	cases := []stepCase{
		{"create on absent", Absent, write(Create, 3, "a"), linearize.Output{}, strict3, ctx(3, "a", 0), true},
		{"create on present", ctx(1, "x", 1), write(Create, 3, "a"), linearize.Output{}, strict3, ctx(3, "a", 0), false},
		{"update", ctx(1, "x", 1), write(Update, 3, "a"), linearize.Output{}, strict3, ctx(3, "a", 1), true},
		{"increment", ctx(1, "x", 1), incr("a"), linearize.Output{}, strict3, ctx(2, "a", 1), true},
		{"update on absent", Absent, write(Update, 3, "a"), linearize.Output{}, strict3, ctx(3, "a", 0), false},
		{"delete", ctx(1, "x", 1), read(Delete), linearize.Output{}, strict3, Absent, true},
		{"delete on absent", Absent, read(Delete), linearize.Output{}, strict3, Absent, false},
		{"ensure absent", ctx(1, "x", 1), read(EnsureAbsent), linearize.Output{}, strict3, Absent, true},
		{"write unknown", ctx(1, "x", 1), write(WriteUnknown, 3, "a"), linearize.Output{}, strict3, someCtx(1, true), true},
		{"tracker update", tracker(1, "x"), write(TrackerUpdate, 3, "a"), linearize.Output{}, strict3, tracker(3, "a"), true},
		{"tracker update not above", tracker(3, "x"), write(TrackerUpdate, 3, "a"), linearize.Output{}, strict3, tracker(3, "a"), false},
		{"activate", tracker(1, "x"), read(TrackerActivate), linearize.Output{}, strict3, Unknown, true},
		{"recovery point", ctx(1, "x", 2), read(RecoveryPoint), linearize.Output{}, strict3, ctx(1, "x", 3), true},
		{"recovery point at a loose limit", ctx(1, "x", 3), read(RecoveryPoint), linearize.Output{}, loose3, ctx(1, "x", 3), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Steps[c.in.Step].Effect(c.from, c.in, c.b)
			if ok != c.ok || ok && got != c.want {
				t.Errorf("%s from %s: %+v, %v; want %+v, %v", c.name, DescribeState(c.from), got, ok, c.want, c.ok)
			}
		})
	}

	partials := []struct {
		name     string
		from     linearize.State
		want     linearize.State
		possible bool
	}{
		{"counted context", ctx(3, "a", 2), uncounted(3, "a"), true},
		{"uncounted context", uncounted(3, "a"), uncounted(3, "a"), false},
		{"absent", Absent, Absent, false},
		{"unknown but counted", linearize.State{Count: 1, CountKnown: true}, someCtx(0, false), true},
	}
	for _, c := range partials {
		for _, step := range []linearize.StepID{Delete, EnsureAbsent, RecoveryPoint} {
			got, ok := Steps[step].Partial(c.from)
			if ok != c.possible || ok && got != c.want {
				t.Errorf("partial %d of %s: %+v, %v; want %+v, %v", step, c.name, got, ok, c.want, c.possible)
			}
		}
	}
}

// TestVerdicts runs small hand-made histories of one context through the
// checker: the model decides them, not only its steps one by one.
func TestVerdicts(t *testing.T) {
	op := func(client int, call, ret int64, in linearize.Input, out linearize.Output) linearize.Op {
		return linearize.Op{Client: client, Call: call, Return: ret, In: in, Out: out}
	}
	get := func(ver uint64, data string) linearize.Output { return linearize.Output{Ver: ver, Data: data} }
	cases := []struct {
		name string
		init linearize.State
		ops  []linearize.Op
		want porcupine.CheckResult
	}{
		{"create, update, get", Absent, []linearize.Op{
			op(0, 0, 10, write(Create, 1, "a"), linearize.Output{}),
			op(0, 20, 30, write(Update, 2, "b"), linearize.Output{}),
			op(1, 40, 50, read(Get), get(2, "b")),
		}, porcupine.Ok},
		{"stale read after an update returned", Absent, []linearize.Op{
			op(0, 0, 10, write(Create, 1, "a"), linearize.Output{}),
			op(0, 20, 30, write(Update, 2, "b"), linearize.Output{}),
			op(1, 40, 50, read(Get), get(1, "a")),
		}, porcupine.Illegal},
		{"read concurrent with the update", Absent, []linearize.Op{
			op(0, 0, 10, write(Create, 1, "a"), linearize.Output{}),
			op(0, 20, 30, write(Update, 2, "b"), linearize.Output{}),
			op(1, 25, 50, read(Get), get(1, "a")),
		}, porcupine.Ok},
		{"two creates of one id both succeed", Absent, []linearize.Op{
			op(0, 0, 10, write(Create, 1, "a"), linearize.Output{}),
			op(1, 5, 15, write(Create, 1, "b"), linearize.Output{}),
		}, porcupine.Illegal},
		{"a failed update that may have happened", Absent, []linearize.Op{
			op(0, 0, 10, write(Create, 1, "a"), linearize.Output{}),
			op(0, 20, 30, linearize.Input{Step: Update, Ver: 2, VerKnown: true, Data: "b", Maybe: true}, failed(linearize.Unknown)),
			op(1, 40, 50, read(Get), get(2, "b")),
		}, porcupine.Ok},
		{"recovery points above the limit", Absent, []linearize.Op{
			op(0, 0, 10, write(Create, 1, "a"), linearize.Output{}),
			op(0, 20, 30, read(RecoveryPoints), linearize.Output{Count: 4}),
		}, porcupine.Illegal},
		{"tracker accepting an old version", TrackerZero, []linearize.Op{
			op(0, 0, 10, write(TrackerUpdate, 2, "a"), linearize.Output{}),
			op(0, 20, 30, write(TrackerUpdate, 1, "b"), linearize.Output{}),
		}, porcupine.Illegal},
		{"tracker refusing an old version", TrackerZero, []linearize.Op{
			op(0, 0, 10, write(TrackerUpdate, 2, "a"), linearize.Output{}),
			op(0, 20, 30, write(TrackerUpdate, 1, "b"), failed(linearize.Stale)),
			op(1, 40, 50, read(TrackerGet), get(2, "a")),
		}, porcupine.Ok},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := linearize.Check(context.Background(), []linearize.Partition{{Name: "ctx", Model: Model(c.init, 3, true), Ops: c.ops}}, linearize.Options{})
			if res[0].Verdict != c.want {
				t.Errorf("verdict %v (%s), want %v", res[0].Verdict, res[0].Why, c.want)
			}
		})
	}
}

func TestModel(t *testing.T) {
	m := Model(TrackerZero, 5, false)
	if m.Init != TrackerZero || m.Bound != (linearize.Bound{Max: 5}) || len(m.Steps) != int(numSteps) {
		t.Errorf("Model(TrackerZero, 5, false) = init %+v, bound %+v, %d steps", m.Init, m.Bound, len(m.Steps))
	}
}

// TestDescribe pins the visualisation's text of states and operations.
func TestDescribe(t *testing.T) {
	states := []struct {
		s    linearize.State
		want string
	}{
		{Absent, "absent"},
		{Unknown, "unknown"},
		{linearize.State{LB: 1}, "unknown (version ≥ 1)"},
		{ctx(3, "a", 0), `v3 "a"`},
		{ctx(3, "a", 1), `v3 "a", 1 recovery points`},
		{uncounted(3, "a"), `v3 "a"`},
		{someCtx(0, false), "v? data ?"},
	}
	for _, c := range states {
		if got := DescribeState(c.s); got != c.want {
			t.Errorf("DescribeState(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
	ops := []struct {
		in   linearize.Input
		out  linearize.Output
		want string
	}{
		{linearize.Input{Name: "manager.create", Step: Create, Ver: 1, VerKnown: true, Data: "a"}, linearize.Output{}, `manager.create(v1, "a") → ok`},
		{linearize.Input{Name: "manager.update", Step: Update, Incr: true, Data: "b"}, linearize.Output{Ver: 2}, `manager.update("b") → ok v2`},
		{linearize.Input{Name: "manager.update", Step: Update, Incr: true, Data: "b"}, linearize.Output{}, `manager.update("b") → ok`},
		{linearize.Input{Name: "manager.update", Step: Update, Data: "b", Maybe: true}, linearize.Output{Err: linearize.Unknown, Reason: "timeout"},
			`manager.update("b") → ? (timeout: may or may not have happened)`},
		{linearize.Input{Name: "manager.get", Step: Get}, linearize.Output{Err: linearize.NotFound, Reason: "not_found"}, "manager.get() → not_found"},
		{linearize.Input{Name: "manager.get", Step: Get}, linearize.Output{Ver: 2, Data: "b"}, `manager.get() → v2 "b"`},
		{linearize.Input{Name: "manager.get", Step: Get}, linearize.Output{Ver: 2, Data: "b", Count: 1, HasCount: true}, `manager.get() → v2 "b", 1 recovery points`},
		{linearize.Input{Name: "tracker.get_state", Step: TrackerGet}, linearize.Output{Ver: 2, Data: "b"}, `tracker.get_state() → v2 "b"`},
		{linearize.Input{Name: "manager.recovery_points", Step: RecoveryPoints}, linearize.Output{Count: 3}, "manager.recovery_points() → 3 points"},
		{linearize.Input{Name: "final manager.get", Step: Get}, linearize.Output{Ver: 2, Data: "b"}, `final manager.get → v2 "b"`},
	}
	for _, c := range ops {
		if got := DescribeOperation(c.in, c.out); got != c.want {
			t.Errorf("DescribeOperation(%+v, %+v) = %q, want %q", c.in, c.out, got, c.want)
		}
	}
}
