package naive_test

import (
	"testing"

	"lockbench/impl"
	"lockbench/impl/impltest"
	_ "lockbench/impl/naive" // registers the strategy
)

// TestConformance runs the conformance suite against naive here too, not only
// from package impl, so that the tests of this package hold its behaviour
// (a mutation tester runs a package's own tests).
func TestConformance(t *testing.T) {
	s, err := impl.Lookup("naive")
	if err != nil {
		t.Fatal(err)
	}
	impltest.Run(t, s, impltest.DefaultOptions("naive"))
}
