//go:build linux

package timing

import (
	"math"
	"testing"
	"time"
)

func TestPreciseOnLinux(t *testing.T) {
	if !Precise() {
		t.Fatal("no timerfd alarm on Linux")
	}
}

// checkQuiescentAlarm fails t unless the alarm is at rest: no pending
// sleeper in any shard, nothing armed.
func checkQuiescentAlarm(t *testing.T) {
	t.Helper()
	a := theAlarm()
	n := 0
	for i := range a.shards {
		s := &a.shards[i]
		s.mu.Lock()
		n += len(s.pending)
		if len(s.pending) == 0 && s.earliest.Load() != math.MaxInt64 {
			t.Errorf("shard %d is empty but publishes %d", i, s.earliest.Load())
		}
		s.mu.Unlock()
	}
	if n != 0 || a.armed.Load() != math.MaxInt64 || a.rearms.Load() {
		t.Fatalf("after all sleepers returned: %d pending, armed %d, re-arming %v; want 0, none, false",
			n, a.armed.Load(), a.rearms.Load())
	}
}

// TestManySleepers has more sleepers than shards, of a few delays.
func TestManySleepers(t *testing.T) {
	done := make(chan struct{})
	const sleepers = 8 * alarmShards
	for i := range sleepers {
		go func() {
			for range 5 {
				Sleep(time.Duration(100+i%3*50) * time.Microsecond)
			}
			done <- struct{}{}
		}()
	}
	for range sleepers {
		<-done
	}
	checkQuiescentAlarm(t)
}

// TestOwnerRace makes deadlines pass while the alarm is handed over: delays
// of a few microseconds.
func TestOwnerRace(t *testing.T) {
	done := make(chan struct{})
	const sleepers = 2 * alarmShards
	for g := range sleepers {
		go func() {
			for i := range 300 {
				Sleep(time.Duration(1+(g*7+i)%13) * time.Microsecond)
			}
			done <- struct{}{}
		}()
	}
	for range sleepers {
		<-done
	}
	checkQuiescentAlarm(t)
}
