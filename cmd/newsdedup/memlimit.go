package main

import (
	"fmt"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
)

// memoryLimit is the --memory-limit flag: a soft limit on the memory of the
// Go runtime (debug.SetMemoryLimit, the same as GOMEMLIMIT). Under it the
// garbage collector runs more often instead of letting the heap grow to
// twice what is live, which is what keeps a million-article batch in a few
// gigabytes.
type memoryLimit struct{ bytes int64 }

func (m *memoryLimit) String() string {
	if m == nil || m.bytes == 0 {
		return ""
	}
	return strconv.FormatInt(m.bytes, 10)
}

func (m *memoryLimit) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	m.bytes = n
	debug.SetMemoryLimit(n)
	return nil
}

const memoryLimitUsage = "soft limit on the process's Go memory, e.g. 6GiB (default: none, or $GOMEMLIMIT)"

// parseBytes reads a size: a number of bytes with an optional unit B, KB,
// MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024).
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	num, mult := strings.TrimSpace(s), 1.0
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) || f*mult >= math.MaxInt64 {
		return 0, fmt.Errorf("invalid size %q (want e.g. 6GiB, 500MB or a number of bytes)", s)
	}
	return int64(f * mult), nil
}
