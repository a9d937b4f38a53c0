// Package par runs the iterations of a loop on several goroutines.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls fn(i) for every i in [0, n) on workers goroutines (GOMAXPROCS
// if workers < 1, never more than n), each taking chunk consecutive
// indexes at a time, and returns when all calls have returned.
func For(workers, n, chunk int, fn func(i int)) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunk = max(chunk, 1)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					fn(i)
				}
			}
		})
	}
	wg.Wait()
}
