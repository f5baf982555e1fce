//go:build !unix

package scan

// cpuTime is not measured here: benchmarks report 0 CPU seconds.
func cpuTime() int64 { return 0 }
