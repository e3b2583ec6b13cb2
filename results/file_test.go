package results_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lockbench/results"
)

func sample() *results.File {
	return &results.File{Schema: results.Schema, Runs: []results.Run{{Strategy: "naive", Workload: "w", Concurrency: 1, Status: results.StatusOK}}}
}

func TestWriteReadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	if err := results.WriteFile(path, sample()); err != nil {
		t.Fatal(err)
	}
	f, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Runs) != 1 || f.Runs[0].Strategy != "naive" {
		t.Errorf("read back %+v", f.Runs)
	}
}

func TestReadBad(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"empty", "", "unexpected EOF"},
		{"truncated", `{"schema": "lockbench/results/v1", "runs": [`, "unexpected EOF"},
		{"wrong schema", `{"schema": "other"}`, `schema "other"`},
		{"no schema", `{"runs": []}`, `schema ""`},
		{"long schema", `{"schema": "` + strings.Repeat("x", 10000) + `"}`, "schema"},
		{"two values", `{"schema": "lockbench/results/v1"} {}`, "after the JSON value"},
		{"not an object", `[1, 2]`, "cannot unmarshal"},
		{"wrong type", `{"schema": "lockbench/results/v1", "runs": [{"concurrency": "many"}]}`, "concurrency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := results.Read(strings.NewReader(tt.data), "bad\nname.json")
			if !errors.Is(err, results.ErrSchema) {
				t.Fatalf("error %v, want ErrSchema", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, `"bad\nname.json"`) {
				t.Errorf("message %q does not say %q and name the input quoted", msg, tt.want)
			}
			if strings.Contains(msg, "\n") || len(msg) > 300 {
				t.Errorf("message is not one short line: %.300q", msg)
			}
		})
	}
}

func TestReadFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no\nsuch.json")
	_, err := results.ReadFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error %v, want ErrNotExist", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("message is not one line: %q", err)
	}
}

// FuzzRead: Read never panics, never accepts a file of another schema, and
// what it accepts survives a write and a read unchanged.
func FuzzRead(f *testing.F) {
	data, err := json.Marshal(sample())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	if latest, err := os.ReadFile("../reports/latest/results.json"); err == nil && len(latest) < 64<<10 {
		f.Add(latest)
	}
	f.Add([]byte(`{"schema": "lockbench/results/v1", "runs": [{"latency": {"all": {"p50_ns": 1}}}]}`))
	f.Add([]byte("\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := results.Read(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !errors.Is(err, results.ErrSchema) && !errors.Is(err, results.ErrTooLarge) {
				t.Fatalf("error %v is neither ErrSchema nor ErrTooLarge", err)
			}
			return
		}
		if file.Schema != results.Schema {
			t.Fatalf("accepted schema %q", file.Schema)
		}
		once, err := json.Marshal(file)
		if err != nil {
			t.Fatalf("accepted a file it cannot write: %v", err)
		}
		back, err := results.Read(bytes.NewReader(once), "once.json")
		if err != nil {
			t.Fatalf("cannot read what it wrote: %v", err)
		}
		twice, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("changed on a second write:\n%s\n%s", once, twice)
		}
	})
}
