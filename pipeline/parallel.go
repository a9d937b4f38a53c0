package pipeline

import (
	"runtime"

	"github.com/newsdedup/newsdedup/internal/par"
)

// parallel calls fn(i) for i in [0, n) on cfg's workers, in chunks.
func parallel(cfg Config, n int, fn func(i int)) {
	par.For(workers(cfg), n, 64, fn)
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
