package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// BenchmarkScanEmpty measures the fixed cost of one scan: an empty
// directory loads nothing, so what remains is start-up (compiling the
// rules, reading the configuration and the rule data) and writing an
// empty report. Profile it with -cpuprofile to see what start-up costs.
func BenchmarkScanEmpty(b *testing.B) {
	dir := b.TempDir()
	ctx := context.Background()
	for b.Loop() {
		if code := run(ctx, []string{"scan", dir}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
