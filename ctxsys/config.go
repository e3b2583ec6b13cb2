package ctxsys

import "time"

// Defaults from the user's original system (the seed document).
const (
	DefaultMaxContexts       = 100
	DefaultMaxRecoveryPoints = 10
	DefaultTTL               = time.Hour
	DefaultSyncInterval      = time.Minute
)

// Config configures one whole system: the Manager, every Tracker and the
// Adapter built over it. A zero field means its default.
type Config struct {
	// MaxContexts caps the Manager's contexts (0: DefaultMaxContexts).
	// The Adapter uses the same cap for its own map unless
	// AdapterConfig.MaxContexts is set.
	MaxContexts int `json:"max_contexts" yaml:"max_contexts"`
	// MaxRecoveryPoints caps recovery points per context id
	// (0: DefaultMaxRecoveryPoints); the oldest are dropped first.
	MaxRecoveryPoints int `json:"max_recovery_points" yaml:"max_recovery_points"`
	// TTL is the Adapter's idle time after which CleanupExpired removes a
	// context (0: DefaultTTL).
	TTL time.Duration `json:"ttl" yaml:"ttl"`
	// AutoRecovery makes Tracker.UpdateState ask the Manager for a
	// recovery point of the active context after an accepted update.
	AutoRecovery bool `json:"auto_recovery" yaml:"auto_recovery"`
	// SyncInterval: Tracker.SyncNeeded reports true when the state is not
	// synchronized or the last sync is older than this
	// (0: DefaultSyncInterval).
	SyncInterval time.Duration `json:"sync_interval" yaml:"sync_interval"`
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.MaxContexts == 0 {
		c.MaxContexts = DefaultMaxContexts
	}
	if c.MaxRecoveryPoints == 0 {
		c.MaxRecoveryPoints = DefaultMaxRecoveryPoints
	}
	if c.TTL == 0 {
		c.TTL = DefaultTTL
	}
	if c.SyncInterval == 0 {
		c.SyncInterval = DefaultSyncInterval
	}
	return c
}

// AdapterConfig is the Adapter's runtime configuration, changed with
// Adapter.UpdateConfig.
type AdapterConfig struct {
	MaxContexts int           `json:"max_contexts"`
	TTL         time.Duration `json:"ttl"`
}
