package httpbench

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"
)

// How the report measures one row of one contender.

// measureInterleaved times n requests (in whole blocks) of each of ops (nil
// ones are left out) after a warm-up, with GOMAXPROCS 1, in rounds of block
// requests: in each round every op runs one block, in a new random order. The ops thus
// share the machine's state to within a few milliseconds, where one
// measurement after another each would be a tenth of a second apart and a
// drifting machine (a neighbour's load, a clock's boost) would move one
// op's time and not another's. A collection runs on whichever op is
// running when it is due; it is not forced between blocks, so that the
// garbage each op makes is still paid for in the run.
func measureInterleaved(ctx context.Context, ops []op, n, block int) ([]cell, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, o := range ops {
		if o == nil {
			continue
		}
		for range max(n/10, 10) {
			if err := o(ctx); err != nil {
				return nil, err
			}
		}
	}
	rounds := (n + block - 1) / block // whole blocks: n rounded up
	elapsed, mallocs, err := takeTurns(ops, rounds, func(i int) (time.Duration, error) {
		start := time.Now()
		for range block {
			if err := ops[i](ctx); err != nil {
				return 0, err
			}
		}
		return time.Since(start), nil
	})
	if err != nil {
		return nil, err
	}
	total := float64(rounds * block)
	cells := make([]cell, len(ops))
	for i := range ops {
		if ops[i] != nil {
			cells[i] = cell{
				ns:     float64(elapsed[i].Nanoseconds()) / total,
				allocs: float64(mallocs[i]) / total,
			}
		}
	}
	return cells, nil
}

// takeTurns runs rounds of turns after a collection: in each round, turn(i)
// for every op i that is not nil, in a new random order. It returns each
// op's time (as turn measures it) and allocations, summed over its turns.
func takeTurns(ops []op, rounds int, turn func(i int) (time.Duration, error)) ([]time.Duration, []uint64, error) {
	runtime.GC()
	elapsed := make([]time.Duration, len(ops))
	mallocs := make([]uint64, len(ops))
	var before, after runtime.MemStats
	for range rounds {
		for _, i := range rand.Perm(len(ops)) {
			if ops[i] == nil {
				continue
			}
			runtime.ReadMemStats(&before)
			took, err := turn(i)
			runtime.ReadMemStats(&after)
			if err != nil {
				return nil, nil, err
			}
			elapsed[i] += took
			mallocs[i] += after.Mallocs - before.Mallocs
		}
	}
	return elapsed, mallocs, nil
}

// measureParallel runs n requests of each of ops (nil ones are left out)
// from 64 goroutines sharing the op, and reports requests per second and
// the 99th percentile of their latencies. As in measureInterleaved, the ops
// take turns, block requests each (spread over the 64 goroutines) in a new
// random order every round; a turn waits for its last request, so each
// turn's start and end, with fewer than 64 requests in flight, weigh alike
// on every op.
func measureParallel(ctx context.Context, ops []op, n, block int) ([]cell, error) {
	latencies := make([][]time.Duration, len(ops))
	errs := make([]error, reportGoroutines)
	per := make([][]time.Duration, reportGoroutines)
	turn := func(o op, each int) (time.Duration, []time.Duration) {
		var wg sync.WaitGroup
		start := time.Now()
		for g := range reportGoroutines {
			per[g] = per[g][:0]
			wg.Go(func() {
				for range each {
					t0 := time.Now()
					if err := o(ctx); err != nil {
						errs[g] = err
						return
					}
					per[g] = append(per[g], time.Since(t0))
				}
			})
		}
		wg.Wait()
		return time.Since(start), slices.Concat(per...)
	}
	failed := func() error {
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	}
	each := max(block/reportGoroutines, 1)
	for _, o := range ops {
		if o != nil {
			turn(o, max(each/2, 2)) // warm-up: 64 connections dialled, pools filled
		}
	}
	if err := failed(); err != nil {
		return nil, err
	}
	perTurn := each * reportGoroutines
	elapsed, mallocs, err := takeTurns(ops, (n+perTurn-1)/perTurn, func(i int) (time.Duration, error) {
		took, lat := turn(ops[i], each)
		latencies[i] = append(latencies[i], lat...)
		return took, failed()
	})
	if err != nil {
		return nil, err
	}
	cells := make([]cell, len(ops))
	for i, all := range latencies {
		if len(all) == 0 {
			continue
		}
		slices.Sort(all)
		total := float64(len(all))
		cells[i] = cell{
			ns:     float64(elapsed[i].Nanoseconds()) / total,
			allocs: float64(mallocs[i]) / total,
			rps:    total / elapsed[i].Seconds(),
			p99:    all[int(float64(len(all)-1)*0.99)],
		}
	}
	return cells, nil
}
