package consistency

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"lockbench/ctxsys"
	"lockbench/results"
)

// TestRecordConcurrently: workers record at once (the race detector
// watches), nothing is lost below the cap, and the cap holds. Workers
// reserve room in chunks, so a worker that stops may leave part of its
// chunk unused: at most one chunk per worker.
func TestRecordConcurrently(t *testing.T) {
	tests := []struct {
		name     string
		cap      int
		workers  int
		perWork  int
		wantKept int
	}{
		{"below the cap", 0, 8, 500, 8 * 500},
		{"at the cap", 1000, 8, 500, 1000},
		{"cap smaller than the workers", 3, 8, 10, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := NewObserver(tt.workers, Options{History: true, HistoryCap: tt.cap})
			var wg sync.WaitGroup
			for w := range tt.workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range tt.perWork {
						at := int64(i * 10)
						o.Record(w, Op{Kind: ctxsys.ManagerGet, Key: "k", Client: w, Tracker: -1,
							Call: at, Return: at + 5, Err: "not_found"})
					}
				}()
			}
			wg.Wait()
			kept, dropped := 0, int64(0)
			for i := range o.slots {
				for _, b := range o.slots[i].blocks {
					kept += len(b)
				}
				dropped += o.slots[i].dropped
			}
			slack := int(o.chunk) * (tt.workers + 1)
			if kept > tt.wantKept || kept < tt.wantKept-slack || kept+int(dropped) != tt.workers*tt.perWork {
				t.Errorf("kept %d, dropped %d; want kept %d (-%d) of %d", kept, dropped, tt.wantKept, slack, tt.workers*tt.perWork)
			}
			got := o.Check(context.Background(), Input{})
			if got.Linearizable == "" || !got.Checked {
				t.Errorf("Check = %+v", got)
			}
		})
	}
}

// BenchmarkRecord is the cost a worker pays per operation, with and
// without a history.
func BenchmarkRecord(b *testing.B) {
	for _, history := range []bool{false, true} {
		b.Run(fmt.Sprintf("history=%v", history), func(b *testing.B) {
			const workers = 64
			o := NewObserver(workers, Options{History: history, HistoryCap: 1 << 30})
			var next atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				w := int(next.Add(1)-1) % workers
				i := int64(0)
				for pb.Next() {
					i++
					o.Record(w, Op{Kind: ctxsys.ManagerUpdate, Key: "k", Client: w, Tracker: -1,
						Call: i, Return: i + 1, Version: uint64(i), Data: "w1-1"})
				}
			})
		})
	}
}

// serialisedHistory is n operations on one context applied one after the
// other, as under one lock, each called long before it got its turn and
// returning long after, by 64 clients: the shape porcupine alone
// backtracks on.
func serialisedHistory(n int) (world, []Op) {
	r := rand.New(rand.NewPCG(1, 2))
	ops := []Op{op("manager.create", "k", -100, -50, by(-1), write(1, "p-1"))}
	cur := state(1, "p-1")
	for i := range n {
		at := int64(i * 10)
		call, ret := at-r.Int64N(2000), at+r.Int64N(2000)
		client := r.IntN(64)
		if r.IntN(10) < 7 {
			data := fmt.Sprintf("w%d-%d", client, i)
			ops = append(ops, op("manager.update", "k", call, ret, by(client), write(uint64(i+2), data)))
			cur = state(uint64(i+2), data)
		} else {
			ops = append(ops, op("manager.get", "k", call, ret, by(client), returns(cur.Version, string(cur.Data))))
		}
	}
	return world{memory: map[string]ctxsys.State{"k": cur}}, ops
}

func TestCheckSerialisedHistory(t *testing.T) {
	w, ops := serialisedHistory(20_000)
	// The shortcut that decides this history is deterministic; only its
	// time depends on the machine, so no time limit load could reach.
	in, o := observe(t, 64, Options{History: true, TimeLimit: checkLimit, TimeBudget: checkLimit}, w, ops...)
	if got := o.Check(context.Background(), in); got.Linearizable != results.LinOK {
		t.Errorf("linearizable = %q, want ok (notes %q)", got.Linearizable, got.Notes)
	}
}

// BenchmarkCheck is the cost of Check with a history of one hot context.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("ops=%d", n), func(b *testing.B) {
			w, ops := serialisedHistory(n)
			for b.Loop() {
				b.StopTimer()
				in, o := observe(b, 64, Options{History: true}, w, ops...)
				b.StartTimer()
				if got := o.Check(context.Background(), in); got.Linearizable != results.LinOK {
					b.Fatalf("linearizable = %q (notes %q)", got.Linearizable, got.Notes)
				}
			}
		})
	}
}

// TestListSome: the notes name up to eight partitions, then count the rest.
func TestListSome(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}
	if got := listSome(names[:8]); got != "a, b, c, d, e, f, g, h" {
		t.Errorf("eight names: %q", got)
	}
	if got := listSome(names); got != "a, b, c, d, e, f, g, h, … (1 more)" {
		t.Errorf("nine names: %q", got)
	}
}

// TestRecordRejectsUnknownWorkerByName: the panic names the worker, not an
// index out of range.
func TestRecordRejectsUnknownWorkerByName(t *testing.T) {
	for _, w := range []int{-2, 2} {
		func() {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, fmt.Sprintf("Record for worker %d of 2", w)) {
					t.Errorf("Record(%d) on an observer of 2 workers: panic %q", w, msg)
				}
			}()
			NewObserver(2, Options{}).Record(w, Op{Kind: ctxsys.ManagerGet})
		}()
	}
}

// TestFailuresWithinTheCap: a failed write under the history cap is kept,
// and no note says failed writes were dropped.
func TestFailuresWithinTheCap(t *testing.T) {
	w := world{memory: map[string]ctxsys.State{"a": state(2, "w1-1")}}
	in, o := observe(t, 2, Options{History: true}, w,
		op("manager.create", "a", 0, 10, write(1, "w0-1")),
		op("manager.update", "a", 20, 30, by(1), write(2, "w1-1"), failed("store")))
	got := o.Check(context.Background(), in)
	for _, n := range got.Notes {
		if strings.Contains(n, "beyond the cap") {
			t.Errorf("note %q with one failed write and no cap reached", n)
		}
	}
}
