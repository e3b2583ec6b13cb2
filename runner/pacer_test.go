package runner

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// TestPoissonSchedule: the hits-th operation's due time is fixed once
// drawn — asking again, later, gives the same time less the time elapsed —
// and the first operation is due at once. A zero rate stops the schedule.
func TestPoissonSchedule(t *testing.T) {
	p := newPacer("poisson", 1000, 1, 1)
	if wait, stop := p.Pace(0, 0); stop || wait != 0 {
		t.Errorf("first operation due in %s (stop %v), want at once", wait, stop)
	}
	w1, _ := p.Pace(0, 5)
	w2, _ := p.Pace(0, 5)
	w3, _ := p.Pace(time.Millisecond, 5)
	if w1 <= 0 || w2 != w1 || w3 != w1-time.Millisecond {
		t.Errorf("sixth operation due in %s, then %s, and %s after 1ms: want one due time", w1, w2, w3)
	}
	if uniform := newPacer("uniform", 1000, 1, 1); uniform != (UniformPacer{Rate: 1000}) {
		t.Errorf("newPacer(uniform) = %#v", uniform)
	}
	if _, stop := (&PoissonPacer{}).Pace(0, 1); !stop {
		t.Error("a zero rate must stop the schedule")
	}
}

// stepPacer dues the h-th operation at h ms, and closes the window (sets
// t1) when asked for operation closeAt.
type stepPacer struct {
	r       *run
	closeAt uint64
}

func (p stepPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if hits == p.closeAt {
		p.r.t1.Store(1) // any due time is at or after it
	}
	return time.Duration(hits)*time.Millisecond - elapsed, hits >= 5
}

// TestPaceFeedsDueTimes: the schedule holds the pacer's due times — not
// when a sleep happened to end — each released no earlier than it is due,
// and ends when the pacer stops or a due time reaches the window's close.
func TestPaceFeedsDueTimes(t *testing.T) {
	for _, tc := range []struct {
		closeAt uint64
		want    int
	}{{closeAt: 99, want: 5}, {closeAt: 3, want: 3}} {
		r := &run{clock: newClock(), sched: make(chan int64, 8)}
		r.clock.epoch -= int64(time.Second)
		before := r.clock.now()
		go r.pace(context.Background(), stepPacer{r: r, closeAt: tc.closeAt})
		var got []int64
		for intended := range r.sched {
			// Released at its due time (timing.Sleep may end a hair early).
			if now := r.clock.now(); now < intended-int64(200*time.Microsecond) {
				t.Errorf("op due at %d released at %d", intended, now)
			}
			got = append(got, intended)
		}
		if len(got) != tc.want {
			t.Fatalf("window closing at op %d: %d ops scheduled, want %d", tc.closeAt, len(got), tc.want)
		}
		if got[0] < before || got[0] > before+int64(100*time.Millisecond) {
			t.Errorf("first op due at %d, the pacer began after %d", got[0], before)
		}
		for h := range got {
			if d := got[h] - got[0]; d != int64(h)*int64(time.Millisecond) {
				t.Errorf("op %d due %d ns after the first, want %d ms", h, d, h)
			}
		}
	}
}

// TestUniformPacerDueTimes: the h-th operation is due at h/Rate, so the
// wait is that less the time elapsed — negative when the schedule is
// behind — and a rate of zero or less ends the schedule.
func TestUniformPacerDueTimes(t *testing.T) {
	p := UniformPacer{Rate: 1000}
	for _, tc := range []struct {
		elapsed time.Duration
		hits    uint64
		want    time.Duration
	}{
		{0, 0, 0},
		{0, 5, 5 * time.Millisecond},
		{2 * time.Millisecond, 5, 3 * time.Millisecond},
		{7 * time.Millisecond, 5, -2 * time.Millisecond},
	} {
		if wait, stop := p.Pace(tc.elapsed, tc.hits); stop || wait != tc.want {
			t.Errorf("operation %d after %s: due in %s (stop %v), want %s", tc.hits, tc.elapsed, wait, stop, tc.want)
		}
	}
	for _, rate := range []float64{0, -1} {
		if _, stop := (UniformPacer{Rate: rate}).Pace(0, 1); !stop {
			t.Errorf("rate %v must stop the schedule", rate)
		}
	}
}

// TestPoissonGaps: the gaps are the seeded exponential draws scaled to
// the rate, one per operation, however the operations are asked for: the
// h-th operation is due at the sum of the first h gaps. A run's schedule
// repeats with its seed and repetition, and another repetition has another.
func TestPoissonGaps(t *testing.T) {
	const rate = 500
	draws := rand.New(rand.NewPCG(7, 2))
	due := make([]time.Duration, 12)
	for h := 1; h < len(due); h++ {
		due[h] = due[h-1] + time.Duration(draws.ExpFloat64()*1e9/rate)
	}
	p := newPacer("poisson", rate, 7, 2)
	for _, h := range []uint64{0, 1, 2, 5, 5, 11} {
		if wait, stop := p.Pace(time.Millisecond, h); stop || wait != due[h]-time.Millisecond {
			t.Errorf("operation %d due in %s (stop %v), want %s", h, wait, stop, due[h]-time.Millisecond)
		}
	}
	other, _ := newPacer("poisson", rate, 7, 3).Pace(0, 5)
	if other == due[5] {
		t.Errorf("repetitions 2 and 3 have the same schedule")
	}
}

// TestPaceStopsAtTheWindowsClose: an operation due exactly when the window
// closes is not scheduled: the window is [t0, t1).
func TestPaceStopsAtTheWindowsClose(t *testing.T) {
	// An unbuffered schedule: the pacer cannot reach operation 3 before the
	// window's close is set, right after operation 0 is taken.
	r := &run{clock: newClock(), sched: make(chan int64)}
	r.clock.epoch -= int64(time.Second)
	go r.pace(context.Background(), stepPacer{r: r, closeAt: 99})
	first := <-r.sched
	r.t1.Store(first + 3*int64(time.Millisecond))
	got := []int64{first}
	for intended := range r.sched {
		got = append(got, intended)
	}
	if len(got) != 3 {
		t.Errorf("window closing at operation 3's due time: %d operations scheduled, want 3", len(got))
	}
}
