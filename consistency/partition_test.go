package consistency

import (
	"context"
	"testing"

	"lockbench/ctxsys"
	"lockbench/results"
)

// TestPartitionVerdicts: how each kind of recorded operation reaches the
// model — which partitions it touches, with what it knows — shown by the
// verdict on small histories that turn on it.
func TestPartitionVerdicts(t *testing.T) {
	withAdapter := func(memory map[string]ctxsys.State, adapter map[string]ctxsys.AdapterContext) world {
		return world{memory: memory, adapter: adapter}
	}
	tests := []struct {
		name  string
		cfg   ctxsys.Config
		world world
		ops   []Op
		want  string
	}{
		{
			name:  "a get beside recovery points carries no count",
			world: world{memory: map[string]ctxsys.State{"a": state(1, "w0-1")}, rps: map[string][]uint64{"a": {1}}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.recovery_point", "a", 20, 30),
				op("manager.get", "a", 40, 50, returns(1, "w0-1")),
				op("manager.recovery_points", "a", 60, 70, count(1)),
			},
			want: results.LinOK,
		},
		{
			name: "a recovery point told it failed may leave one more than the limit",
			cfg:  ctxsys.Config{MaxRecoveryPoints: 1},
			world: world{memory: map[string]ctxsys.State{"a": state(1, "w0-1")}, rps: map[string][]uint64{"a": {1, 2}},
				store: map[string]ctxsys.State{"a": state(1, "w0-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.recovery_point", "a", 20, 30),
				op("manager.recovery_point", "a", 40, 50, failed("store")),
				op("manager.recovery_points", "a", 60, 70, count(2)),
			},
			want: results.LinOK,
		},
		{
			name: "above the limit with no failure",
			cfg:  ctxsys.Config{MaxRecoveryPoints: 1},
			world: world{memory: map[string]ctxsys.State{"a": state(1, "w0-1")}, rps: map[string][]uint64{"a": {1, 2}},
				store: map[string]ctxsys.State{"a": state(1, "w0-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.recovery_point", "a", 20, 30),
				op("manager.recovery_point", "a", 40, 50),
				op("manager.recovery_points", "a", 60, 70, count(2)),
			},
			want: results.LinIllegal,
		},
		{
			name: "adapter: a create then an update, read back",
			world: withAdapter(map[string]ctxsys.State{"a": state(2, "w0-2")},
				map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 2, Data: []byte("w0-2")}}),
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1"), returns(1, "w0-1")),
				op("adapter.get", "a", 20, 30, returns(1, "w0-1")),
				op("adapter.update", "a", 40, 50, write(0, "w0-2"), returns(2, "w0-2")),
				op("adapter.get", "a", 60, 70, returns(2, "w0-2")),
			},
			want: results.LinOK,
		},
		{
			// A manager.create of another id: the adapter's map and the
			// manager's may differ, so only the adapter's own outcomes
			// say what its map holds.
			name: "adapter beside the manager: a create then an update, read back",
			world: withAdapter(map[string]ctxsys.State{"a": state(2, "w0-2"), "b": state(1, "w1-1")},
				map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 2, Data: []byte("w0-2")}}),
			ops: []Op{
				op("manager.create", "b", 0, 10, by(1), write(1, "w1-1")),
				op("adapter.create", "a", 0, 10, write(0, "w0-1"), returns(1, "w0-1")),
				op("adapter.get", "a", 20, 30, returns(1, "w0-1")),
				op("adapter.update", "a", 40, 50, write(0, "w0-2"), returns(2, "w0-2")),
				op("adapter.get", "a", 60, 70, returns(2, "w0-2")),
			},
			want: results.LinOK,
		},
		{
			name: "adapter: the manager holds another version than the update returned",
			world: withAdapter(map[string]ctxsys.State{"a": state(3, "w0-2")},
				map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 2, Data: []byte("w0-2")}}),
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1"), returns(1, "w0-1")),
				op("adapter.update", "a", 20, 30, write(0, "w0-2"), returns(2, "w0-2")),
				op("manager.get", "a", 40, 50, returns(3, "w0-2")),
			},
			want: results.LinIllegal,
		},
		{
			name: "adapter: an acknowledged update lost at quiescence",
			world: withAdapter(map[string]ctxsys.State{"a": state(2, "w0-2")},
				map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 1, Data: []byte("w0-1")}}),
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1"), returns(1, "w0-1")),
				op("adapter.update", "a", 20, 30, write(0, "w0-2"), returns(2, "w0-2")),
			},
			want: results.LinIllegal,
		},
		{
			name:  "tracker: a get of an older version",
			world: world{trackers: []ctxsys.State{state(2, "w0-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(2, "w0-1")),
				op("tracker.get_state", "", 20, 30, onTracker(0), returns(1, "w9-9")),
			},
			want: results.LinIllegal,
		},
		{
			// With auto-recovery an accepted update may still return its
			// recovery point's error.
			name:  "tracker: an update told not_found under auto-recovery may have been accepted",
			cfg:   ctxsys.Config{AutoRecovery: true},
			world: world{trackers: []ctxsys.State{state(2, "w0-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(2, "w0-1"), failed("not_found")),
				op("tracker.get_state", "", 20, 30, by(1), onTracker(0), returns(2, "w0-1")),
			},
			want: results.LinOK,
		},
		{
			name:  "tracker: a failed get tells nothing",
			world: world{trackers: []ctxsys.State{state(2, "w0-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(2, "w0-1")),
				op("tracker.get_state", "", 20, 30, onTracker(0), failed("store")),
			},
			want: results.LinOK,
		},
		{
			name:  "tracker: an update lost at quiescence",
			world: world{trackers: []ctxsys.State{state(1, "w0-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(1, "w0-1")),
				op("tracker.update_state", "", 20, 30, onTracker(0), write(2, "w0-2")),
			},
			want: results.LinIllegal,
		},
		{
			name:  "tracker: one the checker could not read",
			world: world{trackers: []ctxsys.State{state(1, "w0-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(1, "w0-1")),
				op("tracker.update_state", "", 20, 30, onTracker(1), write(2, "w0-2")),
			},
			want: results.LinOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, o := observe(t, 3, Options{History: true, Config: tt.cfg}, tt.world, tt.ops...)
			got := o.Check(context.Background(), in)
			if got.Linearizable != tt.want {
				t.Errorf("linearizable = %q, want %q (notes %q)", got.Linearizable, tt.want, got.Notes)
			}
		})
	}
}
