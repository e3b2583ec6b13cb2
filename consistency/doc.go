// Package consistency decides whether a strategy kept the data right under
// the load it was measured with: invariant checks at quiescence, anomaly
// facts derived from the operations the workers saw, and (with a history) a
// linearizability check with github.com/anishathalye/porcupine.
//
// The runner builds an Observer per run, every worker calls Record after
// each operation (its own buffer, no shared lock), and once the workers
// have stopped the runner calls Check, once, which fills
// results.Consistency. Anomalies found are data, not failures of the run.
//
// # Time and outcomes
//
// An operation is the closed interval [Call, Return] of the runner's clock
// (nanoseconds since the run's start); in a linearizable system it takes
// effect at one instant inside it. "a precedes b" means a.Return < b.Call.
// An operation "may fall between" a and b when its interval allows an
// instant after a's earliest and before b's latest: x.Return >= a.Call and
// x.Call <= b.Return.
//
// Every operation has one of three outcomes, from Op.Err:
//
//   - success (""): it took effect, its outputs are checked;
//   - definite failure ("exists", "limit", "not_found", "stale_version",
//     "no_active", "invalid"): it had no effect;
//   - unknown ("store", "canceled", anything else): the caller was told it
//     failed, but not that nothing happened — a store write may fail after
//     it landed, refactored changes memory before it writes, and a write of
//     several keys (a delete with its recovery points, a recovery point and
//     the trim of the oldest) may stop part way. Such an operation MAY have
//     taken effect, wholly or in part, within its interval.
//
// This is the fault model: an operation with an unknown
// outcome is never evidence of an anomaly; it only ever makes more
// histories legal (it may be the delete that separates two creates, the
// write a read returned). So a write whose caller was told failure is never
// counted as lost; an acknowledged write (success) that is lost is. In the
// porcupine model such an operation keeps its real interval (it returned,
// so whatever it did, it did before), its output is not checked, and the
// step function branches: took effect, did not, or — for the writes of
// several keys above — took effect in part (the context stays, its number
// of recovery points becomes unknown). Return = +∞ is kept for operations
// whose effect may really come later: those still running at a cut
// (below).
//
// # Anomaly kinds
//
// results.Consistency.Anomalies always has the seven kinds a linearizable
// strategy must never show (DesignKinds; README.md lists them) and one
// more, each 0 when none was found. Every count is a lower bound: a
// counted anomaly is certain for every linearization of the history, so a
// linearizable strategy (naive, sharded) can never be charged one of the
// seven.
//
// duplicate_create — per id, over the successful creates (manager.create
// and adapter.create, which creates in the manager) sorted by Call: the
// consecutive pairs that no delete can separate, in either order — a delete
// being a manager.delete or adapter.delete that may have taken effect, a
// successful cleanup that returned the id, or a cleanup with an unknown
// outcome (which may have removed any id). Or, when larger, the successful
// creates beyond one plus the number of such deletes of the id.
//
// capacity_overshoot — the most contexts above Config.MaxContexts seen by
// any of: the contexts in memory at quiescence; the adapter's map at
// quiescence against its own cap (when update_config did not run); and,
// from the operations, the largest number of ids that certainly existed at
// one instant, an id certainly existing from the Return of a successful
// create to the Call of the first delete that may fall after that create.
//
// store_divergence — at quiescence, an id whose state (version, data) in
// memory differs from the store's (or whose stored bytes do not decode);
// and, when the adapter was the only writer of the manager's contexts (no
// manager.create/update/delete or tracker.sync ran), an id whose adapter
// copy differs from the manager's.
//
// zombie — at quiescence, an id in memory but not in the store or the
// reverse; a recovery point sequence number in memory but not in the store
// or the reverse (one per sequence number); and, under the same condition
// as above, an id in the adapter's map but not in the manager's or the
// reverse.
//
// version_regression — per tracker: a successful get_state g that returned
// a version lower than an observation o — a successful update_state (its
// version) or another successful get_state (its result) — with o preceding
// g and no tracker.activate that may have taken effect able to fall
// between o and g (activate legitimately replaces the state). Plus one per
// tracker whose final version at quiescence is lower than such an
// observation that no activate may follow.
//
// lost_refresh — a pair (cleanup cl, id) where cl succeeded and returned
// the id although some successful refresh r of it (adapter.update or
// adapter.create) must take effect before cl and keeps it fresh: r must
// come first when r precedes cl, or when r is an update that overlaps cl
// and no adapter.create that may have taken effect can fall between cl and
// r (after a removal an update succeeds only on a re-created id); r keeps
// the id fresh when cl.Return - r.Call <= ttl (UpdatedAt is read inside r,
// the cleanup's clock inside cl, and expiry needs now - UpdatedAt > ttl).
// The ttl is the adapter's (Config.TTL). When update_config ran, the ttl is
// taken as unchanged if the adapter ends the run with the configured one
// (the runner's update_config re-applies it), and lost_refresh is not
// evaluated otherwise; a note says which. This assumes the system's clock
// is the real clock, like the runner's timestamps. A cleanup that
// re-checks expiry under the key's lock (sharded) or holds the map lock
// throughout (naive) can never be charged one: any refresh it could miss
// started before its scan.
//
// recovery_overflow — per id, the most recovery points seen — in memory or
// in the store at quiescence, or returned by a successful
// manager.recovery_points during the run — beyond Config.MaxRecoveryPoints,
// summed over ids; unless a write told it failed touched that id's
// recovery points (below).
//
// failed_write_visible — the extra kind: a disagreement that a write told
// it failed explains. A state: memory and store (or adapter and manager)
// disagree and the differing side holds data written by an operation with
// an unknown outcome, or a delete of the id (or any cleanup) had an
// unknown outcome. A recovery point: memory and store disagree, or there
// are more than the limit, and a recovery point, update_state (auto
// recovery) or delete of the id had an unknown outcome. Such a
// disagreement is real (memory holds, or the store kept, a state the other
// does not), but it is not lost data — nobody was told the write succeeded
// — so it is kept out of the seven. naive and sharded change nothing on a
// failed write of one key; they show it when a write of several keys stops
// part way (naive keeps a recovery point whose trim failed; sharded drops
// from memory the recovery points a failed delete already removed).
//
// # Linearizability
//
// With Options.History the history is partitioned per key and each
// partition is checked against a sequential model (the same porcupine
// Model throughout):
//
//   - manager/<id>: absent, or present with (version, data) and a number of
//     recovery points. manager create, update, delete, get,
//     recovery_point (a read of the state it snapshots, and one more
//     point, up to MaxRecoveryPoints) and recovery_points (their number);
//     adapter.create, adapter.update (version as returned) and
//     adapter.delete as the manager calls they make; a cleanup's removal of
//     the id as "absent afterwards"; tracker.sync and tracker recovery
//     points (also auto-recovery) as possible writes to each id the
//     tracker may have had active — the runner records none, so it is
//     inferred from the tracker's activates: those that may have been its
//     last activate or deactivate before the operation.
//   - adapter/<id>: the adapter's own copy; create writes version 1, each
//     update the previous version plus one; cleanup removal requires the
//     id. When manager.create or manager.delete also ran, an adapter update
//     that found nothing or a create that found something may have found it
//     in the manager, so those outcomes say nothing of the adapter's map.
//   - tracker/<i>: the version rule — update_state is accepted iff its
//     version is higher than the current one, get_state returns the current
//     (version, data); activate makes the state unknown until next read.
//     With auto-recovery an update_state that failed with anything but a
//     stale version may still have been accepted.
//
// List, deactivate, sync-needed and update_config are left out: they carry
// no per-key output. The quiescent state is appended to each partition as
// reads by an extra client after every operation: memory (with its number
// of recovery points), the adapter's map, the tracker's state — and the
// store, unless a write told it failed explains why it differs from memory.
// So a lost acknowledged write, a deleted context that came back, or a
// store that kept an older write than memory is a violation even if nobody
// read it during the run.
//
// The engine that decides each partition lives in
// consistency/internal/linearize (its package comment says how: witnesses,
// shortcuts that build a linearization, porcupine on windows), and the
// model, a table of steps, in consistency/internal/ctxmodel. Every window
// it checks is sound on its own, so a violation found in a window is real;
// a partition longer than Options.WindowOps that the shortcuts cannot prove
// is "unknown" when every window passes. A check that runs out of
// Options.TimeLimit is "unknown", never a hang, and all checks together
// stop at Options.TimeBudget. An illegal partition is drawn, its smallest
// illegal window (for a final-state witness: the final reads and the
// writes of the values they returned), as porcupine's HTML visualisation
// "<RunName>-lin-<partition>.html" in Input.OutDir, written through
// lockbench/internal/safefile. One violation decides the verdict: once a
// partition is found illegal, partitions not started yet are left
// unchecked (a note says how many), and the first illegal one by name is
// drawn.
//
// # Bounded memory
//
// At most Options.HistoryCap operations are kept (with History off only
// those the facts need: creates, deletes, adapter writes and cleanups,
// tracker updates, reads and activates, and every operation with an
// unknown outcome). When the cap is reached recording stops, and the
// checks use the operations invoked before the first one dropped — the
// longest prefix in which none is missing — with those still running at
// that instant given an unknown outcome and Return = +∞; the quiescent
// final reads are then left out and the verdict is at best "unknown".
// A note states the cut.
package consistency
