package lock_test

import (
	"context"
	"fmt"

	"lockbench/lock"
)

// A worker carries a Trace in its context; the store call it makes while
// holding "manager.persist" is charged to that lock's held_io, and not to
// "manager.contexts", which it released before the call.
func Example() {
	locks := lock.NewSet(true)
	contexts := locks.RWMutex("manager.contexts")
	persist := locks.Mutex("manager.persist")

	tr := &lock.Trace{}
	ctx := lock.WithTrace(context.Background(), tr)

	contexts.RLock(ctx)
	contexts.RUnlock(ctx)
	persist.Lock(ctx)
	fmt.Println("held:", locks.Held())
	lock.BeginIO(ctx).End() // what store.Instrument does around a store call
	persist.Unlock(ctx)
	fmt.Println("held:", locks.Held())

	snap := locks.Snapshot()
	for _, name := range locks.Names() {
		s := snap[name]
		heldIO := "none"
		if s.HeldIONs > 0 {
			heldIO = "the store call"
		}
		fmt.Printf("%s: acquisitions=%d contended=%d held_io=%s\n",
			name, s.Acquisitions, s.Contended, heldIO)
	}
	fmt.Println("store calls:", tr.IOCalls)
	// Output:
	// held: [manager.persist]
	// held: []
	// manager.contexts: acquisitions=1 contended=0 held_io=none
	// manager.persist: acquisitions=1 contended=0 held_io=the store call
	// store calls: 1
}
