package ctxsys

import (
	"context"
	"errors"
	"fmt"
)

// Sentinel errors. Match them with errors.Is.
var (
	// ErrNotFound: no context (or recovery point) with that id.
	ErrNotFound = errors.New("ctxsys: context not found")
	// ErrExists: Create of an id that already exists.
	ErrExists = errors.New("ctxsys: context already exists")
	// ErrLimit: a capacity limit (max contexts) would be exceeded.
	ErrLimit = errors.New("ctxsys: context limit reached")
	// ErrNoActiveContext: a Tracker operation that needs an active context
	// (Sync, recovery point) was called with none active.
	ErrNoActiveContext = errors.New("ctxsys: no active context")
	// ErrStaleVersion: Tracker.UpdateState with a version not higher than
	// the current one. Not a failure of the system: the version rule.
	ErrStaleVersion = errors.New("ctxsys: stale version")
	// ErrInvalid: an argument is unusable (empty id, bad config).
	ErrInvalid = errors.New("ctxsys: invalid argument")
	// ErrStore wraps every failure that came from the store.
	ErrStore = errors.New("ctxsys: store failure")
)

// StoreError wraps err (a store failure) so that errors.Is matches both
// ErrStore and err itself. op names the store call, key its key.
func StoreError(op, key string, err error) error {
	if err == nil {
		return nil
	}
	return &storeError{op: op, key: key, err: err}
}

type storeError struct {
	op, key string
	err     error
}

func (e *storeError) Error() string {
	return fmt.Sprintf("ctxsys: store %s %q: %v", e.op, e.key, e.err)
}

func (e *storeError) Unwrap() []error { return []error{ErrStore, e.err} }

// ErrorKind names the class of err for counting failures as data: "not_found",
// "exists", "limit", "no_active", "stale_version", "invalid", "store",
// "canceled", or "other". nil is "".
func ErrorKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotFound):
		return "not_found"
	case errors.Is(err, ErrExists):
		return "exists"
	case errors.Is(err, ErrLimit):
		return "limit"
	case errors.Is(err, ErrNoActiveContext):
		return "no_active"
	case errors.Is(err, ErrStaleVersion):
		return "stale_version"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	case errors.Is(err, ErrStore):
		return "store"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	default:
		return "other"
	}
}
