package linearize

import (
	"time"

	"github.com/anishathalye/porcupine"
)

// Shortcuts runs each shortcut on ops, from m.Init, for the soundness tests.
func Shortcuts(m *Model, ops []porcupine.Operation, deadline time.Time) (clusters, greedy, search bool) {
	a := func() *attempt { return &attempt{m: m, pm: m.porcupine(m.Init), ops: ops, deadline: deadline} }
	return a().byClusters(), a().greedily(), a().search()
}

// Porcupine is m as porcupine sees it, from m.Init.
func Porcupine(m *Model) porcupine.Model { return m.porcupine(m.Init) }
