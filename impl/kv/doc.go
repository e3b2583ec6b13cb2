// Package kv is lockbench's second built-in system under test: a concurrent
// key/value cache with write-through to the store, in the lock strategies Go
// engineers actually choose between for a shared map.
//
// The cache holds every key it was given (it never evicts): Get and Scan
// are served from memory, and every write — Put, PutIfAbsent, Delete — goes
// to the store before it is acknowledged, under the key "kv/<key>". So at
// quiescence memory and store must agree key for key, and the last
// acknowledged write of each key must be what both hold.
//
// Strategies (one file each; the reasons for every lock scope are comments
// next to it):
//
//	mutex    one lock.Mutex "kv.map" around everything, store writes under it
//	rwmutex  one lock.RWMutex "kv.map": reads share it, writes hold it across the store write
//	syncmap  sync.Map for reads, per-key (striped) "kv.key" locks ordering each key's writers
//	striped  256 stripes, each a map behind its own "kv.stripe" mutex (a striped family)
//	cow      an immutable snapshot behind an atomic pointer; writers serialised by "kv.writer"
//	racy     deliberately wrong: check-then-act PutIfAbsent and Delete, store writes unordered
//
// Every lock comes from the lock.Set the cache is built with and is taken
// with the operation's context.Context, and every store call gets that
// context: that is how wait, hold and held-across-I/O time are attributed.
//
// Scan(from, n) is a range read: the first n keys >= from in byte order,
// with their values. Every strategy but cow reads the keys of a scan one
// stripe or one map at a time under its lock, so a scan is not an atomic
// snapshot across keys; each key's value is one that key held at some
// instant of the scan. cow's scan is a snapshot.
package kv
