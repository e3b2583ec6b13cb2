package ctxstate

import (
	"fmt"
	"sort"
	"time"

	"lockbench/ctxsys"
)

// NewAdapterContext is the adapter's record of a context created at now:
// version 1, as the manager state it creates.
func NewAdapterContext(id string, data []byte, now time.Time) ctxsys.AdapterContext {
	return ctxsys.AdapterContext{ID: id, Version: 1, Data: CloneBytes(data), CreatedAt: now, UpdatedAt: now}
}

// Refreshed is ac after an update with data at now: next version, new data,
// new UpdatedAt.
func Refreshed(ac ctxsys.AdapterContext, data []byte, now time.Time) ctxsys.AdapterContext {
	ac.Version++
	ac.Data = CloneBytes(data)
	ac.UpdatedAt = now
	return ac
}

// ManagerState is the manager state the adapter writes for ac:
// State{ID, Version, Timestamp: UpdatedAt, Data}.
func ManagerState(ac ctxsys.AdapterContext) ctxsys.State {
	return ctxsys.State{ID: ac.ID, Version: ac.Version, Timestamp: ac.UpdatedAt, Data: CloneBytes(ac.Data)}
}

// CloneAdapterContext returns a deep copy of ac.
func CloneAdapterContext(ac ctxsys.AdapterContext) ctxsys.AdapterContext {
	ac.Data = CloneBytes(ac.Data)
	return ac
}

// CloneAdapterContexts returns a deep copy of m.
func CloneAdapterContexts(m map[string]ctxsys.AdapterContext) map[string]ctxsys.AdapterContext {
	out := make(map[string]ctxsys.AdapterContext, len(m))
	for id, ac := range m {
		out[id] = CloneAdapterContext(ac)
	}
	return out
}

// SortedAdapterContexts returns copies of the values of m, sorted by id.
func SortedAdapterContexts(m map[string]ctxsys.AdapterContext) []ctxsys.AdapterContext {
	out := make([]ctxsys.AdapterContext, 0, len(m))
	for _, ac := range m {
		out = append(out, CloneAdapterContext(ac))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Expired reports whether ac has been idle longer than ttl at now.
func Expired(ac ctxsys.AdapterContext, now time.Time, ttl time.Duration) bool {
	return now.Sub(ac.UpdatedAt) > ttl
}

// ExpiredIDs returns the ids in m expired at now, sorted.
func ExpiredIDs(m map[string]ctxsys.AdapterContext, now time.Time, ttl time.Duration) []string {
	var ids []string
	for id, ac := range m {
		if Expired(ac, now, ttl) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// InitialAdapterConfig is the adapter config a system starts with: the
// system's cap and ttl.
func InitialAdapterConfig(cfg ctxsys.Config) ctxsys.AdapterConfig {
	return ctxsys.AdapterConfig{MaxContexts: cfg.MaxContexts, TTL: cfg.TTL}
}

// MergeAdapterConfig applies upd to cur: zero fields keep their value,
// negative ones are ErrInvalid.
func MergeAdapterConfig(cur, upd ctxsys.AdapterConfig) (ctxsys.AdapterConfig, error) {
	if upd.MaxContexts < 0 || upd.TTL < 0 {
		return cur, fmt.Errorf("%w: negative adapter config value in %+v", ctxsys.ErrInvalid, upd)
	}
	if upd.MaxContexts != 0 {
		cur.MaxContexts = upd.MaxContexts
	}
	if upd.TTL != 0 {
		cur.TTL = upd.TTL
	}
	return cur, nil
}
