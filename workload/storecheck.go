package workload

import (
	"strings"

	"lockbench/store"
)

// StoreSpec returns the workload's store spec, parsed by the store
// package's parser: the one place the spec string of a workload (from its
// YAML or from a flag through Override) becomes a typed store.Spec.
// Parse, Load, Override and Validate have checked it; a Spec built by hand
// may still be wrong, and errors match store.ErrSpec.
func (s *Spec) StoreSpec() (store.Spec, error) { return store.ParseSpec(s.Store) }

// storeSpecCheck validates store spec strings for the package-level Parse,
// Load, Override and Validate with the store package's own parser, so a
// bad store is reported with the file and line of the workload.
func storeSpecCheck(spec string) error {
	if _, err := store.ParseSpec(spec); err != nil {
		return storeError(strings.TrimPrefix(err.Error(), "store: "))
	}
	return nil
}

// storeError carries the store parser's message without its package
// prefix: the field name "store" already says where it comes from.
type storeError string

func (e storeError) Error() string { return string(e) }
