package impltest

import (
	"context"

	"lockbench/ctxsys"
)

// The checked components forward every call to the strategy's component and
// then run harness.settled, so no test can forget the per-operation checks.

type checkedManager struct {
	h *harness
	m ctxsys.Manager
}

var _ ctxsys.Manager = (*checkedManager)(nil)

func (c *checkedManager) Get(ctx context.Context, id string) (ctxsys.State, error) {
	defer c.h.settled("manager.get " + id)
	return c.m.Get(ctx, id)
}

func (c *checkedManager) Create(ctx context.Context, id string, s ctxsys.State) error {
	defer c.h.settled("manager.create " + id)
	return c.m.Create(ctx, id, s)
}

func (c *checkedManager) Update(ctx context.Context, id string, s ctxsys.State) error {
	defer c.h.settled("manager.update " + id)
	return c.m.Update(ctx, id, s)
}

func (c *checkedManager) Delete(ctx context.Context, id string) error {
	defer c.h.settled("manager.delete " + id)
	return c.m.Delete(ctx, id)
}

func (c *checkedManager) List(ctx context.Context) ([]string, error) {
	defer c.h.settled("manager.list")
	return c.m.List(ctx)
}

func (c *checkedManager) CreateRecoveryPoint(ctx context.Context, id string) (ctxsys.RecoveryPoint, error) {
	defer c.h.settled("manager.recovery_point " + id)
	return c.m.CreateRecoveryPoint(ctx, id)
}

func (c *checkedManager) RecoveryPoints(ctx context.Context, id string) ([]ctxsys.RecoveryPoint, error) {
	defer c.h.settled("manager.recovery_points " + id)
	return c.m.RecoveryPoints(ctx, id)
}

type checkedTracker struct {
	h  *harness
	tr ctxsys.Tracker
}

var _ ctxsys.Tracker = (*checkedTracker)(nil)

func (c *checkedTracker) State(ctx context.Context) (ctxsys.State, error) {
	defer c.h.settled("tracker.get_state")
	return c.tr.State(ctx)
}

func (c *checkedTracker) UpdateState(ctx context.Context, s ctxsys.State) error {
	defer c.h.settled("tracker.update_state")
	return c.tr.UpdateState(ctx, s)
}

func (c *checkedTracker) Activate(ctx context.Context, id string) error {
	defer c.h.settled("tracker.activate " + id)
	return c.tr.Activate(ctx, id)
}

func (c *checkedTracker) Deactivate(ctx context.Context) error {
	defer c.h.settled("tracker.deactivate")
	return c.tr.Deactivate(ctx)
}

func (c *checkedTracker) ActiveID(ctx context.Context) (string, error) {
	defer c.h.settled("tracker.active_id")
	return c.tr.ActiveID(ctx)
}

func (c *checkedTracker) Sync(ctx context.Context) error {
	defer c.h.settled("tracker.sync")
	return c.tr.Sync(ctx)
}

func (c *checkedTracker) SyncNeeded(ctx context.Context) (bool, error) {
	defer c.h.settled("tracker.sync_needed")
	return c.tr.SyncNeeded(ctx)
}

func (c *checkedTracker) CreateRecoveryPoint(ctx context.Context) (ctxsys.RecoveryPoint, error) {
	defer c.h.settled("tracker.recovery_point")
	return c.tr.CreateRecoveryPoint(ctx)
}

type checkedAdapter struct {
	h *harness
	a ctxsys.Adapter
}

var _ ctxsys.Adapter = (*checkedAdapter)(nil)

func (c *checkedAdapter) Create(ctx context.Context, id string, data []byte) (ctxsys.AdapterContext, error) {
	defer c.h.settled("adapter.create " + id)
	return c.a.Create(ctx, id, data)
}

func (c *checkedAdapter) Get(ctx context.Context, id string) (ctxsys.AdapterContext, error) {
	defer c.h.settled("adapter.get " + id)
	return c.a.Get(ctx, id)
}

func (c *checkedAdapter) Update(ctx context.Context, id string, data []byte) (ctxsys.AdapterContext, error) {
	defer c.h.settled("adapter.update " + id)
	return c.a.Update(ctx, id, data)
}

func (c *checkedAdapter) Delete(ctx context.Context, id string) error {
	defer c.h.settled("adapter.delete " + id)
	return c.a.Delete(ctx, id)
}

func (c *checkedAdapter) List(ctx context.Context) ([]ctxsys.AdapterContext, error) {
	defer c.h.settled("adapter.list")
	return c.a.List(ctx)
}

func (c *checkedAdapter) UpdateConfig(ctx context.Context, cfg ctxsys.AdapterConfig) error {
	defer c.h.settled("adapter.update_config")
	return c.a.UpdateConfig(ctx, cfg)
}

func (c *checkedAdapter) Config(ctx context.Context) (ctxsys.AdapterConfig, error) {
	defer c.h.settled("adapter.config")
	return c.a.Config(ctx)
}

func (c *checkedAdapter) CleanupExpired(ctx context.Context) ([]string, error) {
	defer c.h.settled("adapter.cleanup")
	return c.a.CleanupExpired(ctx)
}
