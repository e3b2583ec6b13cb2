package impltest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// parkedStates are the goroutine wait reasons (as runtime.Stack prints them)
// of a goroutine that cannot move until another goroutine acts: blocked on a
// sync lock, a channel or a select. Running, runnable, syscall and sleeping
// goroutines are not parked, and neither is "semacquire": the runtime parks
// goroutines with that reason on its own semaphores (a malloc waiting for a
// stop-the-world, such as Parked's own stack dump, to end), from which they
// resume by themselves.
var parkedStates = []string{
	"sync.Mutex.Lock",
	"sync.RWMutex.Lock",
	"sync.RWMutex.RLock",
	"sync.Cond.Wait",
	"sync.WaitGroup.Wait",
	"chan receive",
	"chan send",
	"select",
}

// Parked returns how many goroutines are parked with marker in their stack.
// marker is part of a function name as stack traces print it, e.g.
// "sharded.(*Manager).Create" or "mypkg.worker(".
//
// Goroutines parked on each other and on a test's gate stay parked until the
// test acts, so "n goroutines with marker are parked" is a stable condition a
// test can wait for instead of sleeping.
func Parked(marker string) int {
	n := 0
	for _, g := range strings.Split(allStacks(), "\n\n") {
		if isParked(g) && strings.Contains(g, marker) {
			n++
		}
	}
	return n
}

// isParked reads the state of one goroutine's stack trace, whose first line
// is "goroutine 7 [chan receive]:" or "goroutine 7 [select, 2 minutes]:".
func isParked(stack string) bool {
	header, _, _ := strings.Cut(stack, "\n")
	_, state, ok := strings.Cut(header, "[")
	if !ok {
		return false
	}
	state, _, _ = strings.Cut(state, "]")
	state, _, _ = strings.Cut(state, ",")
	for _, p := range parkedStates {
		if state == p {
			return true
		}
	}
	return false
}

func allStacks() string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// hangGuard bounds Await so that a broken strategy fails the test with a
// goroutine dump instead of hanging it. It is not a timing assertion: a
// correct strategy reaches the awaited condition in microseconds.
const hangGuard = 30 * time.Second

// Await polls cond, yielding the processor between polls (no sleeps), until
// it returns true. It fails tb with a dump of every goroutine if cond is
// still false after a generous guard time.
func Await(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(hangGuard)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("impltest: still waiting for %s after %v; goroutines:\n%s", what, hangGuard, allStacks())
		}
		runtime.Gosched()
	}
}

// AwaitParked waits until at least n goroutines with marker in their stack
// are parked (see Parked).
func AwaitParked(tb testing.TB, marker string, n int) {
	tb.Helper()
	Await(tb, fmt.Sprintf("%d goroutines parked in %s", n, marker), Stable(func() bool { return Parked(marker) >= n }))
}

// Stable returns a condition that holds once cond held on two polls in a
// row. A condition on parked goroutines that is really reached stays true;
// Stable filters out a snapshot that caught a goroutine in a wait the
// runtime ends by itself.
func Stable(cond func() bool) func() bool {
	streak := 0
	return func() bool {
		if cond() {
			streak++
		} else {
			streak = 0
		}
		return streak >= 2
	}
}
