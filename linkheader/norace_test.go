//go:build !race

package linkheader

const raceEnabled = false
