package lock_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"lockbench/lock"
)

// locker is what the benchmarks drive: one Lock/Unlock pair per iteration.
type locker interface {
	Lock(context.Context)
	Unlock(context.Context)
}

// plainMutex adapts sync.Mutex to locker: the baseline.
type plainMutex struct{ mu sync.Mutex }

func (p *plainMutex) Lock(context.Context)   { p.mu.Lock() }
func (p *plainMutex) Unlock(context.Context) { p.mu.Unlock() }

type variant struct {
	name string
	// maker returns a function making locks; locks of one maker share a
	// Set and a name, like the stripes of a sharded lock.
	maker func() func() locker
	trace bool
}

func (v variant) lock() locker { return v.maker()() }

func setMaker(enabled bool) func() func() locker {
	return func() func() locker {
		set := lock.NewSet(enabled)
		return func() locker { return set.Mutex("m") }
	}
}

// variants: the baseline, the zero value, a disabled Set, an instrumented
// lock without a trace in ctx, and with one.
func mutexVariants() []variant {
	return []variant{
		{name: "sync", maker: func() func() locker { return func() locker { return &plainMutex{} } }},
		{name: "zero", maker: func() func() locker { return func() locker { return &lock.Mutex{} } }},
		{name: "off", maker: setMaker(false)},
		{name: "on", maker: setMaker(true)},
		{name: "on+trace", maker: setMaker(true), trace: true},
	}
}

func benchContext(trace bool) context.Context {
	if trace {
		return lock.WithTrace(context.Background(), &lock.Trace{})
	}
	return context.Background()
}

func BenchmarkMutex(b *testing.B) {
	for _, v := range mutexVariants() {
		b.Run(v.name, func(b *testing.B) {
			mu, ctx := v.lock(), benchContext(v.trace)
			for b.Loop() {
				mu.Lock(ctx)
				mu.Unlock(ctx)
			}
		})
	}
}

// BenchmarkMutexParallel: every goroutine hammers one lock, so most
// acquisitions are contended.
func BenchmarkMutexParallel(b *testing.B) {
	for _, v := range mutexVariants() {
		b.Run(v.name, func(b *testing.B) {
			mu := v.lock()
			b.RunParallel(func(pb *testing.PB) {
				ctx := benchContext(v.trace) // one trace per goroutine
				for pb.Next() {
					mu.Lock(ctx)
					mu.Unlock(ctx)
				}
			})
		})
	}
}

// BenchmarkStripedParallel: 256 stripes under one name, as sharded's key
// locks; goroutines rarely meet on a stripe, so this measures what the
// instrumentation's shared state costs when the locks themselves do not
// contend.
func BenchmarkStripedParallel(b *testing.B) {
	const stripes = 256
	for _, v := range mutexVariants() {
		b.Run(v.name, func(b *testing.B) {
			locks, newLock := make([]locker, stripes), v.maker()
			for i := range locks {
				locks[i] = newLock()
			}
			var seed atomic.Uint32
			b.RunParallel(func(pb *testing.PB) {
				ctx := benchContext(v.trace)
				x := seed.Add(0x9e3779b9) | 1
				for pb.Next() {
					x ^= x << 13
					x ^= x >> 17
					x ^= x << 5
					mu := locks[x%stripes]
					mu.Lock(ctx)
					mu.Unlock(ctx)
				}
			})
		})
	}
}

type rlocker interface {
	RLock(context.Context)
	RUnlock(context.Context)
}

type plainRWMutex struct{ mu sync.RWMutex }

func (p *plainRWMutex) RLock(context.Context)   { p.mu.RLock() }
func (p *plainRWMutex) RUnlock(context.Context) { p.mu.RUnlock() }

func rwVariants() []struct {
	name  string
	lock  func() rlocker
	trace bool
} {
	return []struct {
		name  string
		lock  func() rlocker
		trace bool
	}{
		{name: "sync", lock: func() rlocker { return &plainRWMutex{} }},
		{name: "zero", lock: func() rlocker { return &lock.RWMutex{} }},
		{name: "off", lock: func() rlocker { return lock.NewSet(false).RWMutex("rw") }},
		{name: "on", lock: func() rlocker { return lock.NewSet(true).RWMutex("rw") }},
		{name: "on+trace", lock: func() rlocker { return lock.NewSet(true).RWMutex("rw") }, trace: true},
	}
}

func BenchmarkRLock(b *testing.B) {
	for _, v := range rwVariants() {
		b.Run(v.name, func(b *testing.B) {
			mu, ctx := v.lock(), benchContext(v.trace)
			for b.Loop() {
				mu.RLock(ctx)
				mu.RUnlock(ctx)
			}
		})
	}
}

// BenchmarkRLockParallel: readers only, so no reader waits; what remains
// is the cost of the reader count and of the instrumentation's shared state.
func BenchmarkRLockParallel(b *testing.B) {
	for _, v := range rwVariants() {
		b.Run(v.name, func(b *testing.B) {
			mu := v.lock()
			b.RunParallel(func(pb *testing.PB) {
				ctx := benchContext(v.trace)
				for pb.Next() {
					mu.RLock(ctx)
					mu.RUnlock(ctx)
				}
			})
		})
	}
}

// BenchmarkIO: a store call bracketed by BeginIO and End while one lock is
// held, the held_io path (the call itself does nothing).
func BenchmarkIO(b *testing.B) {
	for _, traced := range []bool{false, true} {
		name := "no-trace"
		if traced {
			name = "trace"
		}
		b.Run(name, func(b *testing.B) {
			mu, ctx := lock.NewSet(true).Mutex("m"), benchContext(traced)
			mu.Lock(ctx)
			for b.Loop() {
				lock.BeginIO(ctx).End()
			}
			mu.Unlock(ctx)
		})
	}
}
