package runner

import (
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
