package analysis

import (
	"syscall"
	"testing"
	"time"
)

func TestCPUPerAnalyze(t *testing.T) {
	m := benchModel(2000, 50, 500, 40)
	Analyze(m)
	var a, b syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &a)
	start := time.Now()
	const n = 5
	for range n {
		Analyze(m)
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &b)
	cpu := time.Duration(b.Utime.Nano()+b.Stime.Nano()-a.Utime.Nano()-a.Stime.Nano()) / n
	t.Logf("cpu/op %v wall/op %v", cpu, time.Since(start)/n)
}
