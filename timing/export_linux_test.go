//go:build linux

package timing

import "testing"

// CheckQuiescent fails t unless the alarm has no pending sleeper, no owner
// and nothing armed: what every sleeper's return must leave behind.
func CheckQuiescent(t *testing.T) { checkQuiescentAlarm(t) }
