package lock

import (
	"testing"
	"time"
)

var sinkNs int64

func BenchmarkClock(b *testing.B) {
	b.Run("time.Now", func(b *testing.B) {
		for b.Loop() {
			sinkNs += int64(time.Now().Nanosecond())
		}
	})
	b.Run("time.Since", func(b *testing.B) {
		for b.Loop() {
			sinkNs += int64(time.Since(epoch))
		}
	})
	b.Run("nanotime", func(b *testing.B) {
		for b.Loop() {
			sinkNs += nanotime()
		}
	})
	b.Run("ticks", func(b *testing.B) { // the lock clock
		for b.Loop() {
			sinkNs += ticks()
		}
	})
	b.Run("ticks-to-ns", func(b *testing.B) { // a conversion on the trace's path
		for b.Loop() {
			sinkNs += rate().ns(sinkNs & 0xffff)
		}
	})
}
