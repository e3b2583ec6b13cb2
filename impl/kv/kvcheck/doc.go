// Package kvcheck decides whether a kv cache kept its data right under the
// load it was measured with: anomaly facts from the operations the workers
// saw, invariants at quiescence, and a linearizability check with
// github.com/anishathalye/porcupine against a key/value model partitioned
// by key.
//
// # Outcomes
//
// An operation with Err "" succeeded and its outputs are checked. Any other
// Err ("store", "canceled", …) is an unknown outcome: the caller was told
// it failed, but a write may have reached the store, or memory, anyway. An
// unknown outcome is never evidence of an anomaly; it only makes more
// histories legal (the model lets it take effect or not, and ignores its
// outputs).
//
// # Anomaly kinds
//
// Every count is a lower bound, certain for every linearization, so a
// linearizable strategy can never be charged one (only failed_write_visible
// is not an error of the cache).
//
// duplicate_insert — per key, pairs of successful put_if_absent that both
// stored (loaded = false), consecutive by Call, with no delete that may
// have removed the key able to fall between them in either order.
//
// duplicate_delete — per key, pairs of deletes that both reported deleting
// the key, with no write (put, put_if_absent that stored, or a write with
// an unknown outcome) able to fall between them.
//
// lost_write — at quiescence, a key whose value in memory (or absence) is
// the effect of no write that may be the key's last: a write may be last
// unless an acknowledged write of the key started after it returned. So an
// acknowledged write that a later one did not replace, but the cache lost
// or overwrote with an older value, is counted.
//
// store_divergence — at quiescence, a key whose value in the store differs
// from memory's.
//
// zombie — at quiescence, a key in memory but not in the store, or the
// reverse.
//
// failed_write_visible — a divergence or zombie that a write with an
// unknown outcome of that key explains (it may have reached one side and
// not the other): real, but nobody was told the write succeeded.
//
// # Linearizability
//
// With Input.Linearizability the history is partitioned by key — a scan
// counts as one read of every key of the history inside the range it
// covered (absent when it did not return it) — and each partition is
// checked against the sequential model of one key: absent, or present with
// a value. The quiescent state is appended to every partition as two reads
// after everything returned: memory's and the store's (the store's left out
// when a write with an unknown outcome explains a difference), so a lost
// acknowledged write or a store that kept an older value is a violation
// even if nobody read it during the run.
//
// Deciding, cheapest first:
//
//  1. Witnesses: for every anomaly already certain (a duplicate pair, final
//     reads that disagree), porcupine checks the short window of history
//     around it, from an unknown state, and decides and draws at once.
//  2. A linearization built by sorting (see linearizeBySort) and replayed
//     through the model: found, it is a proof; not found proves nothing.
//  3. porcupine.CheckOperationsVerbose with Input.TimeLimit. A key longer
//     than Input.WindowOps is checked in consecutive windows, each from an
//     unknown state, with the operations straddling a window's edge allowed
//     to take effect outside it (so whatever linearizes the whole
//     linearizes each window, and an illegal window is a real violation;
//     windows that all pass leave the key "unknown"). A check that runs out
//     of time is "unknown"; all checks together stop at Input.TimeBudget.
//
// The first illegal key found is drawn with porcupine's visualisation into
// Input.VisualizePath(key).
package kvcheck
