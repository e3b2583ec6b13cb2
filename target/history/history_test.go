package history_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"lockbench/target"
	"lockbench/target/history"
)

// register is a one-value register: input is the value written (or -1 for
// a read), output the value read.
var register = porcupine.Model{
	Init: func() any { return 0 },
	Step: func(state, in, out any) (bool, any) {
		if v := in.(int); v >= 0 {
			return true, v
		}
		return out.(int) == state.(int), state
	},
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		name    string
		read    int // what the read after "write 1" returns
		verdict string
	}{
		{"read sees the write", 1, history.Ok},
		{"read misses a completed write", 0, history.Illegal},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := history.New(1)
			cl := rec.Client(0, func(_ context.Context, op target.Op, _ string) (any, any, error) {
				if op == 0 {
					return 1, 0, nil
				}
				return -1, c.read, nil
			})
			for i, op := range []target.Op{0, 1} {
				if err := cl.Do(context.Background(), op, ""); err != nil {
					t.Fatal(err)
				}
				cl.(target.Observer).Observe(int64(10*i), int64(10*i+5), nil)
			}
			dir := t.TempDir()
			verdict, file, err := rec.Check(register, dir, "run")
			if err != nil || verdict != c.verdict {
				t.Fatalf("Check = %q, %v; want %q", verdict, err, c.verdict)
			}
			if rec.Len() != 2 {
				t.Errorf("Len = %d", rec.Len())
			}
			if c.verdict == history.Illegal {
				if _, err := os.Stat(filepath.Join(dir, file)); err != nil || file == "" {
					t.Errorf("visualisation %q: %v", file, err)
				}
			} else if file != "" {
				t.Errorf("a visualisation for a legal history: %q", file)
			}
		})
	}
}

// TestPreloadIsPartOfTheHistory: operations recorded for client -1 (the
// system's own, a preload) are checked with the clients'.
func TestPreloadIsPartOfTheHistory(t *testing.T) {
	for _, c := range []struct {
		name    string
		preload bool
		verdict string
	}{
		{"read sees the preload", true, history.Ok},
		{"read of a value nobody wrote", false, history.Illegal},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := history.New(2)
			if c.preload {
				rec.Record(-1, 7, 0, 0, 5)
			}
			rec.Record(1, -1, 7, 10, 15) // client 1 reads 7
			if want := 1 + map[bool]int{true: 1}[c.preload]; rec.Len() != want {
				t.Errorf("Len = %d, want %d", rec.Len(), want)
			}
			verdict, file, err := rec.Check(register, "", "run")
			if verdict != c.verdict || file != "" || err != nil {
				t.Errorf("Check = %q, %q, %v; want %q and no file (no outDir)", verdict, file, err, c.verdict)
			}
		})
	}
}

// TestCheckCannotWrite: an illegal history whose visualisation cannot be
// written is still Illegal, and the error says why.
func TestCheckCannotWrite(t *testing.T) {
	rec := history.New(1)
	rec.Record(0, -1, 7, 0, 5)
	verdict, file, err := rec.Check(register, filepath.Join(t.TempDir(), "missing"), "run")
	if verdict != history.Illegal || file != "" || err == nil {
		t.Errorf("Check = %q, %q, %v; want Illegal, no file, an error", verdict, file, err)
	}
}

// TestCheckRunsOutOfTime: a check that exceeds the Recorder's Timeout is
// Unknown. Thirty concurrent writes followed by a read of a value none of
// them wrote is illegal, but porcupine must try every order of the writes
// to know it.
func TestCheckRunsOutOfTime(t *testing.T) {
	const writes = 30
	rec := history.New(writes + 1)
	rec.Timeout = 20 * time.Millisecond
	for w := range writes {
		rec.Record(w, w+1, 0, 0, 100)
	}
	rec.Record(writes, -1, writes+1, 200, 300)
	if verdict, _, err := rec.Check(register, "", "run"); verdict != history.Unknown || err != nil {
		t.Errorf("Check = %q, %v; want %q", verdict, err, history.Unknown)
	}
}

// TestCapBoundsTheHistory: a client keeps at most its share of Cap; past
// it, the history is incomplete and Check says Unknown without checking —
// even a history whose kept part is illegal, since what is missing could
// be anything. Below the bound, every operation is kept.
func TestCapBoundsTheHistory(t *testing.T) {
	rec := history.New(1) // clients 0 and -1 (the preload): a share of 2 each
	rec.Cap = 4
	rec.Record(0, 1, 0, 0, 5)    // write 1
	rec.Record(0, -1, 0, 10, 15) // a read that misses it: illegal
	if !rec.Complete() || rec.Len() != 2 {
		t.Fatalf("at its share: complete %v, %d operations kept; want true, 2", rec.Complete(), rec.Len())
	}
	if verdict, _, _ := rec.Check(register, "", "run"); verdict != history.Illegal {
		t.Fatalf("the kept history reads %q, want illegal", verdict)
	}
	rec.Record(0, -1, 1, 20, 25)
	if rec.Complete() || rec.Len() != 0 {
		t.Errorf("past its share: complete %v, %d operations kept; want false, 0", rec.Complete(), rec.Len())
	}
	if verdict, file, err := rec.Check(register, t.TempDir(), "run"); verdict != history.Unknown || file != "" || err != nil {
		t.Errorf("an incomplete history: Check = %q, %q, %v; want unknown, no file", verdict, file, err)
	}
}
