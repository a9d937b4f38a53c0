package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"6GiB", 6 << 30}, {"1.5 GB", 1_500_000_000}, {"500MB", 500_000_000}, {"64KiB", 64 << 10}, {"1234", 1234}, {"10B", 10},
		{"", -1}, {"GiB", -1}, {"-1GB", -1}, {"0", -1}, {"6 gigs", -1}, {"1e30TB", -1},
	} {
		got, err := parseBytes(tc.in)
		if tc.want < 0 {
			if err == nil {
				t.Errorf("parseBytes(%q)=%d, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseBytes(%q)=%d, %v, want %d", tc.in, got, err, tc.want)
		}
	}
}

// ingest takes --memory-limit as run does.
func TestIngestMemoryLimit(t *testing.T) {
	needSeeds(t)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1)) // the flag sets the process's
	if out := run(t, 0, "ingest", "--memory-limit", "2GiB", "--db", t.TempDir(), seedsDir); !strings.Contains(out, "stored 4 new articles") {
		t.Errorf("ingest --memory-limit: %s", out)
	}
	if got := debug.SetMemoryLimit(-1); got != 2<<30 {
		t.Errorf("memory limit %d, want 2GiB", got)
	}
	run(t, 2, "ingest", "--memory-limit", "lots", "--db", t.TempDir(), seedsDir)
}
