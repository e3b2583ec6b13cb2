package consistency
import ("testing";"fmt";"time";"math/rand/v2";"lockbench/ctxsys";"context")
func TestDbg(t *testing.T) {
	for _, workers := range []int{16, 64, 256} {
	for _, strat := range []string{"naive", "sharded"} {
	h := newHarness(t, strat, workers, ctxsys.Config{}, true)
	h.create(-1, "k")
	h.burst(workers, func(w int) {
		r := rand.New(rand.NewPCG(1, uint64(w)))
		for range 200000/workers { if r.IntN(10) < 7 { h.update(w, "k") } else { h.get(w, "k") } }
	})
	hh := h.obs.collect()
	var n notes
	q := inspect(context.Background(), Input{System: h.sys, Store: h.raw}, h.obs.opt.Config, hh, &n)
	c := newCounts(); q.count(c, hh, &n)
	l := linCheck{opt: h.obs.opt, hist: hh, final: q, workers: workers, notes: &n, ctx: context.Background(), deadline: time.Now().Add(10*time.Minute)}
	p := l.partitions()[0]
	N := len(p.ops)
	fails, cf := 0, 0
	st := time.Now()
	for w := 0; w < 20; w++ {
		lo, hi := w*N/20, (w+1)*N/20
		if !linearizeByClusters(l.model(p, lo), p.window(lo, hi), time.Now().Add(time.Minute)) { cf++ }
		if !l.greedy(p, lo, hi) { fails++ }
	}
	st2 := time.Now()
	whole := linearizeByClusters(l.model(p, 0), p.window(0, N), time.Now().Add(time.Minute))
	fmt.Println(strat, workers, "cluster fails", cf, "fails", fails, time.Since(st), "whole", whole, time.Since(st2))
	}
	}
}
