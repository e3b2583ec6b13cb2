package linearize

import (
	"sort"

	"github.com/anishathalye/porcupine"
)

// window returns operations lo..hi-1 of p, made sound to check on their
// own. Operations still running at the start of the next window may have
// observed or been overtaken by later ones: their outcome becomes unknown
// and their effect may come at any later time. Operations of earlier
// windows still running at this window's start may take effect inside it:
// they are added with an unknown outcome. A window after the first starts
// from an unknown state. Whatever linearizes the whole partition therefore
// linearizes each window, so an illegal window is a real violation.
func (p *part) window(lo, hi int) []porcupine.Operation {
	start := p.ops[lo].Call
	var out []porcupine.Operation
	if lo > 0 {
		for _, op := range p.ops[:lo] {
			if op.Return >= start {
				if m, ok := p.model.maybe(op); ok {
					out = append(out, m)
				}
			}
		}
	}
	for _, op := range p.ops[lo:hi] {
		if hi < len(p.ops) && op.Return >= p.ops[hi].Call {
			m, ok := p.model.maybe(op)
			if !ok {
				continue
			}
			m.Return = never
			op = m
		}
		out = append(out, op)
	}
	preferEarlyReturns(out)
	return out
}

// preferEarlyReturns permutes the call times within each run of calls that
// no return separates, so that the operation that returned first gets the
// earliest of them. Which returns precede which calls is unchanged, so the
// real-time order — and the verdict — is too; but porcupine tries pending
// operations in call order, and an operation that returned first was most
// likely applied first (it got the lock first), so a serialised history is
// found without backtracking through every order of its waiting callers.
func preferEarlyReturns(ops []porcupine.Operation) {
	events := timeEvents(ops)
	var run []int
	var times []int64
	for start := 0; start < len(events); {
		if !events[start].call {
			start++
			continue
		}
		run, times = run[:0], times[:0]
		end := start
		for ; end < len(events) && events[end].call; end++ {
			run = append(run, events[end].op)
			times = append(times, events[end].t)
		}
		sort.SliceStable(run, func(a, b int) bool { return ops[run[a]].Return < ops[run[b]].Return })
		for k, i := range run {
			ops[i].Call = times[k]
		}
		start = end
	}
}

type event struct {
	t    int64
	call bool
	op   int
}

// timeEvents returns the calls and returns of ops as porcupine orders them:
// by time, calls before returns at a tie.
func timeEvents(ops []porcupine.Operation) []event {
	events := make([]event, 0, 2*len(ops))
	for i, op := range ops {
		events = append(events, event{op.Call, true, i}, event{op.Return, false, i})
	}
	sort.Slice(events, func(a, b int) bool {
		if events[a].t != events[b].t {
			return events[a].t < events[b].t
		}
		return events[a].call && !events[b].call
	})
	return events
}
