package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lockbench/store"
)

func mustParse(t *testing.T, spec string) store.Spec {
	t.Helper()
	s, err := store.ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// entries lists dir's contents, for "nothing left behind" checks.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestCheckPath(t *testing.T) {
	root := t.TempDir()
	regular := filepath.Join(root, "regular")
	if err := os.WriteFile(regular, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		spec string
		bad  string // "" when fine; else the quoted path and reason
	}{
		{"memory", ""},
		{"sim:latency=1ms", ""},
		{"file", ""},
		{"bolt", ""},
		{"file:dir=" + root, ""},
		{"file:dir=" + root + "/new/deeper", ""},
		{"bolt:path=" + root + "/new/x.db", ""},
		{"bolt:path=" + regular, ""}, // an existing database file
		{"file:dir=" + regular, `"` + regular + `": not a directory`},
		{"file:dir=" + regular + "/sub", `"` + regular + `/sub": not a directory`},
		{"bolt:path=" + regular + "/x.db", `"` + regular + `/x.db": not a directory`},
		{"bolt:path=" + root, `"` + root + `": is a directory`},
		{"file:dir=/proc/lockbench-cannot-be-made", `"/proc/lockbench-cannot-be-made": `},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			if strings.HasPrefix(tc.spec, "file:dir=/proc/") {
				if _, err := os.Stat("/proc/self"); err != nil {
					t.Skip("no /proc")
				}
			}
			err := store.CheckPath(mustParse(t, tc.spec))
			switch {
			case tc.bad == "" && err != nil:
				t.Fatalf("CheckPath = %v, want nil", err)
			case tc.bad != "" && (!errors.Is(err, store.ErrPath) || !strings.Contains(err.Error(), tc.bad)):
				t.Fatalf("CheckPath = %v, want ErrPath with %s", err, tc.bad)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Fatalf("error %q is not one line", err)
			}
			if got := entries(t, root); len(got) != 1 || got[0] != "regular" {
				t.Fatalf("CheckPath left %q in %s", got, root)
			}
		})
	}
}

// TestOpenFreshRemovesWhatItMade: a store at a path lives in a directory of
// its own, which Close removes with the directories made for the path —
// but never a directory the user had, nor anything in it.
func TestOpenFreshRemovesWhatItMade(t *testing.T) {
	root := t.TempDir()
	user := filepath.Join(root, "user")
	if err := os.Mkdir(user, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(user, "mine"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{
		"file:fsync=false,dir=" + root + "/made/deeper",
		"bolt:path=" + root + "/made/deeper/x.db",
		"file:fsync=false,dir=" + user,
		"bolt:path=" + user + "/x.db",
	} {
		t.Run(spec, func(t *testing.T) {
			s, err := store.OpenFresh(mustParse(t, spec), "w/run-1")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Put(bg, "k", []byte("v")); err != nil {
				t.Fatal(err)
			}
			two, err := store.OpenFresh(mustParse(t, spec), "w/run-2")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := two.Get(bg, "k"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a second fresh store sees the first one's key: %v", err)
			}
			if err := two.Close(); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if got := entries(t, root); len(got) != 1 || got[0] != "user" {
				t.Fatalf("after Close, %s holds %q; want only the user's directory", root, got)
			}
			if got := entries(t, user); len(got) != 1 || got[0] != "mine" {
				t.Fatalf("after Close, the user's directory holds %q; want only its own file", got)
			}
		})
	}
}
