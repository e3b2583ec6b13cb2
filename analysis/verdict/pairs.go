package verdict

import (
	"errors"
	"fmt"
	"strings"

	"lockbench/analysis"
)

// ErrMap: a --map value that is malformed or names a strategy absent from
// its file.
var ErrMap = errors.New("verdict: bad strategy map")

// Pair pairs the cells of strategy Old in the old file with those of
// strategy New in the new file (same workload and concurrency).
type Pair struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// ParseMap reads "OLD=NEW[,OLD2=NEW2…]". Each side names one strategy; a
// strategy may appear on the old side only once.
func ParseMap(s string) ([]Pair, error) {
	var pairs []Pair
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		old, new, ok := strings.Cut(part, "=")
		old, new = strings.TrimSpace(old), strings.TrimSpace(new)
		if !ok || old == "" || new == "" {
			return nil, fmt.Errorf("%w: %q: want OLD=NEW", ErrMap, part)
		}
		if seen[old] {
			return nil, fmt.Errorf("%w: %q mapped twice", ErrMap, old)
		}
		seen[old] = true
		pairs = append(pairs, Pair{Old: old, New: new})
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("%w: %q: no OLD=NEW pair", ErrMap, s)
	}
	return pairs, nil
}

// Cell is one compared cell: the old file's cell and the new file's cell it
// is judged against. Without a map both keys are equal.
type Cell struct {
	Old, New analysis.CellKey
}

// Mapped reports whether the two sides are different strategies.
func (c Cell) Mapped() bool { return c.Old.Strategy != c.New.Strategy }

// String names the cell as tables show it:
// "w/conc=4/strategy=naive", or "w/conc=4/strategy=naive→sharded" when
// mapped.
func (c Cell) String() string {
	if c.Mapped() {
		return c.Old.String() + "→" + c.New.Strategy
	}
	return c.Old.String()
}
