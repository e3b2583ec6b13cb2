package ctxstate

import (
	"slices"
	"testing"

	"lockbench/ctxsys"
)

func TestPoints(t *testing.T) {
	for _, tc := range []struct {
		name     string
		appended []uint64
		remove   []uint64
		drop     int
		want     []uint64
		lastSeq  uint64
	}{
		{name: "in order", appended: []uint64{1, 2, 3}, want: []uint64{1, 2, 3}, lastSeq: 3},
		{name: "out of order kept sorted", appended: []uint64{2, 1, 4, 3}, want: []uint64{1, 2, 3, 4}, lastSeq: 4},
		{name: "remove", appended: []uint64{1, 2, 3}, remove: []uint64{2, 9}, want: []uint64{1, 3}, lastSeq: 3},
		{name: "drop oldest", appended: []uint64{1, 2, 3}, drop: 2, want: []uint64{3}, lastSeq: 3},
		{name: "drop more than there are", appended: []uint64{1}, drop: 5, want: []uint64{}, lastSeq: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Points
			for _, s := range tc.appended {
				p.Append(ctxsys.RecoveryPoint{Seq: s})
			}
			p.Remove(tc.remove)
			p.DropOldest(tc.drop)
			if got := p.Seqs(); !slices.Equal(got, tc.want) || p.LastSeq != tc.lastSeq {
				t.Fatalf("seqs %v last %d, want %v last %d", got, p.LastSeq, tc.want, tc.lastSeq)
			}
			if next := p.NextSeq(); next != tc.lastSeq+1 {
				t.Fatalf("NextSeq = %d, want %d", next, tc.lastSeq+1)
			}
		})
	}
}

func TestTrimCount(t *testing.T) {
	for _, tc := range []struct{ n, max, want int }{
		{0, 3, 0}, {3, 3, 0}, {4, 3, 1}, {10, 3, 7}, {1, 0, 1},
	} {
		if got := TrimCount(tc.n, tc.max); got != tc.want {
			t.Errorf("TrimCount(%d, %d) = %d, want %d", tc.n, tc.max, got, tc.want)
		}
	}
}

func TestNilPoints(t *testing.T) {
	var p *Points
	if p.Len() != 0 || p.Seqs() != nil || len(p.Oldest(2)) != 0 || p.Clone() == nil {
		t.Fatal("a nil *Points must read as no points (Clone: empty, not nil)")
	}
}

func TestMergeAdapterConfig(t *testing.T) {
	cur := ctxsys.AdapterConfig{MaxContexts: 5, TTL: 7}
	for _, tc := range []struct {
		name    string
		upd     ctxsys.AdapterConfig
		want    ctxsys.AdapterConfig
		wantErr bool
	}{
		{name: "zero keeps", upd: ctxsys.AdapterConfig{}, want: cur},
		{name: "max only", upd: ctxsys.AdapterConfig{MaxContexts: 9}, want: ctxsys.AdapterConfig{MaxContexts: 9, TTL: 7}},
		{name: "ttl only", upd: ctxsys.AdapterConfig{TTL: 1}, want: ctxsys.AdapterConfig{MaxContexts: 5, TTL: 1}},
		{name: "negative", upd: ctxsys.AdapterConfig{MaxContexts: -1}, want: cur, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := MergeAdapterConfig(cur, tc.upd)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Fatalf("MergeAdapterConfig = %+v, %v; want %+v, error %t", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
