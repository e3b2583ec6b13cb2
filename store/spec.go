package store

import (
	"encoding"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Spec is a parsed store spec string: the configuration of one store kind.
// ParseSpec fills in defaults, so a Spec always holds the values the store
// will use; String renders it back in canonical form.
//
// A Spec is text wherever it is read or written: it implements
// encoding.TextUnmarshaler (ParseSpec) and encoding.TextMarshaler (String),
// so a YAML or JSON field or a flag (flag.TextVar) of type Spec is parsed
// once, where it is read, and written back as its canonical string.
type Spec struct {
	// Config is one of MemoryConfig, SimConfig, FileConfig or BoltConfig;
	// nil in the zero Spec, which opens nothing.
	Config Config
}

// Config is the configuration of one store kind. Each kind lives in one
// file (memory.go, sim.go, file.go, bolt.go) with its Config, its parser
// and its KindInfo, and has one entry in the kinds table: a new store is a
// new file and a new entry.
type Config interface {
	// Kind is the kind's name in a spec: "memory", "sim", "file", "bolt".
	Kind() string
	// Open opens a store of this configuration; the caller closes it.
	Open() (Store, error)
	// options renders the options that differ from the defaults, as
	// key=value in a fixed order.
	options() []string
}

// placed is a Config whose store lives in a directory the user names (a
// file store's dir, the directory of a bolt database file), so path.go can
// check it and give each run a fresh directory in it.
type placed interface {
	Config
	// place returns the user's path and the directory the store writes
	// into; both "" when the store makes a temporary one of its own.
	place() (path, dir string)
	// in returns the configuration with the store moved into dir.
	in(dir string) Config
}

// kind is one entry of the table of store kinds.
type kind struct {
	info  KindInfo
	parse func(o options) (Config, error)
}

// kinds is the table of store kinds, in the order bench list shows them.
var kinds = []kind{memoryKind, simKind, fileKind, boltKind}

// Kind returns the spec's kind name, "" for the zero Spec.
func (s Spec) Kind() string {
	if s.Config == nil {
		return ""
	}
	return s.Config.Kind()
}

// Open parses spec (see ParseSpec) and opens the store it describes:
//
//	memory                                   a Memory store (MemoryConfig)
//	sim:latency=1ms,dist=exp,errors=0.01,…   a Sim store (SimConfig)
//	file:dir=PATH,fsync=false                a File store (FileConfig)
//	bolt:path=FILE                           a Bolt store (BoltConfig)
//
// Errors of the spec wrap ErrSpec; the caller closes the store.
func Open(spec string) (Store, error) {
	s, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	return s.Open()
}

// Open opens the store the spec describes; the caller closes it.
func (s Spec) Open() (Store, error) {
	if s.Config == nil {
		return nil, fmt.Errorf("%w: no store kind (want one of %s)", ErrSpec, kindNames())
	}
	return s.Config.Open()
}

// LongestCall is the longest a healthy call of the store takes by its
// configuration (the injected delay at its longest, spikes included), 0
// for a store that injects none: a watchdog waits that long before it
// calls a call stalled.
func (s Spec) LongestCall() time.Duration {
	if d, ok := s.Config.(interface{ longestCall() time.Duration }); ok {
		return d.longestCall()
	}
	return 0
}

// Limits beyond which a spec value is taken for a mistake.
const (
	maxDuration = time.Minute
	maxPool     = 1_000_000
)

// MaxSpecLength bounds a spec's canonical form, in bytes: a spec is a line
// in results, reports and benchmark names, not a document.
const MaxSpecLength = 256

// maxQuoted bounds how much of a bad spec its error message quotes.
const maxQuoted = 96

// KindInfo describes a store kind for listings (bench list).
type KindInfo struct {
	Name        string
	Description string
	Options     []OptionInfo
}

// OptionInfo describes one option of a store kind.
type OptionInfo struct {
	Name        string // key in the spec, e.g. "latency"
	Syntax      string // value syntax, e.g. "DURATION"
	Default     string // value when absent
	Description string
}

// Kinds describes the store kinds Open accepts, in a stable order.
func Kinds() []KindInfo {
	out := make([]KindInfo, len(kinds))
	for i, k := range kinds {
		out[i] = k.info
		out[i].Options = append([]OptionInfo(nil), k.info.Options...)
	}
	return out
}

func kindNames() string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.info.Name
	}
	return strings.Join(names, ", ")
}

// ParseSpec parses a spec string "KIND" or "KIND:key=value,key=value":
// one line of printable UTF-8 whose canonical form (String) is at most
// MaxSpecLength bytes. Spaces around the kind, keys and values are
// ignored. Errors wrap ErrSpec and name the spec (its first bytes when it
// is long) and the culprit.
func ParseSpec(spec string) (Spec, error) {
	s, err := parseSpec(spec)
	if err != nil {
		quoted := strconv.Quote(spec)
		if len(spec) > maxQuoted {
			cut := maxQuoted
			for cut > 0 && !utf8.RuneStart(spec[cut]) {
				cut--
			}
			quoted = strconv.Quote(spec[:cut]) + "…"
		}
		return Spec{}, fmt.Errorf("%w %s: %s", ErrSpec, quoted, err.Error())
	}
	return s, nil
}

var (
	_ encoding.TextMarshaler   = Spec{}
	_ encoding.TextUnmarshaler = (*Spec)(nil)
)

// MarshalText returns the canonical form, String; the zero Spec gives "",
// which UnmarshalText refuses.
func (s Spec) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses text with ParseSpec; on error s is unchanged and
// the error wraps ErrSpec.
func (s *Spec) UnmarshalText(text []byte) error {
	parsed, err := ParseSpec(string(text))
	if err != nil {
		return err
	}
	*s = parsed
	return nil
}

// specError is a message without the spec; ParseSpec adds it.
type specError string

func (e specError) Error() string { return string(e) }

func badf(format string, args ...any) error { return specError(fmt.Sprintf(format, args...)) }

// options are the key=value pairs of a spec, and the order they came in.
type options struct {
	kind   string
	values map[string]string
	order  []string
}

// lookup returns the value of key and whether it was given.
func (o options) lookup(key string) (string, bool) {
	v, ok := o.values[key]
	return v, ok
}

// allow rejects keys outside allowed, naming the first in spec order.
func (o options) allow(allowed ...string) error {
	for _, k := range o.order {
		known := false
		for _, a := range allowed {
			known = known || k == a
		}
		if !known {
			if len(allowed) == 0 {
				return badf("unknown option %s (%s takes none)", k, o.kind)
			}
			return badf("unknown option %s for %s (want %s)", k, o.kind, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func parseSpec(spec string) (Spec, error) {
	if !utf8.ValidString(spec) {
		return Spec{}, badf("not valid UTF-8")
	}
	if i := strings.IndexFunc(spec, func(r rune) bool { return !unicode.IsPrint(r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(spec[i:])
		return Spec{}, badf("must be one line of printable text, has %q", r)
	}
	name, rest, hasOptions := strings.Cut(strings.TrimSpace(spec), ":")
	name = strings.TrimSpace(name)
	var k *kind
	for i := range kinds {
		if kinds[i].info.Name == name {
			k = &kinds[i]
		}
	}
	switch {
	case name == "":
		return Spec{}, badf("no store kind (want one of %s)", kindNames())
	case k == nil:
		return Spec{}, badf("unknown store kind %q (want one of %s)", name, kindNames())
	}
	o := options{kind: name, values: map[string]string{}}
	if hasOptions && strings.TrimSpace(rest) != "" {
		for _, item := range strings.Split(rest, ",") {
			key, value, ok := strings.Cut(item, "=")
			key, value = strings.TrimSpace(key), strings.TrimSpace(value)
			switch {
			case strings.TrimSpace(item) == "":
				return Spec{}, badf("empty option")
			case !ok || key == "":
				return Spec{}, badf("option %q is not key=value", strings.TrimSpace(item))
			}
			if _, dup := o.values[key]; dup {
				return Spec{}, badf("duplicate option %s", key)
			}
			o.values[key] = value
			o.order = append(o.order, key)
		}
	}
	c, err := k.parse(o)
	if err != nil {
		return Spec{}, err
	}
	s := Spec{Config: c}
	// The canonical form, not the input, is bounded: it is what is
	// written, and it must parse again.
	if n := len(s.String()); n > MaxSpecLength {
		return Spec{}, badf("longer than %d bytes (%d in canonical form)", MaxSpecLength, n)
	}
	return s, nil
}

func parseDuration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return 0, badf("%s %q is not a duration (e.g. 200us, 1ms)", name, v)
	case d < 0:
		return 0, badf("%s must be >= 0", name)
	case d > maxDuration:
		return 0, badf("%s %v exceeds %v", name, d, maxDuration)
	}
	return d, nil
}

func parseProbability(name, v string) (float64, error) {
	p, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil || math.IsNaN(p):
		return 0, badf("%s %q is not a number", name, v)
	case p < 0 || p > 1:
		return 0, badf("%s %v is outside [0, 1]", name, p)
	}
	return p, nil
}

// String renders the spec in canonical form: options in a fixed order,
// defaults omitted, durations and numbers in Go's shortest form, so that
// ParseSpec(s.String()) returns s for any s that ParseSpec returned.
func (s Spec) String() string {
	if s.Config == nil {
		return ""
	}
	opts := s.Config.options()
	if len(opts) == 0 {
		return s.Config.Kind()
	}
	return s.Config.Kind() + ":" + strings.Join(opts, ",")
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
