// Package storetest is the conformance suite of lockbench/store: the
// single-threaded semantics every Store must have, plus the concurrency
// guarantees the strategies rely on. Run it from a backend's tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return store.NewMemory() })
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"lockbench/store"
)

// Run runs the suite, one subtest per property, each on a fresh store from
// open. Run closes every store it opens; open may also register cleanups
// of its own with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	for _, tc := range []struct {
		name string
		test func(t *testing.T, s store.Store)
	}{
		{"PutGet", testPutGet},
		{"Overwrite", testOverwrite},
		{"GetAbsent", testGetAbsent},
		{"Delete", testDelete},
		{"DeleteAbsent", testDeleteAbsent},
		{"EmptyValue", testEmptyValue},
		{"OddKeys", testOddKeys},
		{"ListPrefixSorted", testListPrefixSorted},
		{"PutCopiesValue", testPutCopiesValue},
		{"GetCopiesValue", testGetCopiesValue},
		{"ConcurrentDistinctKeys", testConcurrentDistinctKeys},
		{"ConcurrentOneKey", testConcurrentOneKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			closed := false
			t.Cleanup(func() {
				if !closed {
					s.Close()
				}
			})
			tc.test(t, s)
			closed = true
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

var ctx = context.Background()

func mustPut(t *testing.T, s store.Store, key, value string) {
	t.Helper()
	if err := s.Put(ctx, key, []byte(value)); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func wantValue(t *testing.T, s store.Store, key, want string) {
	t.Helper()
	got, err := s.Get(ctx, key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if string(got) != want {
		t.Fatalf("Get(%q) = %q, want %q", key, got, want)
	}
}

func wantNotFound(t *testing.T, s store.Store, key string) {
	t.Helper()
	v, err := s.Get(ctx, key)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%q) = %q, %v; want an error matching store.ErrNotFound", key, v, err)
	}
}

func wantList(t *testing.T, s store.Store, prefix string, want ...string) {
	t.Helper()
	got, err := s.List(ctx, prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("List(%q) = %q, want %q", prefix, got, want)
	}
}

func testPutGet(t *testing.T, s store.Store) {
	mustPut(t, s, "a", "1")
	mustPut(t, s, "b", "2")
	wantValue(t, s, "a", "1")
	wantValue(t, s, "b", "2")
}

func testOverwrite(t *testing.T, s store.Store) {
	mustPut(t, s, "a", "first value, longer")
	mustPut(t, s, "a", "second")
	wantValue(t, s, "a", "second")
	wantList(t, s, "", "a")
}

func testGetAbsent(t *testing.T, s store.Store) {
	wantNotFound(t, s, "absent")
	mustPut(t, s, "present", "x")
	wantNotFound(t, s, "pres")
}

func testDelete(t *testing.T, s store.Store) {
	mustPut(t, s, "a", "1")
	mustPut(t, s, "b", "2")
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantNotFound(t, s, "a")
	wantValue(t, s, "b", "2")
	wantList(t, s, "", "b")
	mustPut(t, s, "a", "again")
	wantValue(t, s, "a", "again")
}

func testDeleteAbsent(t *testing.T, s store.Store) {
	if err := s.Delete(ctx, "never-written"); err != nil {
		t.Fatalf("Delete of an absent key: %v, want nil", err)
	}
	mustPut(t, s, "a", "1")
	for i := range 2 {
		if err := s.Delete(ctx, "a"); err != nil {
			t.Fatalf("Delete #%d: %v, want nil", i+1, err)
		}
	}
}

func testEmptyValue(t *testing.T, s store.Store) {
	for _, v := range [][]byte{nil, {}} {
		if err := s.Put(ctx, "empty", v); err != nil {
			t.Fatalf("Put(%#v): %v", v, err)
		}
		got, err := s.Get(ctx, "empty")
		if err != nil || len(got) != 0 {
			t.Fatalf("Get after Put(%#v) = %q, %v; want an empty value", v, got, err)
		}
	}
}

// oddKeys are keys a file-per-key or prefix-scanning store could mangle.
var oddKeys = []string{"", ".", "..", "a/b", "a/b/", "/lead", "%41", "k", ".tmp-x", "space key", "ü/日本", "a\x00b", "A", "a"}

func testOddKeys(t *testing.T, s store.Store) {
	for i, k := range oddKeys {
		mustPut(t, s, k, fmt.Sprint(i))
	}
	for i, k := range oddKeys {
		wantValue(t, s, k, fmt.Sprint(i))
	}
	want := slices.Clone(oddKeys)
	slices.Sort(want)
	wantList(t, s, "", want...)
	wantList(t, s, "a/", "a/b", "a/b/")
}

func testListPrefixSorted(t *testing.T, s store.Store) {
	wantList(t, s, "")
	for _, k := range []string{"ctx/2", "ctx/10", "ctx/1", "rp/1/b", "rp/1/a", "rp/2/a", "ctx"} {
		mustPut(t, s, k, "v")
	}
	wantList(t, s, "", "ctx", "ctx/1", "ctx/10", "ctx/2", "rp/1/a", "rp/1/b", "rp/2/a")
	wantList(t, s, "ctx/", "ctx/1", "ctx/10", "ctx/2")
	wantList(t, s, "ctx/1", "ctx/1", "ctx/10")
	wantList(t, s, "rp/1/", "rp/1/a", "rp/1/b")
	wantList(t, s, "zzz")
	wantList(t, s, "ctx/2/more")
}

func testPutCopiesValue(t *testing.T, s store.Store) {
	v := []byte("original")
	if err := s.Put(ctx, "a", v); err != nil {
		t.Fatal(err)
	}
	copy(v, "MUTATED!")
	wantValue(t, s, "a", "original")
}

func testGetCopiesValue(t *testing.T, s store.Store) {
	mustPut(t, s, "a", "original")
	got, err := s.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	copy(got, "MUTATED!")
	wantValue(t, s, "a", "original")
}

const (
	goroutines   = 8
	putsEach     = 8
	oneKeyWrites = 16
)

func testConcurrentDistinctKeys(t *testing.T, s store.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*putsEach)
	for g := range goroutines {
		wg.Go(func() {
			for i := range putsEach {
				k := fmt.Sprintf("g%d/%d", g, i)
				if err := s.Put(ctx, k, []byte(k)); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Put: %v", err)
	}
	keys, err := s.List(ctx, "g")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != goroutines*putsEach {
		t.Fatalf("List after %d concurrent Puts of distinct keys: %d keys", goroutines*putsEach, len(keys))
	}
	for _, k := range keys {
		wantValue(t, s, k, k)
	}
}

func testConcurrentOneKey(t *testing.T, s store.Store) {
	written := make([][]byte, oneKeyWrites)
	for i := range written {
		// Different lengths: a torn or interleaved write would show.
		written[i] = bytes.Repeat([]byte{byte('a' + i)}, 1+i*97)
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, oneKeyWrites)
	for _, v := range written {
		wg.Go(func() {
			<-start
			if err := s.Put(ctx, "hot", v); err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Put: %v", err)
	}
	got, err := s.Get(ctx, "hot")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(written, func(v []byte) bool { return bytes.Equal(v, got) }) {
		t.Fatalf("after concurrent Puts of one key, Get = %d bytes %.10q…, not one of the written values", len(got), got)
	}
	wantList(t, s, "", "hot")
}
