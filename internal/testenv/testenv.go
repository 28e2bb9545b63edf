// Package testenv tells tests about the build they run in, so a test that
// moves a lot of data can size itself: the race detector slows such tests
// fifty-fold, and CI runs them once more without it at full size.
package testenv
