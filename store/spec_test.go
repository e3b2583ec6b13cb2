package store_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"lockbench/store"
)

func TestParseSpecGood(t *testing.T) {
	for _, tc := range []struct {
		spec      string
		want      store.Spec
		canonical string
	}{
		{"memory", store.Spec{Config: store.MemoryConfig{}}, "memory"},
		{"memory:", store.Spec{Config: store.MemoryConfig{}}, "memory"},
		{"sim", store.Spec{Config: store.SimConfig{Dist: store.DistFixed}}, "sim"},
		{"sim:latency=1ms", store.Spec{Config: store.SimConfig{Latency: time.Millisecond, Dist: store.DistFixed}}, "sim:latency=1ms"},
		{"sim:latency=200us,dist=fixed", store.Spec{Config: store.SimConfig{Latency: 200 * time.Microsecond, Dist: store.DistFixed}}, "sim:latency=200µs"},
		{
			" sim: pool=8 , seed=42, spike=0.001:50ms, errors=0.01, jitter=200us, dist=uniform , latency=1ms ",
			store.Spec{Config: store.SimConfig{
				Latency: time.Millisecond, Dist: store.DistUniform, Jitter: 200 * time.Microsecond,
				ErrorRate: 0.01, SpikeProbability: 0.001, SpikeDelay: 50 * time.Millisecond, Pool: 8, Seed: 42,
			}},
			"sim:latency=1ms,dist=uniform,jitter=200µs,errors=0.01,spike=0.001:50ms,pool=8,seed=42",
		},
		{
			"sim:latency=1ms,dist=uniform,jitter=200us,errors=0.01,spike=0.001:50ms,pool=8,seed=42",
			store.Spec{Config: store.SimConfig{
				Latency: time.Millisecond, Dist: store.DistUniform, Jitter: 200 * time.Microsecond,
				ErrorRate: 0.01, SpikeProbability: 0.001, SpikeDelay: 50 * time.Millisecond, Pool: 8, Seed: 42,
			}},
			"sim:latency=1ms,dist=uniform,jitter=200µs,errors=0.01,spike=0.001:50ms,pool=8,seed=42",
		},
		{
			"sim:seed=7,pool=2,dist=lognormal,latency=2ms",
			store.Spec{Config: store.SimConfig{Latency: 2 * time.Millisecond, Dist: store.DistLognormal, Pool: 2, Seed: 7}},
			"sim:latency=2ms,dist=lognormal,pool=2,seed=7",
		},
		{"sim:latency=1m,errors=1,spike=1:1m", store.Spec{Config: store.SimConfig{Latency: time.Minute, Dist: store.DistFixed, ErrorRate: 1, SpikeProbability: 1, SpikeDelay: time.Minute}}, "sim:latency=1m0s,errors=1,spike=1:1m0s"},
		{"sim:latency=0,errors=0,pool=0,seed=0", store.Spec{Config: store.SimConfig{Dist: store.DistFixed}}, "sim"},
		{"sim:errors=0.0125,spike=0.015:1ms", store.Spec{Config: store.SimConfig{Dist: store.DistFixed, ErrorRate: 0.0125, SpikeProbability: 0.015, SpikeDelay: time.Millisecond}}, "sim:errors=0.0125,spike=0.015:1ms"},
		{"sim:spike=0:5ms", store.Spec{Config: store.SimConfig{Dist: store.DistFixed, SpikeDelay: 5 * time.Millisecond}}, "sim:spike=0:5ms"},
		{"sim:pool=1000000", store.Spec{Config: store.SimConfig{Dist: store.DistFixed, Pool: 1_000_000}}, "sim:pool=1000000"},
		{"file", store.Spec{Config: store.FileConfig{Fsync: true}}, "file"},
		{"file:dir=/tmp/x,fsync=false", store.Spec{Config: store.FileConfig{Dir: "/tmp/x"}}, "file:dir=/tmp/x,fsync=false"},
		{"file:fsync=true,dir=a:b=c", store.Spec{Config: store.FileConfig{Dir: "a:b=c", Fsync: true}}, "file:dir=a:b=c"},
		{"bolt", store.Spec{Config: store.BoltConfig{}}, "bolt"},
		{"bolt:path=/var/db/x.db", store.Spec{Config: store.BoltConfig{Path: "/var/db/x.db"}}, "bolt:path=/var/db/x.db"},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := store.ParseSpec(tc.spec)
			if err != nil {
				t.Fatalf("ParseSpec: %v", err)
			}
			if got != tc.want {
				t.Fatalf("ParseSpec = %+v, want %+v", got, tc.want)
			}
			if s := got.String(); s != tc.canonical {
				t.Fatalf("String() = %q, want %q", s, tc.canonical)
			}
			again, err := store.ParseSpec(got.String())
			if err != nil || again != got {
				t.Fatalf("ParseSpec(String()) = %+v, %v; want %+v", again, err, got)
			}
		})
	}
}

func TestParseSpecBad(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want string // substring of the error, after the spec
	}{
		{"", "no store kind"},
		{":latency=1ms", "no store kind"},
		{"redis", `unknown store kind "redis"`},
		{"SIM", `unknown store kind "SIM"`},
		{"memory:latency=1ms", "unknown option latency"},
		{"sim:latency=-1ms", "latency must be >= 0"},
		{"sim:latency=1", `latency "1" is not a duration`},
		{"sim:latency=fast", `latency "fast" is not a duration`},
		{"sim:latency=61s", "latency 1m1s exceeds 1m0s"},
		{"sim:latency=1ms,latency=2ms", "duplicate option latency"},
		{"sim:latency", `option "latency" is not key=value`},
		{"sim:=1ms", `option "=1ms" is not key=value`},
		{"sim:latency=1ms,", "empty option"},
		{"sim:,latency=1ms", "empty option"},
		{"sim:lat=1ms", "unknown option lat for sim"},
		{"sim:dist=normal", `dist "normal" is not fixed, uniform, exp or lognormal`},
		{"sim:latency=1ms,jitter=100us", "jitter applies to dist=uniform or dist=lognormal, not fixed"},
		{"sim:latency=1ms,dist=exp,jitter=100us", "jitter applies to dist=uniform or dist=lognormal, not exp"},
		{"sim:dist=uniform,jitter=100us", "jitter needs latency > 0"},
		{"sim:latency=1ms,dist=uniform,jitter=0s", "jitter must be > 0"},
		{"sim:latency=1ms,dist=uniform,jitter=2ms", "jitter 2ms exceeds latency 1ms"},
		{"sim:latency=1ms,dist=lognormal,jitter=-1ms", "jitter must be >= 0"},
		{"sim:errors=1.5", "errors 1.5 is outside [0, 1]"},
		{"sim:errors=-0.1", "errors -0.1 is outside [0, 1]"},
		{"sim:errors=NaN", `errors "NaN" is not a number`},
		{"sim:errors=1%", `errors "1%" is not a number`},
		{"sim:errors=Inf", "outside [0, 1]"},
		{"sim:spike=0.5", `spike "0.5" is not PROBABILITY:DURATION`},
		{"sim:spike=2:1ms", "spike probability 2 is outside [0, 1]"},
		{"sim:spike=0.1:-1ms", "spike delay must be >= 0"},
		{"sim:spike=0.1:2m", "spike delay 2m0s exceeds 1m0s"},
		{"sim:pool=-1", "pool must be >= 0"},
		{"sim:pool=1000001", "pool 1000001 exceeds 1000000"},
		{"sim:pool=eight", `pool "eight" is not an integer`},
		{"sim:seed=-1", `seed "-1" is not a non-negative integer`},
		{"file:dir=", "dir must not be empty"},
		{"file:fsync=yes", `fsync "yes" is not true or false`},
		{"file:path=/x", "unknown option path for file"},
		{"bolt:path=", "path must not be empty"},
		{"bolt:dir=/x", "unknown option dir for bolt"},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			_, err := store.ParseSpec(tc.spec)
			if !errors.Is(err, store.ErrSpec) {
				t.Fatalf("ParseSpec(%q) error = %v, want one matching store.ErrSpec", tc.spec, err)
			}
			prefix := `store: bad spec "` + tc.spec + `": `
			if msg := err.Error(); !strings.HasPrefix(msg, prefix) || !strings.Contains(msg[len(prefix):], tc.want) {
				t.Fatalf("error = %q, want %q followed by …%s…", msg, prefix, tc.want)
			}
			if _, err := store.Open(tc.spec); !errors.Is(err, store.ErrSpec) {
				t.Fatalf("Open(%q) error = %v, want one matching store.ErrSpec", tc.spec, err)
			}
		})
	}
}

// TestParseSpecNotOneLine: a spec is written into results, reports and
// benchmark lines, so it must be one short line of printable text; the
// error quotes at most the start of a long spec.
func TestParseSpecNotOneLine(t *testing.T) {
	long := "file:dir=/" + strings.Repeat("d", store.MaxSpecLength)
	for _, tc := range []struct {
		spec, want string
	}{
		{"sim:\tlatency=1ms", `has '\t'`},
		{"sim:latency=1ms\n", `has '\n'`},
		{"file:dir=/tmp/a\x00b", `has '\x00'`},
		{"file:dir=/tmp/\xff", "not valid UTF-8"},
		{long, "longer than 256 bytes (266 in canonical form)"},
		{"file:dir=/" + strings.Repeat("d", store.MaxSpecLength-len("file:dir=/")), ""},
		// The bound is on the canonical form, what is written: a long
		// way of writing a short spec passes.
		{"sim:errors=0.1" + strings.Repeat("0", 300), ""},
		{"sim:latency=1m,spike=0:1m,pool=1,dir=" + strings.Repeat("d", 300), "unknown option dir"},
	} {
		_, err := store.ParseSpec(tc.spec)
		if tc.want == "" {
			if err != nil {
				t.Errorf("ParseSpec(%.40q…) = %v, want ok", tc.spec, err)
			}
			continue
		}
		if !errors.Is(err, store.ErrSpec) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSpec(%.40q…) error = %v, want ErrSpec and %s", tc.spec, err, tc.want)
		}
		if err != nil && len(err.Error()) > 300 {
			t.Errorf("error of %d bytes for a %d-byte spec: %.80s…", len(err.Error()), len(tc.spec), err)
		}
	}
}

func TestSpecErrorExample(t *testing.T) {
	_, err := store.ParseSpec("sim:latency=-1ms")
	const want = `store: bad spec "sim:latency=-1ms": latency must be >= 0`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}

func TestKinds(t *testing.T) {
	var names []string
	for _, k := range store.Kinds() {
		names = append(names, k.Name)
		if k.Description == "" {
			t.Errorf("kind %s has no description", k.Name)
		}
		for _, o := range k.Options {
			spec := k.Name + ":" + o.Name + "=?"
			_, err := store.ParseSpec(spec)
			if err != nil && strings.Contains(err.Error(), "unknown option") {
				t.Errorf("listed option %s of %s is unknown to ParseSpec: %v", o.Name, k.Name, err)
			}
		}
	}
	if got := strings.Join(names, ","); got != "memory,sim,file,bolt" {
		t.Fatalf("Kinds() names = %s", got)
	}
	store.Kinds()[1].Options[0].Name = "mutated"
	if store.Kinds()[1].Options[0].Name == "mutated" {
		t.Fatal("Kinds() returns shared slices")
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{
		"memory", "sim", "sim:latency=1ms", "file", "bolt",
		"sim:latency=1ms,dist=exp,errors=0.01,spike=0.001:50ms,pool=8,seed=3",
		"sim:latency=2ms,dist=uniform,jitter=1ms",
		"sim:latency=2ms,dist=lognormal,jitter=3ms",
		"sim:latency=1.5ms,errors=1e-3",
		"file:dir=/tmp/a,fsync=false", "bolt:path=x.db",
		"sim:latency=-1ms", "sim:latency=1ms,latency=1ms", "sim:,", "file:dir=a=b:c",
		" sim : latency = 1ms ", "sim:spike=0:0s",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := store.ParseSpec(spec)
		if err != nil {
			if !errors.Is(err, store.ErrSpec) {
				t.Fatalf("ParseSpec(%q) error %v does not match ErrSpec", spec, err)
			}
			return
		}
		canonical := s.String()
		again, err := store.ParseSpec(canonical)
		if err != nil {
			t.Fatalf("ParseSpec(%q) ok, but its String() %q fails: %v", spec, canonical, err)
		}
		if again != s {
			t.Fatalf("round trip of %q via %q: %+v != %+v", spec, canonical, again, s)
		}
		if again.String() != canonical {
			t.Fatalf("String() not stable: %q then %q", canonical, again.String())
		}
		text, err := s.MarshalText()
		var back store.Spec
		if err != nil || back.UnmarshalText(text) != nil || back != s {
			t.Fatalf("text round trip of %q via %q: %+v, %v", spec, text, back, err)
		}
	})
}

// TestParseSpecQuotesAtRuneBoundary: the error quotes a bad spec whole up
// to MaxQuoted bytes, and beyond that its start, cut before a rune rather
// than through one (and never before the spec's first byte).
func TestParseSpecQuotesAtRuneBoundary(t *testing.T) {
	bad := func(n int) string { return "sim:x=" + strings.Repeat("a", n-len("sim:x=")) }
	euro := "€" // 3 bytes
	for _, tc := range []struct {
		name, spec, quoted string
	}{
		{"exactly the bound", bad(store.MaxQuoted), strconv.Quote(bad(store.MaxQuoted))},
		{"one past it", bad(store.MaxQuoted + 1), strconv.Quote(bad(store.MaxQuoted + 1)[:store.MaxQuoted]) + "…"},
		{"a rune across it", bad(store.MaxQuoted-1) + euro, strconv.Quote(bad(store.MaxQuoted-1)) + "…"},
		{"no rune start before it", strings.Repeat("\x80", store.MaxQuoted+1), `""…`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := store.ParseSpec(tc.spec)
			if err == nil {
				t.Fatalf("ParseSpec(%.40q…) = nil error", tc.spec)
			}
			if want := "store: bad spec " + tc.quoted + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error = %q, want it to begin %q", err, want)
			}
		})
	}
}
