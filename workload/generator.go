package workload

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// A Generator draws one worker's operations: the kind from the mix, and for
// keyed kinds the context id from the distribution. It is deterministic: the
// same spec, seed and worker give the same sequence, so a run can be
// replayed. A Generator is used by one goroutine; Next does not allocate
// (except for the distribution unique, one small allocation per 128 keys,
// and key spaces above 2^20 keys, one per key).
//
// Key distributions over ContextID(0) … ContextID(Keys-1):
//
//   - uniform: every key equally likely.
//   - zipf: key k (0-based) has probability proportional to (k+1)^-zipf_s,
//     so ContextID(0) is the hottest. It is math/rand/v2's Zipf with v = 1
//     and imax = Keys-1 (rejection-inversion, exact), hence zipf_s > 1.
//   - hotspot: the first round(hot_fraction × Keys) keys (at least one) are
//     hot and receive hot_probability of the accesses, uniformly; the others
//     share the rest uniformly.
//   - sequential: worker w of n visits keys w, w+n, w+2n, … modulo Keys, so
//     the workers of a run sweep the key space in step without meeting (when
//     n <= Keys). Generator, which does not know n, uses stride 1.
//   - unique: fresh ids never drawn before by any worker, "u<worker>-<n>";
//     Keys is ignored (only creates and key-less operations are allowed).
type Generator struct {
	rng *rand.Rand

	// The mix: ops sorted, thresholds[i] = cumulative probability of
	// ops[0..i] scaled to 2^64.
	ops        []Op
	keyed      []bool // keyed[i]: ops[i] takes a key
	thresholds []uint64

	distribution string
	keys         uint64
	ids          string // precomputed id table; "" for large key spaces

	zipf *rand.Zipf

	hotKeys, coldKeys uint64
	hotThreshold      uint64 // P(hot) scaled to 2^64
	allHot            bool

	sequentialNext, stride uint64

	worker     int
	uniqueNext uint64
	batch      string  // unique: a batch of fresh ids …
	batchEnds  []int32 // … and where each ends
	batchPos   int
	buf        []byte
}

// uniqueBatch is how many unique ids are formatted at once, into one string.
const uniqueBatch = 128

// Generator returns the generator of worker (0-based) in a run whose worker
// count is unknown; use Generators for the workers of one run, which also
// partitions the sequential distribution among them. seed is usually
// s.Seed (a runner may derive one per repetition).
func (s *Spec) Generator(worker int, seed int64) *Generator {
	return s.newGenerator(worker, 1, seed)
}

// Generators returns the generators of the workers 0 … workers-1 of one
// run. Generators(n, seed)[w] equals Generator(w, seed) except for the
// sequential distribution, whose workers stride by n.
func (s *Spec) Generators(workers int, seed int64) []*Generator {
	gens := make([]*Generator, workers)
	for w := range gens {
		gens[w] = s.newGenerator(w, workers, seed)
	}
	return gens
}

func (s *Spec) newGenerator(worker, workers int, seed int64) *Generator {
	// Seed the stream from (seed, worker) through a mixer, so that
	// neighbouring workers and seeds get unrelated streams.
	hi := splitmix64(uint64(seed))
	lo := splitmix64(hi ^ splitmix64(uint64(worker)+0x632be59bd9b4e019))
	g := &Generator{
		rng:          rand.New(rand.NewPCG(hi, lo)),
		distribution: s.Distribution,
		keys:         uint64(max(s.Keys, 1)),
		worker:       worker,
	}
	g.ops = s.OpKinds()
	for _, spec := range s.opSpecs() {
		g.keyed = append(g.keyed, spec.Keyed)
	}
	total := 0.0
	for _, op := range g.ops {
		total += s.Weight(op)
	}
	cumulative := 0.0
	for i, op := range g.ops {
		cumulative += s.Weight(op)
		g.thresholds = append(g.thresholds, scaleProbability(cumulative/total))
		if i == len(g.ops)-1 {
			g.thresholds[i] = math.MaxUint64
		}
	}
	if g.keys <= maxTableKeys {
		g.ids = contextIDs(int(g.keys))
	}
	switch s.Distribution {
	case Zipf:
		if g.keys > 1 {
			g.zipf = rand.NewZipf(g.rng, s.ZipfS, 1, g.keys-1)
		}
	case Hotspot:
		g.hotKeys = uint64(min(max(math.Round(s.HotFraction*float64(g.keys)), 1), float64(g.keys)))
		g.coldKeys = g.keys - g.hotKeys
		g.allHot = s.HotProbability >= 1 || g.coldKeys == 0
		g.hotThreshold = scaleProbability(s.HotProbability)
	case Sequential:
		g.sequentialNext = uint64(worker) % g.keys
		g.stride = uint64(max(workers, 1)) % g.keys
	}
	return g
}

// scaleProbability maps p in [0, 1] to [0, 2^64-1].
func scaleProbability(p float64) uint64 {
	if p >= 1 {
		return math.MaxUint64
	}
	return uint64(p * (1 << 64))
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Next returns the kind of the worker's next operation and, for a keyed
// kind, its context id ("" otherwise).
func (g *Generator) Next() (Op, string) {
	i := len(g.ops) - 1
	if len(g.ops) > 1 {
		x := g.rng.Uint64()
		for j, threshold := range g.thresholds[:len(g.thresholds)-1] {
			if x < threshold {
				i = j
				break
			}
		}
	}
	op := g.ops[i]
	if !g.keyed[i] {
		return op, ""
	}
	if g.distribution == Unique {
		return op, g.nextUnique()
	}
	return op, g.id(g.nextIndex())
}

// nextIndex draws a key index in [0, keys).
func (g *Generator) nextIndex() uint64 {
	switch g.distribution {
	case Zipf:
		if g.zipf == nil {
			return 0
		}
		// Guard against a float rounding just past the end.
		return min(g.zipf.Uint64(), g.keys-1)
	case Hotspot:
		if g.allHot || g.rng.Uint64() < g.hotThreshold {
			return g.rng.Uint64N(g.hotKeys)
		}
		return g.hotKeys + g.rng.Uint64N(g.coldKeys)
	case Sequential:
		i := g.sequentialNext
		g.sequentialNext = (g.sequentialNext + g.stride) % g.keys
		return i
	default:
		return g.rng.Uint64N(g.keys)
	}
}

// id returns ContextID(i), from the table when there is one.
func (g *Generator) id(i uint64) string {
	if g.ids != "" {
		start, end := idSpan(int(i))
		return g.ids[start:end]
	}
	g.buf = appendContextID(g.buf[:0], int(i))
	return string(g.buf)
}

// nextUnique returns the next fresh id, formatting uniqueBatch of them into
// one string at a time so that most calls only slice it.
func (g *Generator) nextUnique() string {
	if g.batchPos == len(g.batchEnds) {
		g.buf = g.buf[:0]
		g.batchEnds = g.batchEnds[:0]
		for range uniqueBatch {
			g.buf = append(g.buf, 'u')
			g.buf = strconv.AppendInt(g.buf, int64(g.worker), 10)
			g.buf = append(g.buf, '-')
			g.buf = strconv.AppendUint(g.buf, g.uniqueNext, 10)
			g.uniqueNext++
			g.batchEnds = append(g.batchEnds, int32(len(g.buf)))
		}
		g.batch = string(g.buf)
		g.batchPos = 0
	}
	start := int32(0)
	if g.batchPos > 0 {
		start = g.batchEnds[g.batchPos-1]
	}
	end := g.batchEnds[g.batchPos]
	g.batchPos++
	return g.batch[start:end]
}
