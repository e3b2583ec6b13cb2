package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"lockbench/store"
)

// openStore opens a run's store. Every run needs a fresh one, but a file
// or bolt store at a path the user gave would carry one run's data into the
// next (and the next run's consistency check would find the previous run's
// keys as zombies). Such a run's store lives in a directory of its own under
// that path (file) or beside that file (bolt), removed when the store
// closes. Stores without a path make and remove their own temporary files.
func openStore(spec, runName string) (store.Store, error) {
	s, err := store.ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	var parent string
	switch {
	case s.Kind == "file" && s.File.Dir != "":
		parent = s.File.Dir
	case s.Kind == "bolt" && s.Bolt.Path != "":
		parent = filepath.Dir(s.Bolt.Path)
	default:
		return store.OpenSpec(s)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("runner: store %s: %w", spec, err)
	}
	dir, err := os.MkdirTemp(parent, ".lockbench-"+strings.ReplaceAll(runName, string(os.PathSeparator), "_")+"-")
	if err != nil {
		return nil, fmt.Errorf("runner: store %s: %w", spec, err)
	}
	if s.Kind == "file" {
		s.File.Dir = dir
	} else {
		s.Bolt.Path = filepath.Join(dir, filepath.Base(s.Bolt.Path))
	}
	st, err := store.OpenSpec(s)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &removeOnClose{Store: st, dir: dir}, nil
}

// removeOnClose removes a run's store directory when the store closes.
// It passes the optional capabilities of the store through.
type removeOnClose struct {
	store.Store
	dir string
}

var (
	_ store.StatsReporter = (*removeOnClose)(nil)
	_ store.StatsResetter = (*removeOnClose)(nil)
)

func (s *removeOnClose) Close() error {
	err := s.Store.Close()
	if rerr := os.RemoveAll(s.dir); err == nil {
		err = rerr
	}
	return err
}

func (s *removeOnClose) Stats() store.Stats {
	if r, ok := s.Store.(store.StatsReporter); ok {
		return r.Stats()
	}
	return store.Stats{}
}

func (s *removeOnClose) ResetStats() {
	if r, ok := s.Store.(store.StatsResetter); ok {
		r.ResetStats()
	}
}
