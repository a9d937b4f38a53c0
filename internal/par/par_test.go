package par

import (
	"sync/atomic"
	"testing"
)

// Every index is called once, whatever the workers and the chunk.
func TestForCallsEachOnce(t *testing.T) {
	for _, c := range []struct{ workers, n, chunk int }{{0, 0, 1}, {1, 1, 1}, {2, 1000, 1}, {3, 1000, 64}, {7, 5, 64}, {0, 4097, 0}} {
		calls := make([]atomic.Int32, c.n)
		For(c.workers, c.n, c.chunk, func(i int) { calls[i].Add(1) })
		for i := range calls {
			if got := calls[i].Load(); got != 1 {
				t.Fatalf("For(%d, %d, %d): index %d called %d times", c.workers, c.n, c.chunk, i, got)
			}
		}
	}
}
