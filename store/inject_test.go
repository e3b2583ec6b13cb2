package store_test

import (
	"context"
	"errors"
	"testing"

	"lockbench/store"
)

func TestSimSetInjection(t *testing.T) {
	s, err := store.Open("sim:errors=1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	inj := s.(store.Injector)

	inj.SetInjection(false)
	if err := s.Put(ctx, "k", []byte("v")); err != nil {
		t.Fatalf("Put with injection off: %v", err)
	}
	if st := s.(store.StatsReporter).Stats(); st.ErrorsInjected != 0 {
		t.Errorf("calls with injection off counted as injected failures: %+v", st)
	}

	inj.SetInjection(true)
	if err := s.Put(ctx, "k", []byte("w")); !errors.Is(err, store.ErrInjected) {
		t.Fatalf("Put with injection on: %v, want ErrInjected", err)
	}
	inj.SetInjection(false)
	if v, err := s.Get(ctx, "k"); err != nil || string(v) != "v" {
		t.Errorf("Get = %q, %v; the failed Put must not have written", v, err)
	}
}
