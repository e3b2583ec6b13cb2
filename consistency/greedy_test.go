package consistency

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
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
		in := linInput{}
		out := linOutput{}
		tag := fmt.Sprintf("d%d", i)
		switch r.IntN(6) {
		case 0:
			in = linInput{Name: "manager.create", Op: mCreate, Ver: uint64(i + 1), VerKnown: true, Data: tag}
			if present {
				out.Err = eExists
			} else {
				present, data = true, tag
				written = append(written, tag)
			}
		case 1, 2:
			in = linInput{Name: "manager.update", Op: mUpdate, Ver: uint64(i + 1), VerKnown: true, Data: tag}
			switch {
			case !present:
				out.Err = eNotFound
			case r.IntN(5) == 0: // told it failed; took effect or not
				in.Maybe, out.Err = true, eStore
				if r.IntN(2) == 0 {
					data = tag
					written = append(written, tag)
				}
			default:
				data = tag
				written = append(written, tag)
			}
		case 3:
			in = linInput{Name: "manager.delete", Op: mDelete}
			if present {
				present = false
			} else {
				out.Err = eNotFound
			}
		default:
			in = linInput{Name: "manager.get", Op: mGet}
			if present {
				out.Data = data
			} else {
				out.Err = eNotFound
			}
		}
		call, ret := iv()
		ops = append(ops, porcupine.Operation{ClientId: i % 4, Input: in, Output: out, Call: call, Return: ret})
	}
	if corrupt && len(written) > 0 {
		for k := range ops {
			if in := ops[k].Input.(linInput); in.Op == mGet && ops[k].Output.(linOutput).Err == eOK {
				out := ops[k].Output.(linOutput)
				out.Data = written[r.IntN(len(written))]
				ops[k].Output = out
				break
			}
		}
	}
	// Versions are not read back here: make reads check data only.
	for k := range ops {
		if in := ops[k].Input.(linInput); in.Op == mCreate || in.Op == mUpdate {
			in.VerKnown = false
			ops[k].Input = in
		}
	}
	return ops
}

// TestShortcutsAreSound: whenever a shortcut proves a history linearizable,
// porcupine (with no time limit) agrees.
func TestShortcutsAreSound(t *testing.T) {
	model := newModel(absentState, rpLimit{max: 10, strict: true})
	agree, proved := 0, 0
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 7))
		ops := randomHistory(r, 4+r.IntN(12), seed%2 == 1)
		deadline := time.Now().Add(time.Minute)
		byClusters := linearizeByClusters(model, ops, deadline)
		greedily := linearizeGreedily(model, ops, deadline)
		searched := searchLinearization(model, ops, deadline)
		legal := porcupine.CheckOperations(model, ops)
		if (byClusters || greedily || searched) && !legal {
			t.Fatalf("seed %d: shortcut says linearizable (clusters %v, greedy %v, search %v), porcupine says not:\n%s",
				seed, byClusters, greedily, searched, describeAll(ops))
		}
		if legal != searched {
			t.Fatalf("seed %d: the search (complete, no deadline hit) says %v, porcupine %v:\n%s",
				seed, searched, legal, describeAll(ops))
		}
		if legal {
			agree++
			if byClusters || greedily {
				proved++
			}
		}
	}
	t.Logf("%d legal histories, %d proved by a shortcut", agree, proved)
}

func describeAll(ops []porcupine.Operation) string {
	s := ""
	for _, op := range ops {
		s += fmt.Sprintf("  [%d, %d] %s\n", op.Call, op.Return, describeOperation(op.Input, op.Output))
	}
	return s
}
