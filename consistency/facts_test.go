package consistency

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"lockbench/ctxsys"
)

// TestAnomalies checks each anomaly kind on hand-built histories: found when
// the pattern is there, zero when a legal explanation exists.
func TestAnomalies(t *testing.T) {
	cfg := ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: time.Hour}
	tests := []struct {
		name  string
		cfg   ctxsys.Config
		world world
		ops   []Op
		want  map[string]int64 // kinds not listed must be 0
	}{
		{
			name:  "clean history",
			world: world{memory: map[string]ctxsys.State{"a": state(2, "w0-2")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.update", "a", 20, 30, write(2, "w0-2")),
				op("manager.delete", "b", 40, 50, failed("not_found")),
			},
		},
		{
			name: "duplicate_create: concurrent creates both succeed",
			ops: []Op{
				op("manager.create", "a", 0, 10, by(0), write(1, "w0-1")),
				op("manager.create", "a", 5, 15, by(1), write(2, "w1-1")),
			},
			want: map[string]int64{DuplicateCreate: 1},
		},
		{
			name: "duplicate_create: sequential creates, no delete",
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("manager.create", "a", 20, 30, write(1, "w0-2")),
				op("manager.create", "a", 40, 50, write(2, "w0-3")),
			},
			want: map[string]int64{DuplicateCreate: 2},
		},
		{
			name: "duplicate_create: delete between",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.delete", "a", 20, 30),
				op("manager.create", "a", 40, 50, write(2, "w0-2")),
			},
		},
		{
			name: "duplicate_create: a delete told it failed may lie between",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.delete", "a", 20, 30, failed("store")),
				op("manager.create", "a", 40, 50, write(2, "w0-2")),
			},
		},
		{
			name: "duplicate_create: a delete that found nothing separates nothing",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.delete", "a", 20, 30, failed("not_found")),
				op("manager.create", "a", 40, 50, write(2, "w0-2")),
			},
			want: map[string]int64{DuplicateCreate: 1},
		},
		{
			name: "duplicate_create: a cleanup removal separates",
			cfg:  ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: 5},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.cleanup", "", 20, 30, ids("a")),
				op("adapter.create", "a", 40, 50, write(0, "w0-2")),
			},
		},
		{
			name: "capacity_overshoot: three contexts certainly present at once",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "b", 0, 10, write(2, "w0-2")),
				op("manager.create", "c", 20, 30, write(3, "w0-3")),
				op("manager.delete", "a", 40, 50),
			},
			want: map[string]int64{CapacityOvershoot: 1},
		},
		{
			name: "capacity_overshoot: a concurrent delete may have made room",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "b", 0, 10, write(2, "w0-2")),
				op("manager.delete", "a", 5, 50, failed("store")),
				op("manager.create", "c", 20, 30, write(3, "w0-3")),
			},
		},
		{
			name: "capacity_overshoot: memory at quiescence",
			world: world{memory: map[string]ctxsys.State{
				"a": state(1, "w0-1"), "b": state(2, "w0-2"), "c": state(3, "w0-3"), "d": state(4, "w0-4")}},
			want: map[string]int64{CapacityOvershoot: 2},
		},
		{
			name: "version_regression: read below an acknowledged update",
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.get_state", "", 20, 30, onTracker(0), returns(3, "w9-9")),
			},
			want: map[string]int64{VersionRegression: 1},
		},
		{
			name: "version_regression: read concurrent with the update",
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.get_state", "", 5, 30, onTracker(0), returns(0, "")),
			},
		},
		{
			name: "version_regression: an activate may lie between",
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.activate", "a", 12, 18, onTracker(0)),
				op("tracker.get_state", "", 20, 30, onTracker(0), returns(3, "w9-9")),
			},
		},
		{
			name: "version_regression: reads go down",
			ops: []Op{
				op("tracker.get_state", "", 0, 10, onTracker(1), returns(7, "w0-7")),
				op("tracker.get_state", "", 20, 30, onTracker(1), returns(6, "w0-6")),
			},
			want: map[string]int64{VersionRegression: 1},
		},
		{
			name:  "version_regression: final state below an accepted update",
			world: world{trackers: []ctxsys.State{state(3, "w1-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.update_state", "", 0, 10, by(1), onTracker(0), write(3, "w1-1")),
			},
			want: map[string]int64{VersionRegression: 1},
		},
		{
			name:  "version_regression: final state from a failed update is fine",
			world: world{trackers: []ctxsys.State{state(7, "w1-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.update_state", "", 20, 30, onTracker(0), write(7, "w1-1"), failed("store")),
			},
		},
		{
			name: "lost_refresh: update acknowledged inside the cleanup",
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.update", "a", 100, 110, by(1), write(0, "w1-1")),
				op("adapter.cleanup", "", 50, 200, ids("a")),
			},
			want: map[string]int64{LostRefresh: 1},
		},
		{
			name: "lost_refresh: update acknowledged before the cleanup, within ttl",
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.cleanup", "", 50, 200, ids("a")),
			},
			want: map[string]int64{LostRefresh: 1},
		},
		{
			name: "lost_refresh: last refresh older than ttl",
			cfg:  ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: 100},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.cleanup", "", 150, 200, ids("a")),
			},
		},
		{
			name: "lost_refresh: update told it failed is not a refresh",
			cfg:  ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: 100},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.update", "a", 120, 130, by(1), write(0, "w1-1"), failed("store")),
				op("adapter.cleanup", "", 150, 200, ids("a")),
			},
		},
		{
			name: "lost_refresh: a create may re-create the id after the removal",
			cfg:  ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: 150},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.create", "a", 60, 70, by(2), write(0, "w2-1")),
				op("adapter.update", "a", 100, 110, by(1), write(0, "w1-1")),
				op("adapter.cleanup", "", 50, 200, ids("a")),
			},
		},
		{
			name: "recovery_overflow: listed during the run",
			ops: []Op{
				op("manager.recovery_points", "a", 0, 10, count(5)),
				op("manager.recovery_points", "b", 0, 10, count(2)),
			},
			want: map[string]int64{RecoveryOverflow: 3},
		},
		{
			name: "recovery_overflow: in memory and store at quiescence",
			world: world{
				memory: map[string]ctxsys.State{"a": state(1, "w0-1")},
				rps:    map[string][]uint64{"a": {1, 2, 3}},
			},
			want: map[string]int64{RecoveryOverflow: 1},
		},
		{
			name: "store_divergence: memory and store disagree",
			world: world{
				memory: map[string]ctxsys.State{"a": state(2, "w0-2")},
				store:  map[string]ctxsys.State{"a": state(3, "w1-1")},
			},
			ops: []Op{
				op("manager.update", "a", 0, 10, write(2, "w0-2")),
				op("manager.update", "a", 0, 10, by(1), write(3, "w1-1")),
			},
			want: map[string]int64{StoreDivergence: 1},
		},
		{
			// refactored's adapter can give two concurrent updates one
			// version: the states then differ in data only.
			name: "store_divergence: same version, different data",
			world: world{
				memory: map[string]ctxsys.State{"a": state(2, "w0-2")},
				store:  map[string]ctxsys.State{"a": state(2, "w1-1")},
			},
			ops: []Op{
				op("adapter.update", "a", 0, 10, write(0, "w0-2"), returns(2, "w0-2")),
				op("adapter.update", "a", 0, 10, by(1), write(0, "w1-1"), returns(2, "w1-1")),
			},
			want: map[string]int64{StoreDivergence: 1},
		},
		{
			name: "store_divergence: same data, different version",
			world: world{
				memory: map[string]ctxsys.State{"a": state(2, "w0-2")},
				store:  map[string]ctxsys.State{"a": state(3, "w0-2")},
			},
			want: map[string]int64{StoreDivergence: 1},
		},
		{
			name: "failed_write_visible: memory holds a write told it failed",
			world: world{
				memory: map[string]ctxsys.State{"a": state(3, "w1-1")},
				store:  map[string]ctxsys.State{"a": state(2, "w0-2")},
			},
			ops: []Op{
				op("manager.update", "a", 0, 10, write(2, "w0-2")),
				op("manager.update", "a", 20, 30, by(1), write(3, "w1-1"), failed("store")),
			},
			want: map[string]int64{FailedWriteVisible: 1},
		},
		{
			name: "zombie: memory without store and store without memory",
			world: world{
				memory: map[string]ctxsys.State{"a": state(1, "w0-1")},
				store:  map[string]ctxsys.State{"b": state(2, "w0-2")},
			},
			want: map[string]int64{Zombie: 2},
		},
		{
			name: "zombie: a delete told it failed explains a stored leftover",
			world: world{
				memory: map[string]ctxsys.State{},
				store:  map[string]ctxsys.State{"b": state(2, "w0-2")},
			},
			ops: []Op{
				op("manager.create", "b", 0, 10, write(2, "w0-2")),
				op("manager.delete", "b", 20, 30, failed("store")),
			},
			want: map[string]int64{FailedWriteVisible: 1},
		},
		{
			name: "zombie: recovery points",
			world: world{
				memory:   map[string]ctxsys.State{"a": state(1, "w0-1")},
				rps:      map[string][]uint64{"a": {1, 2}},
				storeRPs: map[string][]uint64{"a": {2, 3}, "gone": {1}},
			},
			want: map[string]int64{Zombie: 3},
		},
		{
			name: "zombie: adapter map against the manager",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(1, "w0-1")},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 1, Data: []byte("w0-1")}, "b": {ID: "b", Version: 1, Data: []byte("w0-2")}},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.create", "b", 0, 10, by(1), write(0, "w0-2")),
			},
			want: map[string]int64{Zombie: 1},
		},
		{
			name: "store_divergence: adapter copy differs from the manager's",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(2, "w1-1")},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 2, Data: []byte("w0-1")}},
			},
			ops: []Op{
				op("adapter.update", "a", 0, 10, write(0, "w0-1")),
				op("adapter.update", "a", 0, 10, by(1), write(0, "w1-1")),
			},
			want: map[string]int64{StoreDivergence: 1},
		},
		{
			name: "store_divergence: adapter copy of the same version, different data",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(2, "w1-1")},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 2, Data: []byte("w0-1")}},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-0"), returns(1, "w0-0")),
				op("adapter.update", "a", 20, 30, write(0, "w0-1"), returns(2, "w0-1")),
				op("adapter.update", "a", 20, 30, by(1), write(0, "w1-1"), returns(2, "w1-1")),
			},
			want: map[string]int64{StoreDivergence: 1},
		},
		{
			name: "store_divergence: adapter copy of the same data, different version",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(2, "w1-1")},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 3, Data: []byte("w1-1")}},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-0"), returns(1, "w0-0")),
				op("adapter.update", "a", 20, 30, by(1), write(0, "w1-1"), returns(2, "w1-1")),
			},
			want: map[string]int64{StoreDivergence: 1},
		},
		// The boundaries below: each case fails if one comparison of the
		// facts is off by one instant or one term goes missing.
		{
			name: "duplicate_create: one delete cannot separate three creates",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "a", 20, 30, write(2, "w0-2")),
				op("manager.create", "a", 40, 50, write(3, "w0-3")),
				op("manager.delete", "a", 5, 45, by(1)),
			},
			want: map[string]int64{DuplicateCreate: 1},
		},
		{
			name: "duplicate_create: a delete that began as the second create returned separates",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "a", 15, 20, write(2, "w0-2")),
				op("manager.delete", "a", 20, 30, by(1)),
			},
		},
		{
			name: "duplicate_create: a delete may separate creates in the reverse order",
			ops: []Op{
				op("manager.create", "a", 0, 50, write(1, "w0-1")),
				op("manager.create", "a", 10, 20, by(1), write(2, "w1-1")),
				op("manager.delete", "a", 25, 30, by(2)),
			},
		},
		{
			name:  "duplicate_create: a create told it failed is not a success",
			world: world{memory: map[string]ctxsys.State{"a": state(1, "w0-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "a", 20, 30, write(2, "w0-2"), failed("store")),
			},
		},
		{
			name:  "duplicate_create: a cleanup told it failed may have removed the id",
			world: world{memory: map[string]ctxsys.State{"a": state(2, "w0-2")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("adapter.cleanup", "", 20, 30, by(1), failed("store")),
				op("manager.create", "a", 40, 50, write(2, "w0-2")),
			},
		},
		{
			name:  "capacity_overshoot: one context gone at the instant another appears",
			cfg:   ctxsys.Config{MaxContexts: 1, MaxRecoveryPoints: 2, TTL: time.Hour},
			world: world{memory: map[string]ctxsys.State{"b": state(2, "w0-2")}},
			ops: []Op{
				op("manager.create", "a", 0, 5, write(1, "w0-1")),
				op("manager.create", "b", 3, 10, by(1), write(2, "w1-1")),
				op("manager.delete", "a", 10, 15),
			},
		},
		{
			name:  "capacity_overshoot: a delete that returned as the create was called may follow it",
			cfg:   ctxsys.Config{MaxContexts: 1, MaxRecoveryPoints: 2, TTL: time.Hour},
			world: world{memory: map[string]ctxsys.State{"b": state(1, "w0-1")}},
			ops: []Op{
				op("manager.create", "b", 0, 10, write(1, "w0-1")),
				op("manager.delete", "a", 5, 30, by(1)),
				op("manager.create", "a", 30, 40, by(2), write(2, "w2-1")),
			},
		},
		{
			name: "capacity_overshoot: the adapter's own cap, when update_config ran",
			world: world{
				memory: map[string]ctxsys.State{"a": state(1, "w0-1"), "b": state(1, "w0-2")},
				adapter: map[string]ctxsys.AdapterContext{
					"a": {ID: "a", Version: 1, Data: []byte("w0-1")}, "b": {ID: "b", Version: 1, Data: []byte("w0-2")}},
				adapterCfg: ctxsys.AdapterConfig{MaxContexts: 1, TTL: time.Hour},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.create", "b", 20, 30, write(0, "w0-2")),
				op("adapter.update_config", "", 40, 50),
			},
		},
		{
			name: "version_regression: an update that returned as the read was called is concurrent",
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.get_state", "", 10, 20, by(1), onTracker(0), returns(3, "w9-9")),
			},
		},
		{
			name: "version_regression: an activate told it failed may lie between",
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.activate", "a", 20, 30, onTracker(0), failed("store")),
				op("tracker.get_state", "", 40, 50, onTracker(0), returns(3, "w9-9")),
			},
		},
		{
			name:  "version_regression: final state, an activate may follow an update that began as it returned",
			world: world{trackers: []ctxsys.State{state(3, "w9-9")}},
			ops: []Op{
				op("tracker.activate", "a", 0, 10, onTracker(0)),
				op("tracker.update_state", "", 10, 20, by(1), onTracker(0), write(5, "w1-1")),
			},
		},
		{
			name: "lost_refresh: refreshed exactly ttl before the cleanup returned",
			cfg:  ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: 100},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.update", "a", 20, 30, write(0, "w0-2")),
				op("adapter.cleanup", "", 40, 120, by(1), ids("a")),
			},
			want: map[string]int64{LostRefresh: 1},
		},
		{
			name: "lost_refresh: a create that returned as the cleanup began may follow it",
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.cleanup", "", 10, 50, by(1), ids("a")),
			},
		},
		{
			name: "lost_refresh: a re-create that returned as the cleanup began may lie between",
			cfg:  ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: 45},
			ops: []Op{
				op("adapter.create", "a", 0, 5, write(0, "w0-1")),
				op("adapter.cleanup", "", 20, 50, by(1), ids("a")),
				op("adapter.create", "a", 10, 20, write(0, "w0-2")),
				op("adapter.update", "a", 25, 60, by(2), write(0, "w2-1")),
			},
		},
		{
			name: "lost_refresh: a re-create told it failed may lie between",
			cfg:  ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: 45},
			ops: []Op{
				op("adapter.create", "a", 0, 5, write(0, "w0-1")),
				op("adapter.cleanup", "", 20, 50, by(1), ids("a")),
				op("adapter.create", "a", 25, 30, write(0, "w0-2"), failed("store")),
				op("adapter.update", "a", 30, 60, by(2), write(0, "w2-1")),
			},
		},
		{
			name: "failed_write_visible: more recovery points than allowed, one told it failed",
			world: world{
				memory: map[string]ctxsys.State{"a": state(1, "w0-1")},
				rps:    map[string][]uint64{"a": {1, 2, 3}},
			},
			ops: []Op{
				op("manager.recovery_point", "a", 0, 10, failed("store")),
			},
			want: map[string]int64{FailedWriteVisible: 1},
		},
		{
			name: "failed_write_visible: the store holds a write told it failed",
			world: world{
				memory: map[string]ctxsys.State{"a": state(2, "w0-2")},
				store:  map[string]ctxsys.State{"a": state(3, "w1-1")},
			},
			ops: []Op{
				op("manager.update", "a", 0, 10, write(2, "w0-2")),
				op("manager.update", "a", 20, 30, by(1), write(3, "w1-1"), failed("store")),
			},
			want: map[string]int64{FailedWriteVisible: 1},
		},
		{
			name: "failed_write_visible: a delete told it failed left memory without the store",
			world: world{
				memory: map[string]ctxsys.State{"a": state(1, "w0-1")},
				store:  map[string]ctxsys.State{},
			},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.delete", "a", 20, 30, failed("store")),
			},
			want: map[string]int64{FailedWriteVisible: 1},
		},
		{
			name: "store_divergence: stored bytes that do not decode",
			world: world{
				memory:   map[string]ctxsys.State{"a": state(1, "w0-1")},
				store:    map[string]ctxsys.State{},
				storeRaw: map[string][]byte{"a": []byte("{not json")},
			},
			want: map[string]int64{StoreDivergence: 1},
		},
		{
			name: "zombie: the manager has an id the adapter does not",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(1, "w0-1"), "b": state(1, "w0-2")},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 1, Data: []byte("w0-1")}},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.create", "b", 0, 10, by(1), write(0, "w0-2")),
			},
			want: map[string]int64{Zombie: 1},
		},
		{
			name: "failed_write_visible: the adapter keeps an id whose create failed in the manager",
			world: world{
				memory:  map[string]ctxsys.State{},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 1, Data: []byte("w0-1")}},
			},
			ops:  []Op{op("adapter.create", "a", 0, 10, write(0, "w0-1"), failed("store"))},
			want: map[string]int64{FailedWriteVisible: 1},
		},
		{
			name: "failed_write_visible: the manager keeps an id whose adapter create failed",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(1, "w0-1")},
				adapter: map[string]ctxsys.AdapterContext{},
			},
			ops:  []Op{op("adapter.create", "a", 0, 10, write(0, "w0-1"), failed("store"))},
			want: map[string]int64{FailedWriteVisible: 1},
		},
		{
			name: "failed_write_visible: adapter and manager differ by an update told it failed",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(2, "w1-1")},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 1, Data: []byte("w0-1")}},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.update", "a", 20, 30, by(1), write(0, "w1-1"), failed("store")),
			},
			want: map[string]int64{FailedWriteVisible: 1},
		},
		{
			// Intervals are closed: a delete called as the later create
			// returns may fall between the two.
			name: "duplicate_create: a delete starting at the later create's return separates",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "a", 5, 20, by(1), write(2, "w1-1")),
				op("manager.delete", "a", 20, 30, by(2)),
			},
		},
		{
			// One id created twice at once is one context, not two.
			name: "capacity_overshoot: a duplicate create counts its id once",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "a", 5, 15, by(1), write(2, "w1-1")),
				op("manager.create", "b", 0, 10, by(2), write(3, "w2-1")),
			},
			want: map[string]int64{DuplicateCreate: 1},
		},
		{
			// A manager preloaded before the run, its adapter never used.
			name:  "no anomaly: an adapter nobody wrote is not compared",
			world: world{memory: map[string]ctxsys.State{"a": state(1, "w0-1")}, adapter: map[string]ctxsys.AdapterContext{}},
		},
		{
			name: "no anomaly: adapter not compared when the manager was also written directly",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(2, "w1-1")},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 1, Data: []byte("w0-1")}},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("manager.update", "a", 20, 30, by(1), write(2, "w1-1")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			if c == (ctxsys.Config{}) {
				c = cfg
			}
			in, o := observe(t, 3, Options{Config: c}, tt.world, tt.ops...)
			got := o.Check(context.Background(), in)
			if !got.Checked || got.Linearizable != "skipped" {
				t.Errorf("checked=%v linearizable=%q, want true, skipped", got.Checked, got.Linearizable)
			}
			for _, kind := range Kinds {
				if got.Anomalies[kind] != tt.want[kind] {
					t.Errorf("%s = %d, want %d (notes %q)", kind, got.Anomalies[kind], tt.want[kind], got.Notes)
				}
			}
			if len(got.Anomalies) != len(Kinds) {
				t.Errorf("anomalies has %d keys, want %d", len(got.Anomalies), len(Kinds))
			}
		})
	}
}

func TestLostRefreshNeedsKnownTTL(t *testing.T) {
	tests := []struct {
		name     string
		finalTTL time.Duration
		want     int64
	}{
		{"ttl changed", time.Minute, 0},
		{"ttl back to the configured one", time.Hour, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := world{
				memory:     map[string]ctxsys.State{},
				adapter:    map[string]ctxsys.AdapterContext{},
				adapterCfg: ctxsys.AdapterConfig{MaxContexts: 100, TTL: tt.finalTTL},
			}
			in, o := observe(t, 2, Options{Config: ctxsys.Config{TTL: time.Hour}}, w,
				op("adapter.create", "a", 0, 10, write(0, "w0-1")),
				op("adapter.update_config", "", 20, 30),
				op("adapter.cleanup", "", 50, 200, ids("a")),
			)
			got := o.Check(context.Background(), in)
			if got.Anomalies[LostRefresh] != tt.want {
				t.Errorf("lost_refresh = %d, want %d", got.Anomalies[LostRefresh], tt.want)
			}
			if !strings.Contains(strings.Join(got.Notes, "\n"), "update_config") {
				t.Errorf("notes %q do not mention update_config", got.Notes)
			}
		})
	}
}

func TestRecordRejectsUnknownWorker(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Record(2) on an observer of 2 workers did not panic")
		}
	}()
	NewObserver(2, Options{}).Record(2, Op{Kind: ctxsys.ManagerGet})
}

// TestMaxTree: the Fenwick tree's prefix maxima agree with a plain scan
// (version_regression's figure rests on them).
func TestMaxTree(t *testing.T) {
	const n = 37
	r := rand.New(rand.NewPCG(1, 2))
	tree := make(maxTree, n+1)
	plain := make([]uint64, n)
	for range 200 {
		i, v := r.IntN(n), r.Uint64N(1000)
		tree.add(i, v)
		plain[i] = max(plain[i], v)
		for p := 0; p <= n; p++ {
			var want uint64
			for _, x := range plain[:p] {
				want = max(want, x)
			}
			if got := tree.prefix(p); got != want {
				t.Fatalf("prefix(%d) = %d, want %d", p, got, want)
			}
		}
	}
}

// TestAnomalyInstants: intervals are closed, so operations that meet at one
// instant are concurrent — each fact decided at such an instant.
func TestAnomalyInstants(t *testing.T) {
	tests := []struct {
		name  string
		cfg   ctxsys.Config
		world world
		ops   []Op
		want  map[string]int64
	}{
		{
			name: "duplicate_create: a delete called as the second create returns separates them",
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "a", 20, 30, by(1), write(2, "w1-1")),
				op("manager.delete", "a", 30, 40, by(2)),
			},
		},
		{
			name: "duplicate_create: a delete called as the enclosing create returns separates them",
			ops: []Op{
				op("manager.create", "a", 0, 100, write(1, "w0-1")),
				op("manager.create", "a", 20, 30, by(1), write(2, "w1-1")),
				op("manager.delete", "a", 100, 110, by(2)),
			},
		},
		{
			name:  "capacity_overshoot: an id counts in each span it existed",
			cfg:   ctxsys.Config{MaxContexts: 1, MaxRecoveryPoints: 2, TTL: time.Hour},
			world: world{memory: map[string]ctxsys.State{"a": state(2, "w0-2")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "b", 12, 15, by(1), write(1, "w1-1")),
				op("manager.delete", "a", 20, 22),
				op("manager.delete", "b", 25, 35, by(1)),
				op("manager.create", "a", 40, 50, write(2, "w0-2")),
			},
			want: map[string]int64{CapacityOvershoot: 1},
		},
		{
			name: "lost_refresh: an update called as the cleanup returns precedes it",
			cfg:  ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: 25},
			world: world{
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 2, Data: []byte("w1-1")}},
				memory:  map[string]ctxsys.State{"a": state(2, "w1-1")},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1"), returns(1, "w0-1")),
				op("adapter.cleanup", "", 20, 30, by(2), ids("a")),
				op("adapter.update", "a", 30, 40, by(1), write(0, "w1-1"), returns(2, "w1-1")),
			},
			want: map[string]int64{LostRefresh: 1},
		},
		{
			name:  "version_regression: an update returning as the get is called may follow it",
			world: world{trackers: []ctxsys.State{state(5, "w0-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 20, onTracker(0), write(5, "w0-1")),
				op("tracker.get_state", "", 20, 30, by(1), onTracker(0), returns(0, "")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			if c == (ctxsys.Config{}) {
				c = ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: time.Hour}
			}
			in, o := observe(t, 3, Options{Config: c}, tt.world, tt.ops...)
			got := o.Check(context.Background(), in)
			for _, kind := range Kinds {
				if got.Anomalies[kind] != tt.want[kind] {
					t.Errorf("%s = %d, want %d (notes %q)", kind, got.Anomalies[kind], tt.want[kind], got.Notes)
				}
			}
		})
	}
}
