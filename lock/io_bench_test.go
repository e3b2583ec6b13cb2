package lock_test

import (
	"context"
	"testing"

	"lockbench/lock"
)

// BenchmarkIOBracket measures BeginIO and End around a user's own blocking
// call: without a trace (instrumentation off, or outside the runner) and
// with one, holding one lock.
func BenchmarkIOBracket(b *testing.B) {
	b.Run("trace=off", func(b *testing.B) {
		ctx := context.WithValue(context.Background(), struct{}{}, 1)
		for b.Loop() {
			lock.BeginIO(ctx).End()
		}
	})
	b.Run("trace=on", func(b *testing.B) {
		ctx := lock.WithTrace(context.Background(), &lock.Trace{})
		mu := lock.NewSet(true).Mutex("bench.held")
		mu.Lock(ctx)
		defer mu.Unlock(ctx)
		for b.Loop() {
			lock.BeginIO(ctx).End()
		}
	})
}
