package main

import "testing"

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
