package store_test

import (
	"encoding/json"
	"errors"
	"flag"
	"io"
	"testing"

	"gopkg.in/yaml.v3"

	"lockbench/store"
)

// TestSpecText: a Spec field is parsed where YAML, JSON or a flag is read,
// and written back as the canonical string, so what lockbench writes
// reads back as the same Spec.
func TestSpecText(t *testing.T) {
	type doc struct {
		Store store.Spec `yaml:"store" json:"store"`
	}
	const given, canonical = "sim: dist=fixed, latency=200us,pool=8", "sim:latency=200µs,pool=8"
	want, err := store.ParseSpec(given)
	if err != nil {
		t.Fatal(err)
	}

	var y doc
	if err := yaml.Unmarshal([]byte("store: \""+given+"\"\n"), &y); err != nil || y.Store != want {
		t.Fatalf("yaml: %+v, %v; want %+v", y.Store, err, want)
	}
	out, err := yaml.Marshal(y)
	if err != nil || string(out) != "store: "+canonical+"\n" {
		t.Fatalf("yaml.Marshal = %q, %v; want the canonical string", out, err)
	}

	var j doc
	if err := json.Unmarshal([]byte(`{"store": "`+given+`"}`), &j); err != nil || j.Store != want {
		t.Fatalf("json: %+v, %v; want %+v", j.Store, err, want)
	}
	out, err = json.Marshal(j)
	if err != nil || string(out) != `{"store":"`+canonical+`"}` {
		t.Fatalf("json.Marshal = %s, %v; want the canonical string", out, err)
	}

	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f store.Spec
	fs.TextVar(&f, "store", store.Spec{}, "")
	if err := fs.Parse([]string{"--store", given}); err != nil || f != want {
		t.Fatalf("flag: %+v, %v; want %+v", f, err, want)
	}
	if err := fs.Parse([]string{"--store", "sim:errors=2"}); err == nil {
		t.Fatal("flag accepted sim:errors=2")
	}
}

// TestSpecTextBad: a bad spec fails the decoder with an error matching
// ErrSpec, and leaves the Spec as it was.
func TestSpecTextBad(t *testing.T) {
	s, _ := store.ParseSpec("memory")
	for _, text := range []string{"", "tape", "sim:errors=2"} {
		err := s.UnmarshalText([]byte(text))
		if !errors.Is(err, store.ErrSpec) || s.String() != "memory" {
			t.Errorf("UnmarshalText(%q) = %v, spec now %q; want ErrSpec and memory", text, err, s)
		}
	}
	var y struct{ Store store.Spec }
	if err := yaml.Unmarshal([]byte("store: sim:latency=-1ms\n"), &y); !errors.Is(err, store.ErrSpec) {
		t.Errorf("yaml error %v, want one matching ErrSpec", err)
	}
	if text, _ := (store.Spec{}).MarshalText(); len(text) != 0 {
		t.Errorf("zero Spec marshals to %q, want nothing", text)
	}
}
