package evaluator

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/open-policy-agent/opa/v1/topdown"
)

// Limits of a user rule's evaluation. OPA has no instruction or memory
// limit of its own; it stops an evaluation between steps, and inside its
// long-running built-ins (numbers.range, net.cidr_expand ...), when its
// Cancel is set. A watchdog sets it at the deadline, or when the heap has
// grown by more than the budget since the evaluation started.
const (
	// DefaultRuleTimeout is the time user rules may take on one unit.
	DefaultRuleTimeout = 30 * time.Second
	// DefaultRuleMemory is the heap growth a user rule may cause.
	DefaultRuleMemory = 512 << 20
	// watchInterval is how often the watchdog samples the heap.
	watchInterval = 5 * time.Millisecond
)

// RuleError is a user rule stopped by a limit, or failing, on a unit: the
// scan cannot be trusted without it, so it is fatal (exit 2).
type RuleError struct {
	// File is the rule's file as shown to users.
	File string
	// Unit is the unit it was evaluated on.
	Unit string
	// Reason says what happened.
	Reason string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("rule %s: %s (on %s)", e.File, e.Reason, e.Unit)
}

// stopReason says why the watchdog cancelled an evaluation.
type stopReason int

const (
	notStopped stopReason = iota
	stoppedTimeout
	stoppedMemory
	stoppedCaller
)

// watchdog cancels an OPA evaluation at the deadline, when ctx ends, or
// when the heap grows by more than budget bytes. stop ends it and tells
// why it cancelled, if it did.
func watchdog(ctx context.Context, deadline time.Time, budget uint64) (cancel topdown.Cancel, stop func() stopReason) {
	cancel = topdown.NewCancel()
	done := make(chan struct{})
	result := make(chan stopReason, 1)
	go func() {
		timer := time.NewTimer(time.Until(deadline))
		defer timer.Stop()
		tick := time.NewTicker(watchInterval)
		defer tick.Stop()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		// The heap (garbage included) is sampled often; past the budget
		// the live heap is measured after a collection, and then again
		// each time the heap grows by another eighth of the budget, so
		// a runaway rule is caught soon after its live heap crosses it.
		threshold := heapValue(sample[0]) + budget
		liveBase := heapValue(sample[1])
		halt := func(r stopReason) {
			cancel.Cancel()
			result <- r
		}
		for {
			select {
			case <-done:
				result <- notStopped
				return
			case <-ctx.Done():
				halt(stoppedCaller)
				return
			case <-timer.C:
				halt(stoppedTimeout)
				return
			case <-tick.C:
				metrics.Read(sample)
				if heapValue(sample[0]) <= threshold {
					continue
				}
				// The heap counts garbage too: collect it, and stop only
				// when what stays alive is over the budget.
				runtime.GC()
				metrics.Read(sample)
				if heapValue(sample[1]) > liveBase+budget {
					halt(stoppedMemory)
					return
				}
				threshold = max(threshold, heapValue(sample[0])+budget/8)
			}
		}
	}()
	return cancel, func() stopReason {
		close(done)
		return <-result
	}
}

func heapValue(s metrics.Sample) uint64 {
	if s.Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s.Value.Uint64()
}

// limitError turns a watchdog's reason into the error to report; nil when
// the evaluation was not stopped by a limit.
func limitError(r stopReason, file, unit string, timeout time.Duration, budget uint64, ctx context.Context) error {
	switch r {
	case stoppedTimeout:
		return &RuleError{File: file, Unit: unit, Reason: fmt.Sprintf("stopped after %s, the limit of --rule-timeout", timeout)}
	case stoppedMemory:
		return &RuleError{File: file, Unit: unit, Reason: fmt.Sprintf("stopped when its evaluation had grown the heap by more than %s, the limit of --rule-memory", FormatBytes(budget))}
	case stoppedCaller:
		if err := ctx.Err(); err != nil {
			return err
		}
		return errors.New("evaluation cancelled")
	}
	return nil
}

// FormatBytes writes a byte count in binary units: 1 GiB, 64 MiB.
func FormatBytes(n uint64) string {
	for _, u := range []struct {
		size uint64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}
