package ctxstate

import (
	"time"

	"lockbench/ctxsys"
)

// SyncNeeded is the tracker rule: the state is unsynchronized, or the last
// sync (zero: never) is older than interval at now.
func SyncNeeded(synchronized bool, lastSync, now time.Time, interval time.Duration) bool {
	return !synchronized || lastSync.IsZero() || now.Sub(lastSync) > interval
}

// StaleVersion reports whether next may not replace current under the
// version rule (next must be strictly higher).
func StaleVersion(current, next ctxsys.State) bool {
	return next.Version <= current.Version
}
