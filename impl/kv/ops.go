package kv

import (
	"context"
	"errors"
)

// Op is one kind of cache operation. The zero value is not an operation.
type Op uint8

// The operations, in the order workloads and reports list them.
const (
	Get Op = iota + 1
	Put
	PutIfAbsent
	Delete
	Scan
)

// OpInfo describes an operation for a workload: its qualified name, whether
// it takes a key (a scan takes the key it starts from) and whether it
// writes.
type OpInfo struct {
	Op     Op
	Name   string
	Keyed  bool
	Writes bool
}

var opInfos = []OpInfo{
	{Op: Get, Name: "kv.get", Keyed: true},
	{Op: Put, Name: "kv.put", Keyed: true, Writes: true},
	{Op: PutIfAbsent, Name: "kv.put_if_absent", Keyed: true, Writes: true},
	{Op: Delete, Name: "kv.delete", Keyed: true, Writes: true},
	{Op: Scan, Name: "kv.scan", Keyed: true},
}

// Ops returns every operation.
func Ops() []OpInfo { return append([]OpInfo(nil), opInfos...) }

// String returns the qualified name, e.g. "kv.put_if_absent".
func (o Op) String() string {
	if o >= Get && o <= Scan {
		return opInfos[o-1].Name
	}
	return "kv.?"
}

// ParseOp returns the operation named name.
func ParseOp(name string) (Op, bool) {
	for _, in := range opInfos {
		if in.Name == name {
			return in.Op, true
		}
	}
	return 0, false
}

// DefaultScanLength is the number of keys a scan reads unless the workload
// says otherwise.
const DefaultScanLength = 16

// Record is one operation as the consistency checker sees it: inputs,
// outputs and the interval [Call, Return] in which it took effect.
type Record struct {
	Op Op
	// Key is the key (for a scan, the key it starts from).
	Key string
	// Client is the worker that issued it; preload uses -1.
	Client int
	// Call and Return are the caller's clock (ns) just before the call and
	// just after it returned.
	Call, Return int64
	// Value is what put and put_if_absent write; unique per operation, so
	// every written value can be told apart.
	Value string
	// Out and Found are the outputs: get (value, present), put_if_absent
	// (actual, loaded), delete (Found = deleted).
	Out   string
	Found bool
	// N is the number of keys a scan asked for, Entries what it returned.
	N       int
	Entries []Entry
	// Err is "" on success, else the kind of failure (ErrorKind): the
	// operation may or may not have taken effect.
	Err string
}

// ErrorKind classifies an error returned by a Cache for results: "" (nil),
// "store", "canceled" or "error".
func ErrorKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	case errors.Is(err, ErrStore):
		return "store"
	}
	return "error"
}

// Apply performs r's operation (Op, Key, Value, N) on c and fills its
// outputs and Err; the caller stamps Call and Return around it.
func Apply(ctx context.Context, c Cache, r *Record) error {
	var err error
	switch r.Op {
	case Get:
		r.Out, r.Found, err = c.Get(ctx, r.Key)
	case Put:
		err = c.Put(ctx, r.Key, r.Value)
	case PutIfAbsent:
		r.Out, r.Found, err = c.PutIfAbsent(ctx, r.Key, r.Value)
	case Delete:
		r.Found, err = c.Delete(ctx, r.Key)
	case Scan:
		r.Entries, err = c.Scan(ctx, r.Key, r.N)
	default:
		panic("kv: Apply of an invalid operation")
	}
	r.Err = ErrorKind(err)
	return err
}
