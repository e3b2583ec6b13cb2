package targettest_test

import (
	"context"
	"testing"

	"lockbench/store"
	"lockbench/target/targettest"
)

// TestGateStops: an operation parked at stop 2 is held just after its
// first store call — the write done, the call not returned — until
// Release; other operations pass the gate untouched.
func TestGateStops(t *testing.T) {
	raw := store.NewMemory()
	g := targettest.NewGate(raw)
	ctx, p := targettest.Park(context.Background(), 2)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		if err := g.Put(ctx, "k", []byte("a")); err != nil {
			t.Error(err)
		}
	}()
	<-p.Arrived()
	if v, err := raw.Get(context.Background(), "k"); err != nil || string(v) != "a" {
		t.Fatalf("stopped after the call, but the write is not there: %q, %v", v, err)
	}
	if err := g.Put(context.Background(), "other", []byte("b")); err != nil {
		t.Fatalf("an operation not parked was held: %v", err)
	}
	select {
	case <-returned:
		t.Fatal("the parked call returned before Release")
	default:
	}
	p.Release()
	<-returned
	p.Release() // twice is fine
}
