//go:build !race

package telemetry_test

import (
	"testing"

	"github.com/relayhttp/relay/client"
)

// The race detector changes allocation counts, so this file is built only
// without it; scripts/test.sh runs it in its pass without -race.

// TestDroppedTelemetryAllocations holds the budget: with telemetry
// on and a sampler that drops everything, a small GET allocates at most 10
// times more than on a session without telemetry.
func TestDroppedTelemetryAllocations(t *testing.T) {
	url := smallGET(t)
	off := client.NewSession()
	t.Cleanup(off.CloseIdleConnections)
	on := droppingSession(t)
	get(t, off, url) // the connections are opened outside the count
	get(t, on, url)
	base := testing.AllocsPerRun(200, func() { get(t, off, url) })
	with := testing.AllocsPerRun(200, func() { get(t, on, url) })
	t.Logf("allocations per GET: %v without telemetry, %v with it, sampled out", base, with)
	if with-base > 10 {
		t.Errorf("telemetry sampled out costs %v allocations per GET, want at most 10", with-base)
	}
}
