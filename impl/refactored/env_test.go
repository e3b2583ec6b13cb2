package refactored

import (
	"testing"

	"lockbench/ctxsys"
	"lockbench/impl/internal/hooktest"
	"lockbench/store"
)

// env is a refactored hooktest.Env with its concrete components at hand,
// for the gap hooks.
type env struct {
	*hooktest.Env
	manager *Manager
	adapter *Adapter
}

func newEnv(t *testing.T, cfg ctxsys.Config, before, after store.Hook) *env {
	t.Helper()
	e := hooktest.NewEnv(t, New, cfg, before, after)
	return &env{Env: e, manager: e.Sys.Manager.(*Manager), adapter: e.Sys.Adapter.(*Adapter)}
}

var state = hooktest.State
