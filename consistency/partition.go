package consistency

import (
	"fmt"
	"strings"

	"lockbench/consistency/internal/ctxmodel"
	"lockbench/consistency/internal/linearize"
	"lockbench/ctxsys"
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

// add maps one recorded operation onto the partitions it touches (see
// mappers). Definite failures that teach nothing (limit, invalid, no
// active context) are left out.
func (b *builder) add(r *rec) {
	if r.err == eLimit || r.err == eInvalid || r.err == eNoActive {
		return
	}
	if m := mappers[r.kind]; m != nil {
		m(b, r, linearize.Input{Name: kindName(r.kind)})
	}
}

// mappers turn each kind of recorded operation into model operations on
// the partitions it touches, given its input with the name set. List,
// deactivate, sync-needed and update_config have none: they carry no
// per-key output.
var mappers = [ctxsys.NumOps]func(b *builder, r *rec, in linearize.Input){
	kManagerCreate:         managerWrite(ctxmodel.Create),
	kManagerUpdate:         managerWrite(ctxmodel.Update),
	kManagerDelete:         managerStep(ctxmodel.Delete),
	kManagerRecoveryPoint:  managerStep(ctxmodel.RecoveryPoint),
	kManagerGet:            read(partManager, ctxmodel.Get),
	kManagerRecoveryPoints: read(partManager, ctxmodel.RecoveryPoints),
	kAdapterGet:            read(partAdapter, ctxmodel.Get),
	kAdapterCreate:         (*builder).adapterCreate,
	kAdapterUpdate:         (*builder).adapterUpdate,
	kAdapterDelete:         (*builder).adapterDelete,
	kAdapterCleanup:        (*builder).cleanup,
	kTrackerUpdateState:    (*builder).trackerUpdate,
	kTrackerGetState:       (*builder).trackerGet,
	kTrackerActivate:       (*builder).trackerActivate,
	kTrackerSync:           (*builder).trackerSync,
	kTrackerRecoveryPoint:  (*builder).trackerRecoveryPoint,
}

// managerWrite is a manager write of the recorded version and data.
func managerWrite(step linearize.StepID) func(*builder, *rec, linearize.Input) {
	return func(b *builder, r *rec, in linearize.Input) {
		in.Step, in.Ver, in.VerKnown, in.Data = step, r.version, true, r.data
		b.op(b.part(partManager, r.key), r, in)
	}
}

// managerStep is a manager operation with no input but its id.
func managerStep(step linearize.StepID) func(*builder, *rec, linearize.Input) {
	return func(b *builder, r *rec, in linearize.Input) {
		in.Step = step
		b.op(b.part(partManager, r.key), r, in)
	}
}

// read is a read of a context; with an unknown outcome it tells nothing.
func read(kind partKind, step linearize.StepID) func(*builder, *rec, linearize.Input) {
	return func(b *builder, r *rec, in linearize.Input) {
		if !r.err.unknown() {
			in.Step = step
			b.op(b.part(kind, r.key), r, in)
		}
	}
}

// adapterCreate writes version 1 in the adapter's map and, within its own
// call, creates in the manager.
func (b *builder) adapterCreate(r *rec, in linearize.Input) {
	in.Step, in.Ver, in.VerKnown, in.Data = ctxmodel.Create, 1, true, r.data
	if r.err != eExists || b.adapterOnly {
		b.op(b.part(partAdapter, r.key), r, in)
	}
	if r.err.possible() {
		b.op(b.part(partManager, r.key), r, in)
	}
}

// adapterUpdate writes the previous version plus one in the adapter's map,
// and the version it returned in the manager.
func (b *builder) adapterUpdate(r *rec, in linearize.Input) {
	in.Step, in.Data = ctxmodel.Update, r.data
	if r.err != eNotFound || b.adapterOnly {
		adapter := in
		adapter.Incr = true
		b.op(b.part(partAdapter, r.key), r, adapter)
	}
	if r.err.possible() {
		in.Ver, in.VerKnown = r.outVersion, r.err == eOK && r.outVersion != 0
		b.op(b.part(partManager, r.key), r, in)
	}
}

func (b *builder) adapterDelete(r *rec, in linearize.Input) {
	in.Step = ctxmodel.Delete
	b.op(b.part(partAdapter, r.key), r, in)
	if r.err.possible() {
		in.Step = ctxmodel.EnsureAbsent
		b.op(b.part(partManager, r.key), r, in)
	}
}

// cleanup removes each id it returned from the adapter's map and the
// manager. A cleanup with an unknown outcome is a wildcard (see
// partitions).
func (b *builder) cleanup(r *rec, in linearize.Input) {
	if r.err != eOK {
		return
	}
	for _, id := range r.outIDs {
		in.Step = ctxmodel.Remove
		b.op(b.part(partAdapter, id), r, in)
		in.Step = ctxmodel.EnsureAbsent
		b.op(b.part(partManager, id), r, in)
	}
}

func (b *builder) tracker(r *rec) *partition { return b.part(partTracker, fmt.Sprint(r.tracker)) }

func (b *builder) trackerUpdate(r *rec, in linearize.Input) {
	// With auto-recovery an accepted update may still return the
	// recovery point's error: only a stale version says "rejected".
	maybe := b.autoRecovery && r.err != eOK && r.err != eStale
	tr := in
	tr.Step, tr.Ver, tr.VerKnown, tr.Data, tr.Maybe = ctxmodel.TrackerUpdate, r.version, true, r.data, maybe
	b.op(b.tracker(r), r, tr)
	if b.autoRecovery && (r.err.possible() || maybe) {
		b.trackerRecoveryPoint(r, in)
	}
}

func (b *builder) trackerGet(r *rec, in linearize.Input) {
	if r.err == eOK {
		in.Step = ctxmodel.TrackerGet
		b.op(b.tracker(r), r, in)
	}
}

func (b *builder) trackerActivate(r *rec, in linearize.Input) {
	if r.err.possible() {
		in.Step = ctxmodel.TrackerActivate
		b.op(b.tracker(r), r, in)
	}
}

// trackerSync writes the tracker's state, of unknown value, to its active
// id: only ever a possible write, to each id it may have had active.
func (b *builder) trackerSync(r *rec, in linearize.Input) {
	if !r.err.possible() {
		return
	}
	in.Step, in.Maybe = ctxmodel.WriteUnknown, true
	for _, id := range b.activeIDs(r) {
		b.op(b.part(partManager, id), r, in)
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
func (b *builder) trackerRecoveryPoint(r *rec, in linearize.Input) {
	if !r.err.possible() && r.err != eNotFound {
		return
	}
	in.Step, in.Maybe = ctxmodel.RecoveryPoint, true
	for _, id := range b.activeIDs(r) {
		b.op(b.part(partManager, id), r, in)
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
