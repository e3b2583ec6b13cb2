package impl_test

import (
	"testing"

	_ "lockbench/impl/all" // registers the built-in strategies
	"lockbench/impl/impltest"
)

// TestConformance runs the conformance suite against every registered
// strategy, each with its DefaultOptions.
func TestConformance(t *testing.T) { impltest.RunAll(t) }
