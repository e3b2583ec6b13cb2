package consistency

import (
	"fmt"
	"strings"

	"lockbench/consistency/internal/ctxmodel"
	"lockbench/consistency/internal/linearize"
)

type partKind uint8

const (
	partManager partKind = iota
	partAdapter
	partTracker
)

// partition is the history of one key of the model: a manager context, an
// adapter context or a tracker. Partitions are independent, so the history
// is linearizable iff each partition is.
type partition struct {
	name string
	kind partKind
	ops  []linearize.Op
	// failedRPs: a recovery point of this id was told it failed, so it
	// may have left more than the limit (its trim failing part way).
	failedRPs bool
}

// partitions builds the per-key histories from the recorded operations,
// sorted by name.
func (l *linCheck) partitions() []*partition {
	b := builder{parts: map[string]*partition{}, autoRecovery: l.opt.Config.AutoRecovery,
		active:      l.hist.activations(),
		adapterOnly: !l.hist.saw(kManagerCreate) && !l.hist.saw(kManagerDelete)}
	var wildcards []*rec
	for i := range l.hist.recs {
		r := &l.hist.recs[i]
		if r.kind == kAdapterCleanup && r.err.unknown() {
			wildcards = append(wildcards, r)
			continue
		}
		b.add(r)
	}
	for _, r := range wildcards {
		// A failed cleanup may have removed any id.
		for _, p := range b.parts {
			switch p.kind {
			case partAdapter:
				b.op(p, r, linearize.Input{Name: "adapter.cleanup", Step: ctxmodel.Remove, Maybe: true})
			case partManager:
				b.op(p, r, linearize.Input{Name: "adapter.cleanup", Step: ctxmodel.EnsureAbsent, Maybe: true})
			}
		}
	}
	if !l.hist.capped() {
		b.addFinal(l.final, l.workers)
	}
	parts := make([]*partition, 0, len(b.parts))
	for _, name := range sortedIDs(b.parts) {
		p := b.parts[name]
		if p.kind == partManager {
			p.dropUnseenUpdates()
			for _, op := range p.ops {
				if op.In.Step == ctxmodel.RecoveryPoint && op.In.Failed {
					p.failedRPs = true
				}
			}
		}
		parts = append(parts, p)
	}
	return parts
}

type builder struct {
	parts        map[string]*partition
	end          int64
	autoRecovery bool // update_state may make a recovery point
	active       activations
	// adapterOnly: no manager.create or manager.delete ran, so the
	// manager has an id iff the adapter does. Otherwise an adapter update
	// that found nothing, or a create that found something, may have
	// found it in the manager, and says nothing of the adapter's map.
	adapterOnly bool
}

func (b *builder) part(kind partKind, id string) *partition {
	prefix := [...]string{partManager: "manager/", partAdapter: "adapter/", partTracker: "tracker/"}[kind]
	name := prefix + id
	p := b.parts[name]
	if p == nil {
		p = &partition{name: name, kind: kind}
		b.parts[name] = p
	}
	return p
}

func (b *builder) op(p *partition, r *rec, in linearize.Input) {
	in.Maybe = in.Maybe || r.err.unknown()
	in.Failed = r.err.unknown()
	p.ops = append(p.ops, linearize.Op{
		Client: int(r.client) + 1,
		In:     in,
		Out: linearize.Output{Err: r.err.outcome(), Reason: r.err.String(), Ver: r.outVersion, Data: r.outData,
			Count: int(r.outCount), HasCount: in.Step == ctxmodel.RecoveryPoints},
		Call:     r.call,
		Return:   r.ret,
		Metadata: fmt.Sprintf("%s by worker %d, [%d, %d] ns", kindName(r.kind), r.client, r.call, r.ret),
	})
	if r.ret != never {
		b.end = max(b.end, r.ret)
	}
}

// add maps one recorded operation onto the partitions it touches. Reads
// with an unknown outcome and definite failures that teach nothing (limit,
// invalid, no active context) are left out.
func (b *builder) add(r *rec) {
	if r.err == eLimit || r.err == eInvalid || r.err == eNoActive {
		return
	}
	name := kindName(r.kind)
	known := r.err == eOK
	switch r.kind {
	case kManagerCreate:
		b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Create, Ver: r.version, VerKnown: true, Data: r.data})
	case kManagerUpdate:
		b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Update, Ver: r.version, VerKnown: true, Data: r.data})
	case kManagerDelete:
		b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Delete})
	case kManagerGet:
		if !r.err.unknown() {
			b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Get})
		}
	case kManagerRecoveryPoint:
		b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.RecoveryPoint})
	case kManagerRecoveryPoints:
		if !r.err.unknown() {
			b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.RecoveryPoints})
		}
	case kTrackerRecoveryPoint:
		b.trackerRecoveryPoint(r, name)
	case kAdapterCreate:
		if r.err != eExists || b.adapterOnly {
			b.op(b.part(partAdapter, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Create, Ver: 1, VerKnown: true, Data: r.data})
		}
		if r.err.possible() {
			// The adapter creates in the manager within its own call.
			b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Create, Ver: 1, VerKnown: true, Data: r.data})
		}
	case kAdapterUpdate:
		if r.err != eNotFound || b.adapterOnly {
			b.op(b.part(partAdapter, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Update, Incr: true, Data: r.data})
		}
		if r.err.possible() {
			b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Update, Ver: r.outVersion, VerKnown: known && r.outVersion != 0, Data: r.data})
		}
	case kAdapterDelete:
		b.op(b.part(partAdapter, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Delete})
		if r.err.possible() {
			b.op(b.part(partManager, r.key), r, linearize.Input{Name: name, Step: ctxmodel.EnsureAbsent})
		}
	case kAdapterGet:
		if !r.err.unknown() {
			b.op(b.part(partAdapter, r.key), r, linearize.Input{Name: name, Step: ctxmodel.Get})
		}
	case kAdapterCleanup:
		if known {
			for _, id := range r.outIDs {
				b.op(b.part(partAdapter, id), r, linearize.Input{Name: name, Step: ctxmodel.Remove})
				b.op(b.part(partManager, id), r, linearize.Input{Name: name, Step: ctxmodel.EnsureAbsent})
			}
		}
	case kTrackerUpdateState:
		// With auto-recovery an accepted update may still return the
		// recovery point's error: only a stale version says "rejected".
		maybe := b.autoRecovery && r.err != eOK && r.err != eStale
		b.op(b.part(partTracker, fmt.Sprint(r.tracker)), r, linearize.Input{Name: name, Step: ctxmodel.TrackerUpdate, Ver: r.version, VerKnown: true, Data: r.data, Maybe: maybe})
		if b.autoRecovery && (r.err.possible() || maybe) {
			b.trackerRecoveryPoint(r, name)
		}
	case kTrackerGetState:
		if known {
			b.op(b.part(partTracker, fmt.Sprint(r.tracker)), r, linearize.Input{Name: name, Step: ctxmodel.TrackerGet})
		}
	case kTrackerActivate:
		if r.err.possible() {
			b.op(b.part(partTracker, fmt.Sprint(r.tracker)), r, linearize.Input{Name: name, Step: ctxmodel.TrackerActivate})
		}
	case kTrackerSync:
		// A sync writes the tracker's state, of unknown value, to its
		// active id: only ever a possible write, to each id it may
		// have had active.
		if !r.err.possible() {
			return
		}
		for _, id := range b.activeIDs(r) {
			b.op(b.part(partManager, id), r, linearize.Input{Name: name, Step: ctxmodel.WriteUnknown, Maybe: true})
		}
	}
}

// activeIDs returns the ids a tracker operation may have acted on: the one
// recorded, or, when the runner did not know it, those the tracker may have
// had active (see activations.activeIDs).
func (b *builder) activeIDs(r *rec) []string {
	if r.key != "" {
		return []string{r.key}
	}
	return b.active.activeIDs(r.tracker, r.interval())
}

// trackerRecoveryPoint adds a recovery point a tracker may have made of its
// active context: only ever a possible one, on each id the tracker may have
// had active (the runner's idea of a shared tracker's active id may be
// stale, and it records none for an update with auto-recovery).
func (b *builder) trackerRecoveryPoint(r *rec, name string) {
	if !r.err.possible() && r.err != eNotFound {
		return
	}
	for _, id := range b.activeIDs(r) {
		b.op(b.part(partManager, id), r, linearize.Input{Name: name, Step: ctxmodel.RecoveryPoint, Maybe: true})
	}
}

const finalMetadata = "state at quiescence, read by the checker"

// addFinal appends the quiescent state of every partition as a read by an
// extra client after every operation: an acknowledged write that was lost,
// or a deleted context that came back, then shows up as a violation.
func (b *builder) addFinal(q *quiescent, workers int) {
	at := b.end + 1
	final := func(p *partition, in linearize.Input, out linearize.Output) {
		p.ops = append(p.ops, linearize.Op{
			Client: workers + 1, In: in, Out: out, Call: at, Return: at,
			Final: true, Metadata: finalMetadata,
		})
	}
	for _, p := range b.parts {
		id := p.name[strings.IndexByte(p.name, '/')+1:]
		switch p.kind {
		case partManager:
			if q.memory == nil {
				continue
			}
			out := linearize.Output{Err: linearize.NotFound, Reason: eNotFound.String()}
			if s, ok := q.memory[id]; ok {
				out = linearize.Output{Ver: s.Version, Data: string(s.Data), Count: len(q.memoryRPs[id]), HasCount: true}
			}
			final(p, linearize.Input{Name: "final manager state", Step: ctxmodel.Get}, out)
			// The store must agree with memory at quiescence, except where
			// a write told it failed explains the difference.
			if q.store == nil || q.explained[id] {
				continue
			}
			out = linearize.Output{Err: linearize.NotFound, Reason: eNotFound.String()}
			if s, ok := q.store[id]; ok && !s.bad {
				out = linearize.Output{Ver: s.state.Version, Data: string(s.state.Data), Count: len(q.storeRPs[id]), HasCount: true}
			}
			final(p, linearize.Input{Name: "final store state", Step: ctxmodel.Get}, out)
		case partAdapter:
			if q.adapter == nil {
				continue
			}
			out := linearize.Output{Err: linearize.NotFound, Reason: eNotFound.String()}
			if a, ok := q.adapter[id]; ok {
				out = linearize.Output{Ver: a.Version, Data: string(a.Data)}
			}
			final(p, linearize.Input{Name: "final adapter state", Step: ctxmodel.Get}, out)
		case partTracker:
			var t int
			if _, err := fmt.Sscan(id, &t); err != nil || t < 0 || t >= len(q.trackers) || !q.trackers[t].known {
				continue
			}
			f := q.trackers[t]
			final(p, linearize.Input{Name: "final tracker state", Step: ctxmodel.TrackerGet}, linearize.Output{Ver: f.version, Data: f.data})
		}
	}
}

// dropUnseenUpdates removes manager updates with an unknown outcome whose
// data nobody read: taking effect or not cannot change any observation
// (an update does not change whether the id exists), and each one left in
// doubles the linearizations porcupine may have to try.
func (p *partition) dropUnseenUpdates() {
	read := map[string]bool{}
	for _, op := range p.ops {
		if op.In.Step == ctxmodel.Get {
			read[op.Out.Data] = true
		}
	}
	kept := p.ops[:0]
	for _, op := range p.ops {
		if in := op.In; in.Maybe && in.Step == ctxmodel.Update && !read[in.Data] {
			continue
		}
		kept = append(kept, op)
	}
	p.ops = kept
}

// model is p's model from its initial state: a tracker starts at version 0,
// a context absent. The recovery point limit is strict unless a recovery
// point of p's id was told it failed (its trim may have failed part way).
func (l *linCheck) model(p *partition) linearize.Model {
	init := ctxmodel.Absent
	if p.kind == partTracker {
		init = ctxmodel.TrackerZero
	}
	return ctxmodel.Model(init, l.opt.Config.MaxRecoveryPoints, !p.failedRPs)
}

// outcome is what the model makes of an error: a definite failure it reads
// (exists, not found, stale), another definite failure, or an unknown one.
func (e errCode) outcome() linearize.Outcome {
	switch {
	case e == eOK:
		return linearize.OK
	case e == eExists:
		return linearize.Exists
	case e == eNotFound:
		return linearize.NotFound
	case e == eStale:
		return linearize.Stale
	case e.unknown():
		return linearize.Unknown
	}
	return linearize.Failed
}
