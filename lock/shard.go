package lock

import (
	"sync"
	"sync/atomic"

	"lockbench/internal/loghist"
)

// family is everything made under one name: the locks (to check Held and
// add up untraced readers) and their figures, split into per-P shards. Two
// readers of one RWMutex, or two stripes of a sharded lock, running on two
// cores record on two cache lines: without shards, the counters of a
// read-mostly lock bounce between cores on every acquisition, and measured
// on this project's 2-core machine that cost more than the clock reads.
//
// What every release reads — the shards and the time of the last reset —
// comes first, and the family is padded to 128 bytes, a size the allocator
// aligns to, so those fields share one cache line (TestFamilyLayout).
type family struct {
	shards []shard // len is a power of two
	mask   int
	// resetAt is the time of the last Reset, in ticks: a hold (and its
	// held-in-I/O and held-waiting parts) that straddles it counts from it
	// on, so a lock's busy time never exceeds the time since the reset.
	// Written by Reset, read on every release (a line no one writes).
	resetAt atomic.Int64

	locks   []registered // guarded by the Set's mu
	striped bool         // made by Set.Stripes: per-key locks, not map-wide
	_       [128 - 24 - 8 - 8 - 24 - 8]byte
}

// since returns t, or the last reset if t is before it.
func (f *family) since(t int64) int64 { return max(t, f.resetAt.Load()) }

// shard is one P's part of a family's figures, in ticks. Each release
// records its hold in holds, so holds' count is the number of (timed)
// acquisitions. What a release and an I/O call touch fills the first cache
// line exactly (three counters and the holds histogram's header), what the
// contended path touches the second, so a release reads and writes one line
// of the shard besides its histogram bucket (TestShardLayout).
type shard struct {
	holdTotal atomic.Int64
	holdMax   atomic.Int64
	heldIO    atomic.Int64
	holds     loghist.Histogram // loghist.Coarse: 12.5% buckets, cheap to record

	contended atomic.Int64
	waitTotal atomic.Int64
	waitMax   atomic.Int64
	waits     loghist.Histogram // contended waits only
}

// newFamily returns a family; a disabled one records nothing and has no
// shards.
func newFamily(enabled bool) *family {
	f := &family{}
	if enabled {
		n := shardCount()
		f.shards, f.mask = make([]shard, n), n-1
		for i := range f.shards {
			f.shards[i].holds.Init(loghist.Coarse)
			f.shards[i].waits.Init(loghist.Coarse)
		}
	}
	return f
}

// shard returns the caller's P's shard.
func (f *family) shard() *shard { return &f.shards[procID()&f.mask] }

// contended records a wait, from t0 to acquired, after a failed first
// attempt. The uncontended acquisitions, which wait 0, are counted when
// they are released. The wait counts in full even if it began before a
// reset, as the operation's latency does; the locks its goroutine holds
// meanwhile are charged only the part since the reset, as their holds are.
func (f *family) contended(t0, acquired int64, tr *Trace) {
	wait := acquired - t0
	sh := f.shard()
	sh.contended.Add(1)
	sh.waitTotal.Add(wait)
	storeMax(&sh.waitMax, wait)
	sh.waits.Record(wait)
	if tr != nil {
		tr.LockWaitNs += rate().ns(wait)
		tr.waited(acquired - f.since(t0))
	}
}

// released records a timed hold, in ticks (>= 0), and with it the
// acquisition.
func (f *family) released(hold int64) {
	sh := f.shard()
	sh.holdTotal.Add(hold)
	storeMax(&sh.holdMax, hold)
	sh.holds.Record(hold)
}

func (f *family) chargeIO(d int64) { f.shard().heldIO.Add(max(d, 0)) }

func storeMax(m *atomic.Int64, v int64) {
	for {
		cur := m.Load()
		if v <= cur || m.CompareAndSwap(cur, v) {
			return
		}
	}
}

// snapshot adds f up in ticks (now is in ticks) and converts with r.
func (f *family) snapshot(now int64, r tickRate) Snapshot {
	var snap Snapshot
	waits, holds := loghist.NewCounts(loghist.Coarse), loghist.NewCounts(loghist.Coarse)
	for i := range f.shards {
		sh := &f.shards[i]
		snap.Contended += sh.contended.Load()
		snap.WaitTotalNs += sh.waitTotal.Load()
		snap.WaitMaxNs = max(snap.WaitMaxNs, sh.waitMax.Load())
		snap.HoldTotalNs += sh.holdTotal.Load()
		snap.HoldMaxNs = max(snap.HoldMaxNs, sh.holdMax.Load())
		snap.HeldIONs += sh.heldIO.Load()
		sh.waits.AddTo(&waits)
		sh.holds.AddTo(&holds)
	}
	snap.Acquisitions = holds.Count()
	snap.Locks, snap.Striped = len(f.locks), f.striped
	for _, l := range f.locks {
		l.addUntimed(&snap, now)
		own := l.instance()
		if own == nil {
			continue
		}
		in := Writers{HoldNs: own.hold.Load(), HeldIONs: own.heldIO.Load(), HeldWaitNs: own.heldWait.Load()}
		snap.Writers.add(in)
		if in.HoldNs-in.HeldWaitNs > snap.Busiest.HoldNs-snap.Busiest.HeldWaitNs {
			snap.Busiest = in
		}
	}
	// Uncontended acquisitions waited 0; they are the bulk of the
	// distribution wait p99 is over.
	waits.Add(0, max(snap.Acquisitions-snap.Contended, 0))
	snap.WaitP99Ns = min(waits.Quantile(0.99), snap.WaitMaxNs)
	snap.HoldP99Ns = min(holds.Quantile(0.99), snap.HoldMaxNs)
	return snap.inNs(r)
}

func (f *family) reset(now int64) {
	f.resetAt.Store(now)
	for i := range f.shards {
		sh := &f.shards[i]
		for _, c := range []*atomic.Int64{&sh.holdTotal, &sh.holdMax, &sh.heldIO,
			&sh.contended, &sh.waitTotal, &sh.waitMax} {
			c.Store(0)
		}
		sh.holds.Reset()
		sh.waits.Reset()
	}
	for _, l := range f.locks {
		l.resetUntimed(now)
		if own := l.instance(); own != nil {
			own.reset()
		}
	}
}

// untracedReaders times the readers that carry no Trace. Which reader a
// release belongs to is unknowable, but the sum of their hold times is not:
// it is the sum of release times minus the sum of acquisition times. Open
// readers are counted so that a snapshot taken while they hold counts them
// up to now, and a reset counts them from the reset on. The mutex keeps the
// figures consistent with each other; only untraced readers take it, and the
// runner always traces.
type untracedReaders struct {
	mu       sync.Mutex
	open     int64 // readers holding now
	sum      int64 // release times - acquisition times, ticks
	released int64 // acquisitions released
}

func (u *untracedReaders) acquired(start int64) {
	u.mu.Lock()
	u.open++
	u.sum -= start
	u.mu.Unlock()
}

func (u *untracedReaders) releasedAt(end int64) {
	u.mu.Lock()
	u.released++
	// open == 0: a traced reader released without its trace; its start
	// is on a trace out of reach, so its hold is not timed.
	if u.open > 0 {
		u.open--
		u.sum += end
	}
	u.mu.Unlock()
}

func (u *untracedReaders) addTo(s *Snapshot, now int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	s.Acquisitions += u.released
	s.HoldTotalNs += max(u.sum+u.open*now, 0)
}

func (u *untracedReaders) reset(now int64) {
	u.mu.Lock()
	u.released = 0
	u.sum = -u.open * now
	u.mu.Unlock()
}
