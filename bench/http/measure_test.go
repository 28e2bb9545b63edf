package httpbench

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"time"
)

// How the report measures one row of one contender.

// measureSequential times n requests of o after a warm-up, with GOMAXPROCS 1.
func measureSequential(ctx context.Context, o op, n int) (cell, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for range max(n/10, 10) {
		if err := o(ctx); err != nil {
			return cell{}, err
		}
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for range n {
		if err := o(ctx); err != nil {
			return cell{}, err
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return cell{
		ns:     float64(elapsed.Nanoseconds()) / float64(n),
		allocs: float64(after.Mallocs-before.Mallocs) / float64(n),
	}, nil
}

// measureParallel runs n requests of o from 64 goroutines sharing it, and
// reports requests per second and the 99th percentile of their latencies.
func measureParallel(ctx context.Context, o op, n int) (cell, error) {
	per := max(n/reportGoroutines, 1)
	latencies := make([][]time.Duration, reportGoroutines)
	errs := make([]error, reportGoroutines)
	run := func(per int) time.Duration {
		var wg sync.WaitGroup
		start := time.Now()
		for g := range reportGoroutines {
			latencies[g] = latencies[g][:0]
			wg.Go(func() {
				for range per {
					t0 := time.Now()
					if err := o(ctx); err != nil {
						errs[g] = err
						return
					}
					latencies[g] = append(latencies[g], time.Since(t0))
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	run(max(per/10, 2)) // warm-up: 64 connections dialled, pools filled
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	elapsed := run(per)
	runtime.ReadMemStats(&after)
	for _, err := range errs {
		if err != nil {
			return cell{}, err
		}
	}
	all := slices.Concat(latencies...)
	slices.Sort(all)
	total := float64(len(all))
	return cell{
		ns:     float64(elapsed.Nanoseconds()) / total,
		allocs: float64(after.Mallocs-before.Mallocs) / total,
		rps:    total / elapsed.Seconds(),
		p99:    all[int(float64(len(all)-1)*0.99)],
	}, nil
}
