package workload

import (
	"strconv"
	"sync"
)

// ContextID returns the context id of key index i: "c" and i in at least
// six digits ("c000042"). Preload creates ContextID(0) … ContextID(Preload-1).
func ContextID(i int) string {
	if i >= 0 && i < maxTableKeys {
		ids := contextIDs(i + 1)
		start, end := idSpan(i)
		return ids[start:end]
	}
	return string(appendContextID(nil, i))
}

func appendContextID(b []byte, i int) []byte {
	b = append(b, 'c')
	if i >= 0 {
		for pad := 100000; pad > 1 && i < pad; pad /= 10 {
			b = append(b, '0')
		}
	}
	return strconv.AppendInt(b, int64(i), 10)
}

// maxTableKeys bounds the table of precomputed ids: key spaces up to it get
// their ids by slicing one shared string (no allocation per operation);
// larger ones format each id when drawn. 2^20 ids take about 7.5 MB.
const maxTableKeys = 1 << 20

// keyTable holds the ids ContextID(0) … ContextID(n-1) concatenated. Ids
// have a fixed width per range (7 bytes below 10^6, 8 above), so an id's
// position follows from its index and a larger table serves every smaller
// key space: it only ever grows, and readers keep the string they got.
var keyTable struct {
	sync.Mutex
	ids string
	n   int
}

// idSpan is where id i sits in the table.
func idSpan(i int) (start, end int) {
	const narrow, narrowWidth = 1_000_000, 7
	if i < narrow {
		return i * narrowWidth, (i + 1) * narrowWidth
	}
	start = narrow*narrowWidth + (i-narrow)*(narrowWidth+1)
	return start, start + narrowWidth + 1
}

// contextIDs returns a table holding at least the first n ids
// (n <= maxTableKeys).
func contextIDs(n int) string {
	keyTable.Lock()
	defer keyTable.Unlock()
	if keyTable.n < n {
		size := min(max(n, 2*keyTable.n, 1024), maxTableKeys)
		_, end := idSpan(size - 1)
		b := make([]byte, 0, end)
		for i := range size {
			b = appendContextID(b, i)
		}
		keyTable.ids, keyTable.n = string(b), size
	}
	return keyTable.ids
}
