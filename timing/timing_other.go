//go:build !linux

package timing

import (
	"context"
	"time"
)

func precise() bool { return false }

func sleep(d time.Duration) { time.Sleep(d) }

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
