package ctxsys

import "time"

// State is one context's state as the Manager stores it and a Tracker sees
// it. Version orders states: a Tracker accepts a new state only when its
// Version is higher than the current one. The Manager stores whatever version
// it is given; callers (the workload generator) make versions unique so that a
// stale copy is distinguishable from the latest one.
type State struct {
	ID           string            `json:"id"`
	Version      uint64            `json:"version"`
	Timestamp    time.Time         `json:"timestamp"`
	Data         []byte            `json:"data,omitempty"`
	Metadata     map[string]string `json:"metadata,omitempty"`
	Synchronized bool              `json:"synchronized"`
}

// Clone returns a deep copy, so a caller may keep a State while the owner
// changes its own copy.
func (s State) Clone() State {
	c := s
	if s.Data != nil {
		c.Data = append([]byte(nil), s.Data...)
	}
	if s.Metadata != nil {
		c.Metadata = make(map[string]string, len(s.Metadata))
		for k, v := range s.Metadata {
			c.Metadata[k] = v
		}
	}
	return c
}

// RecoveryPoint is a snapshot of a context's state. Seq increases per context
// id; the Manager keeps at most ManagerConfig.MaxRecoveryPoints per id and
// drops the oldest (lowest Seq) first.
type RecoveryPoint struct {
	ContextID string    `json:"context_id"`
	Seq       uint64    `json:"seq"`
	State     State     `json:"state"`
	CreatedAt time.Time `json:"created_at"`
}

// AdapterContext is the Adapter's own record of a context it created.
// UpdatedAt drives ttl expiry in Adapter.CleanupExpired.
type AdapterContext struct {
	ID        string    `json:"id"`
	Version   uint64    `json:"version"`
	Data      []byte    `json:"data,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}
