package ctxstate

import (
	"slices"

	"lockbench/ctxsys"
)

// Points are the recovery points of one context id, oldest first, and the
// last seq handed out. The zero value is an id without points. Points is not
// safe for concurrent use: its owner guards it with its own lock.
type Points struct {
	// LastSeq is the seq of the newest point ever allocated (0: none); the
	// next point gets LastSeq+1, so seqs start at 1.
	LastSeq uint64
	List    []ctxsys.RecoveryPoint
}

// NextSeq allocates the next seq.
func (p *Points) NextSeq() uint64 {
	p.LastSeq++
	return p.LastSeq
}

// Seqs returns the seqs of the points, oldest first.
func (p *Points) Seqs() []uint64 {
	if p == nil {
		return nil
	}
	seqs := make([]uint64, len(p.List))
	for i, rp := range p.List {
		seqs[i] = rp.Seq
	}
	return seqs
}

// Len is the number of points (0 for a nil p).
func (p *Points) Len() int {
	if p == nil {
		return 0
	}
	return len(p.List)
}

// Oldest returns the seqs of the n oldest points (all of them if there are
// fewer).
func (p *Points) Oldest(n int) []uint64 {
	seqs := p.Seqs()
	if n < len(seqs) {
		seqs = seqs[:n]
	}
	return seqs
}

// Append adds rp in seq order (at the end, unless a point with a later seq
// was appended first, which only a strategy that Puts without a lock lets
// happen) and keeps LastSeq at least its seq.
func (p *Points) Append(rp ctxsys.RecoveryPoint) {
	i := len(p.List)
	for i > 0 && p.List[i-1].Seq > rp.Seq {
		i--
	}
	p.List = slices.Insert(p.List, i, rp)
	if rp.Seq > p.LastSeq {
		p.LastSeq = rp.Seq
	}
}

// DropOldest removes the n oldest points.
func (p *Points) DropOldest(n int) {
	if n > len(p.List) {
		n = len(p.List)
	}
	p.List = append(p.List[:0:0], p.List[n:]...)
}

// Remove removes the points whose seq is in seqs (absent ones are ignored).
func (p *Points) Remove(seqs []uint64) {
	if len(seqs) == 0 {
		return
	}
	drop := make(map[uint64]bool, len(seqs))
	for _, s := range seqs {
		drop[s] = true
	}
	kept := make([]ctxsys.RecoveryPoint, 0, len(p.List))
	for _, rp := range p.List {
		if !drop[rp.Seq] {
			kept = append(kept, rp)
		}
	}
	p.List = kept
}

// Clone returns a deep copy of the points, oldest first.
func (p *Points) Clone() []ctxsys.RecoveryPoint {
	if p == nil {
		return []ctxsys.RecoveryPoint{}
	}
	out := make([]ctxsys.RecoveryPoint, len(p.List))
	for i, rp := range p.List {
		out[i] = CloneRecoveryPoint(rp)
	}
	return out
}

// TrimCount is how many of the oldest points to drop so that at most max of
// n remain.
func TrimCount(n, max int) int {
	if n <= max {
		return 0
	}
	return n - max
}

// CloneRecoveryPoint returns a deep copy of rp.
func CloneRecoveryPoint(rp ctxsys.RecoveryPoint) ctxsys.RecoveryPoint {
	rp.State = rp.State.Clone()
	return rp
}

// SeqsByID returns the seqs of every non-empty entry of m, for
// impl.Inspector.
func SeqsByID(m map[string]*Points) map[string][]uint64 {
	out := make(map[string][]uint64, len(m))
	for id, p := range m {
		if p.Len() > 0 {
			out[id] = p.Seqs()
		}
	}
	return out
}
