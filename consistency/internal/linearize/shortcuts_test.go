package linearize_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"lockbench/consistency/internal/ctxmodel"
	. "lockbench/consistency/internal/linearize"
)

// randomHistory runs a random sequence of operations on one context
// against a reference, gives each a random interval around its instant,
// and, when corrupt, changes one read's result — so the history may be
// illegal.
func randomHistory(r *rand.Rand, n int, corrupt bool) []porcupine.Operation {
	var (
		ops     []porcupine.Operation
		present bool
		data    string
		written []string
	)
	for i := range n {
		at := int64(i * 10)
		iv := func() (int64, int64) { return at - r.Int64N(25), at + r.Int64N(25) }
		in := Input{}
		out := Output{}
		tag := fmt.Sprintf("d%d", i)
		switch r.IntN(6) {
		case 0:
			in = Input{Name: "manager.create", Step: ctxmodel.Create, Ver: uint64(i + 1), VerKnown: true, Data: tag}
			if present {
				out.Err = Exists
			} else {
				present, data = true, tag
				written = append(written, tag)
			}
		case 1, 2:
			in = Input{Name: "manager.update", Step: ctxmodel.Update, Ver: uint64(i + 1), VerKnown: true, Data: tag}
			switch {
			case !present:
				out.Err = NotFound
			case r.IntN(5) == 0: // told it failed; took effect or not
				in.Maybe, out.Err, out.Reason = true, Unknown, "store"
				if r.IntN(2) == 0 {
					data = tag
					written = append(written, tag)
				}
			default:
				data = tag
				written = append(written, tag)
			}
		case 3:
			in = Input{Name: "manager.delete", Step: ctxmodel.Delete}
			if present {
				present = false
			} else {
				out.Err = NotFound
			}
		default:
			in = Input{Name: "manager.get", Step: ctxmodel.Get}
			if present {
				out.Data = data
			} else {
				out.Err = NotFound
			}
		}
		call, ret := iv()
		ops = append(ops, porcupine.Operation{ClientId: i % 4, Input: in, Output: out, Call: call, Return: ret})
	}
	if corrupt && len(written) > 0 {
		for k := range ops {
			if in := ops[k].Input.(Input); in.Step == ctxmodel.Get && ops[k].Output.(Output).Err == OK {
				out := ops[k].Output.(Output)
				out.Data = written[r.IntN(len(written))]
				ops[k].Output = out
				break
			}
		}
	}
	// Versions are not read back here: make reads check data only.
	for k := range ops {
		if in := ops[k].Input.(Input); in.Step == ctxmodel.Create || in.Step == ctxmodel.Update {
			in.VerKnown = false
			ops[k].Input = in
		}
	}
	return ops
}

// TestShortcutsAreSound: whenever a shortcut proves a history linearizable,
// porcupine (with no time limit) agrees; and the search, complete when no
// deadline is hit, agrees with porcupine both ways. On the context model and
// on a plain register, the shape of a key-value store's model.
//
// The shortcuts exist to spare porcupine (seconds on a few hundred
// concurrent operations, where they take milliseconds), so each must also
// keep proving as many of these legal histories as it did when measured
// (clusters, greedy): a change that weakens one fails here, though every
// verdict would stay the same.
func TestShortcutsAreSound(t *testing.T) {
	t.Run("context", func(t *testing.T) {
		model := ctxmodel.Model(ctxmodel.Absent, 10, true)
		checkSound(t, &model, randomHistory, 1923, 2714)
	})
	t.Run("register", func(t *testing.T) {
		checkSound(t, &register, randomRegisterHistory, 1991, 2094)
	})
}

func checkSound(t *testing.T, model *Model, history func(r *rand.Rand, n int, corrupt bool) []porcupine.Operation, minClusters, minGreedy int) {
	agree, proved, clusters, greedy := 0, 0, 0, 0
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 7))
		ops := history(r, 4+r.IntN(12), seed%2 == 1)
		byClusters, greedily, searched := Shortcuts(model, ops, time.Now().Add(time.Minute))
		legal := porcupine.CheckOperations(Porcupine(model), ops)
		if (byClusters || greedily || searched) && !legal {
			t.Fatalf("seed %d: shortcut says linearizable (clusters %v, greedy %v, search %v), porcupine says not:\n%s",
				seed, byClusters, greedily, searched, describeAll(model, ops))
		}
		if legal != searched {
			t.Fatalf("seed %d: the search (complete, no deadline hit) says %v, porcupine %v:\n%s",
				seed, searched, legal, describeAll(model, ops))
		}
		if legal {
			agree++
			if byClusters || greedily {
				proved++
			}
		}
		if byClusters {
			clusters++
		}
		if greedily {
			greedy++
		}
	}
	if clusters < minClusters || greedy < minGreedy {
		t.Errorf("of %d legal histories, the clusters prove %d (measured: %d), the greedy construction %d (measured: %d)",
			agree, clusters, minClusters, greedy, minGreedy)
	}
	t.Logf("%d legal histories, %d proved by a shortcut (clusters %d, greedy %d)", agree, proved, clusters, greedy)
}

// TestClustersDecideRegisters: on a register of unique values, with no
// operation of unknown outcome and no read of the initial value, an order
// of clusters exists iff the history is linearizable — so the first
// shortcut alone decides these histories, both ways.
func TestClustersDecideRegisters(t *testing.T) {
	legal := 0
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 7))
		var ops []porcupine.Operation
		for _, op := range randomRegisterHistory(r, 4+r.IntN(12), seed%2 == 1) {
			in, out := op.Input.(Input), op.Output.(Output)
			if in.Maybe || in.Step == getStep && out.Data == "" {
				continue
			}
			ops = append(ops, op)
		}
		byClusters, _, _ := Shortcuts(&register, ops, time.Now().Add(time.Minute))
		want := porcupine.CheckOperations(Porcupine(&register), ops)
		if byClusters != want {
			t.Fatalf("seed %d: the clusters say %v, porcupine %v:\n%s", seed, byClusters, want, describeAll(&register, ops))
		}
		if want {
			legal++
		}
	}
	if legal == 0 {
		t.Error("no legal history generated")
	}
}

// TestShortcutsStopAtDeadline: past its deadline no shortcut claims a
// proof; porcupine, within its own limit, decides then.
func TestShortcutsStopAtDeadline(t *testing.T) {
	ops := porcupineOps(sequentialPuts(20, -1))
	if c, g, s := Shortcuts(&register, ops, time.Now().Add(time.Minute)); !c || !g || !s {
		t.Fatalf("in time: clusters %v, greedy %v, search %v; want each to prove the history", c, g, s)
	}
	for _, n := range []int{1, len(ops)} {
		byClusters, greedily, searched := Shortcuts(&register, ops[:n], time.Now().Add(-time.Second))
		if byClusters || greedily || searched {
			t.Errorf("%d operations past the deadline: clusters %v, greedy %v, search %v; want none", n, byClusters, greedily, searched)
		}
	}
}

func describeAll(model *Model, ops []porcupine.Operation) string {
	s := ""
	for _, op := range ops {
		s += fmt.Sprintf("  [%d, %d] %s\n", op.Call, op.Return, model.DescribeOperation(op.Input.(Input), op.Output.(Output)))
	}
	return s
}

// register is a read/write register of unique values, the model of one key
// of a key-value store: put replaces the value, get returns it ("" before
// any put).
var register = Model{
	Steps: []Step{
		putStep: {
			Apply:    func(s State, in Input, _ Output, b Bound) (State, bool) { return putEffect(s, in, b) },
			Effect:   putEffect,
			Replaces: true,
		},
		getStep: {
			Apply: func(s State, _ Input, out Output, _ Bound) (State, bool) {
				return s, !s.HasData || s.Data == out.Data
			},
			Read: true,
		},
	},
	Init:              State{Presence: KeyPresent, HasData: true},
	DescribeOperation: func(in Input, out Output) string { return fmt.Sprintf("%s(%q) → %q", in.Name, in.Data, out.Data) },
}

const (
	putStep StepID = iota
	getStep
)

func putEffect(_ State, in Input, _ Bound) (State, bool) {
	return State{Presence: KeyPresent, HasData: true, Data: in.Data}, true
}

// randomRegisterHistory is a random history of puts and gets on one
// register, with intervals around each operation's instant; some puts have
// an unknown outcome; when corrupt, one get returns another value.
func randomRegisterHistory(r *rand.Rand, n int, corrupt bool) []porcupine.Operation {
	var ops []porcupine.Operation
	value, written := "", []string{""}
	for i := range n {
		at := int64(i * 10)
		in, out := Input{Name: "get", Step: getStep}, Output{}
		if r.IntN(2) == 0 {
			in = Input{Name: "put", Step: putStep, Data: fmt.Sprintf("v%d", i)}
			if r.IntN(5) == 0 { // told it failed; took effect or not
				in.Maybe, out.Err = true, Unknown
				if r.IntN(2) == 0 {
					value = in.Data
				}
			} else {
				value = in.Data
			}
			written = append(written, in.Data)
		} else {
			out.Data = value
		}
		ops = append(ops, porcupine.Operation{ClientId: i % 4, Input: in, Output: out,
			Call: at - r.Int64N(25), Return: at + r.Int64N(25)})
	}
	if corrupt {
		for k := range ops {
			if ops[k].Input.(Input).Step == getStep {
				ops[k].Output = Output{Data: written[r.IntN(len(written))]}
				break
			}
		}
	}
	return ops
}
