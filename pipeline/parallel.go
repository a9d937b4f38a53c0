package pipeline

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel calls fn(i) for i in [0, n) on cfg's workers, in chunks.
func parallel(cfg Config, n int, fn func(i int)) {
	const chunk = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers(cfg) {
		wg.Go(func() {
			for {
				lo := int(next.Add(chunk)) - chunk
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

// workers returns the number of goroutines for parallel stages.
func workers(cfg Config) int {
	if cfg.Workers > 0 {
		return cfg.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// besides returns cfg with a worker fewer (one at least), for parallel work
// done beside a serial stage that should keep a core of its own.
func besides(cfg Config) Config {
	cfg.Workers = max(1, workers(cfg)-1)
	return cfg
}
