package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneGC: without GOGC and GOMEMLIMIT in the environment, vpclint
// collects at GOGC=400 under a soft limit of memoryLimit (what keeps the
// scaling benchmark's 20,000-group module under 1 GB resident); with them,
// the environment wins.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	cases := []struct {
		name           string
		gogc, memlimit string
		wantGC         int
		wantLimit      int64
		presetLimit    int64
	}{
		{name: "defaults", wantGC: 400, wantLimit: memoryLimit},
		{name: "environment wins", gogc: "50", memlimit: "3GiB", wantGC: 100, wantLimit: 5 << 30, presetLimit: 5 << 30},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range map[string]string{"GOGC": tc.gogc, "GOMEMLIMIT": tc.memlimit} {
				t.Setenv(k, v)
				if v == "" {
					os.Unsetenv(k)
				}
			}
			// The runtime read the environment at start; stand for it
			// with values tuneGC must leave alone.
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(tc.presetLimit)
			if tc.presetLimit == 0 {
				debug.SetMemoryLimit(1 << 62)
			}
			tuneGC()
			if got := debug.SetGCPercent(100); got != tc.wantGC {
				t.Errorf("GOGC %d, want %d", got, tc.wantGC)
			}
			if got := debug.SetMemoryLimit(-1); got != tc.wantLimit {
				t.Errorf("memory limit %d, want %d", got, tc.wantLimit)
			}
		})
	}
}
