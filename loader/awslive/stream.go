package awslive

import (
	"context"
	"sync"
)

// stream reads the jobs, at most Concurrency at once, and emits their units
// in job order. A job starts only while fewer than twice Concurrency
// units are read or reading but not yet emitted, so a slow unit holds back
// at most that many read ones, and an emit that blocks stops the reads.
func (r *run) stream(ctx context.Context, jobs []job, emit func(Unit) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		u    Unit
		skip bool
	}
	done := make([]chan result, len(jobs))
	for i := range done {
		done[i] = make(chan result, 1)
	}
	window := make(chan struct{}, 2*r.opts.Concurrency)
	workers := make(chan struct{}, r.opts.Concurrency)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	r.prog.begin(len(jobs))
	defer r.prog.end()
	wg.Add(1) // the dispatcher, which adds the readers while it counts
	go func() {
		defer wg.Done()
		for i, j := range jobs {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case workers <- struct{}{}:
			case <-stop:
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.prog.start(j.a.id, j.region)
				u, skip := r.readUnit(ctx, j)
				<-workers
				r.prog.finish(u, skip)
				done[i] <- result{u, skip}
			}()
		}
	}()
	var err error
	for i := range jobs {
		res := <-done[i]
		if !res.skip {
			err = emit(res.u)
		}
		<-window
		if err != nil {
			break
		}
	}
	// On an emit error, stop the dispatcher and the reads in flight; their
	// results go to buffered channels nobody reads.
	close(stop)
	cancel()
	wg.Wait()
	return err
}
