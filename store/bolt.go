package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// boltKind is the table entry of the bolt store.
var boltKind = kind{
	info: KindInfo{
		Name:        "bolt",
		Description: "go.etcd.io/bbolt embedded database, one bucket, a single writer",
		Options: []OptionInfo{
			{"path", "PATH", "fresh temp file, removed on close", "database file"},
		},
	},
	parse: parseBolt,
}

// BoltConfig configures the bolt store.
type BoltConfig struct {
	// Path is the database file. Empty means a fresh temporary file,
	// removed by Close.
	Path string
}

// Kind implements Config.
func (BoltConfig) Kind() string { return "bolt" }

// Open implements Config.
func (c BoltConfig) Open() (Store, error) { return NewBolt(c) }

func (c BoltConfig) place() (path, dir string) {
	if c.Path == "" {
		return "", ""
	}
	return c.Path, filepath.Dir(c.Path)
}

func (c BoltConfig) in(dir string) Config {
	c.Path = filepath.Join(dir, filepath.Base(c.Path))
	return c
}

func parseBolt(o options) (Config, error) {
	var c BoltConfig
	if err := o.allow("path"); err != nil {
		return c, err
	}
	if v, ok := o.lookup("path"); ok {
		if v == "" {
			return c, badf("path must not be empty (omit it for a temporary file)")
		}
		c.Path = v
	}
	return c, nil
}

func (c BoltConfig) options() []string {
	if c.Path == "" {
		return nil
	}
	return []string{"path=" + c.Path}
}

// Bolt stores keys in one bucket of a go.etcd.io/bbolt database: a real
// embedded database with a single writer (Put and Delete each commit one
// read-write transaction, synced to disk) and concurrent readers (Get and
// List run in read-only transactions and copy what they return, since
// bbolt's slices are only valid inside the transaction).
//
// Keys are stored with a one-byte prefix so that the empty key, which
// bbolt rejects, is a key like any other.
type Bolt struct {
	db        *bolt.DB
	removeDir string // temporary directory of ours, removed by Close

	closeOnce sync.Once
	closeErr  error
}

var _ Store = (*Bolt)(nil)

var boltBucket = []byte("kv")

const boltKeyPrefix = "k"

// boltLockTimeout bounds the wait for the database file's lock, so that a
// file held by another process fails Open instead of hanging.
const boltLockTimeout = 5 * time.Second

// NewBolt opens (creating if needed) the database at cfg.Path; with an empty
// Path, a fresh temporary file that Close removes.
func NewBolt(cfg BoltConfig) (*Bolt, error) {
	b := &Bolt{}
	path := cfg.Path
	if path == "" {
		dir, err := os.MkdirTemp("", "lockbench-bolt-")
		if err != nil {
			return nil, fmt.Errorf("store: bolt: %w", err)
		}
		b.removeDir, path = dir, filepath.Join(dir, "store.db")
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: boltLockTimeout})
	if err == nil {
		b.db = db
		err = db.Update(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucketIfNotExists(boltBucket)
			return err
		})
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("store: bolt: open %s: %w", path, err)
	}
	return b, nil
}

func boltKey(key string) []byte { return []byte(boltKeyPrefix + key) }

// Put implements Store.
func (b *Bolt) Put(_ context.Context, key string, value []byte) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(boltBucket).Put(boltKey(key), value)
	})
	if err != nil {
		return fmt.Errorf("store: bolt: put %q: %w", key, err)
	}
	return nil
}

// Get implements Store.
func (b *Bolt) Get(_ context.Context, key string) ([]byte, error) {
	var v []byte
	found := false
	bk := boltKey(key)
	err := b.db.View(func(tx *bolt.Tx) error {
		// A cursor tells an empty value from an absent key, which
		// Bucket.Get (nil for both) may not.
		k, raw := tx.Bucket(boltBucket).Cursor().Seek(bk)
		if k != nil && bytes.Equal(k, bk) {
			found = true
			v = append([]byte{}, raw...) // raw is only valid inside the tx
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, fmt.Errorf("store: bolt: get %q: %w", key, err)
	case !found:
		return nil, fmt.Errorf("%w: %q", ErrNotFound, key)
	}
	return v, nil
}

// Delete implements Store.
func (b *Bolt) Delete(_ context.Context, key string) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(boltBucket).Delete(boltKey(key))
	})
	if err != nil {
		return fmt.Errorf("store: bolt: delete %q: %w", key, err)
	}
	return nil
}

// List implements Store.
func (b *Bolt) List(_ context.Context, prefix string) ([]string, error) {
	keys := []string{}
	start := boltKey(prefix)
	err := b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(boltBucket).Cursor()
		for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, start); k, _ = c.Next() {
			keys = append(keys, string(k[len(boltKeyPrefix):])) // string() copies
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: bolt: list %q: %w", prefix, err)
	}
	return keys, nil
}

// Close implements Store: it closes the database and removes it if it is a
// temporary one of ours. Close is idempotent.
func (b *Bolt) Close() error {
	b.closeOnce.Do(func() {
		if b.db != nil {
			b.closeErr = b.db.Close()
		}
		if b.removeDir != "" {
			if err := os.RemoveAll(b.removeDir); b.closeErr == nil {
				b.closeErr = err
			}
		}
	})
	return b.closeErr
}
