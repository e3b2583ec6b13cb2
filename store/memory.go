package store

import (
	"context"
	"sort"
	"strings"
	"sync"
)

// memoryKind is the table entry of the memory store.
var memoryKind = kind{
	info:  KindInfo{Name: "memory", Description: "in-memory map; no latency, no failures"},
	parse: func(o options) (Config, error) { return MemoryConfig{}, o.allow() },
}

// MemoryConfig configures the memory store, which has no options.
type MemoryConfig struct{}

// Kind implements Config.
func (MemoryConfig) Kind() string { return "memory" }

// Open implements Config.
func (MemoryConfig) Open() (Store, error) { return NewMemory(), nil }

func (MemoryConfig) options() []string { return nil }

// Memory is a plain in-memory store with no latency and no failures: the
// baseline the sim store adds latency to, and a convenient store for tests.
type Memory struct {
	mu   sync.RWMutex
	data map[string][]byte
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty Memory store.
func NewMemory() *Memory { return &Memory{data: make(map[string][]byte)} }

// Put implements Store.
func (m *Memory) Put(_ context.Context, key string, value []byte) error {
	v := append([]byte(nil), value...)
	m.mu.Lock()
	m.data[key] = v
	m.mu.Unlock()
	return nil
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.RLock()
	v, ok := m.data[key]
	m.mu.RUnlock()
	if !ok {
		return nil, ErrNotFound
	}
	return append([]byte(nil), v...), nil
}

// Delete implements Store.
func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	delete(m.data, key)
	m.mu.Unlock()
	return nil
}

// List implements Store.
func (m *Memory) List(_ context.Context, prefix string) ([]string, error) {
	m.mu.RLock()
	keys := make([]string, 0, len(m.data))
	for k := range m.data {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	m.mu.RUnlock()
	sort.Strings(keys)
	return keys, nil
}

// Close implements Store.
func (m *Memory) Close() error { return nil }
