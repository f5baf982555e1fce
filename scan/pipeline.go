package scan

import (
	"context"
	"runtime"
	"sync"

	"github.com/vpclint/vpclint/analysis"
	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/model"
)

// pipeline checks units as they are added: a pool of workers analyses and
// evaluates each and applies the post steps that need the unit, then the
// results are completed in the order the units were added (the baseline,
// the summary, OnUnit). At most twice the parallelism of units are added
// but not yet checked, so a scan holds a bounded number of models however
// many units it has, and add blocks the producer (the loader, a live
// read) while the workers are busy.
//
// The units of the scanned paths are held: whether a finding's address
// is one several units share (which its fingerprint then includes, see
// markAmbiguous) is known only once all of them are loaded, so their
// results (findings, not models: each model is let go once checked) wait
// until release says the load is over and every one is checked. The
// units added later (live ones) are completed as they come, and at most
// twice the parallelism of them wait to be completed.
type pipeline struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	eng    *evaluator.Engine
	opts   *Options
	res    *Result
	post   *postRun
	rel    *relativizer

	work  chan item
	slots chan struct{}
	wg    sync.WaitGroup
	seq   int // next sequence number; add is called from one goroutine

	mu      sync.Mutex
	next    int
	pending map[int]*UnitResult
	kept    map[int]*model.Model
	// loading is true from hold (before any add) to release; held counts
	// the units added meanwhile, the first ones, and heldChecked those
	// of them checked.
	loading     bool
	held        int
	heldChecked int
}

// item is one unit to check.
type item struct {
	seq  int
	u    *model.Model
	errs []model.LoadError
	held bool
}

func newPipeline(ctx context.Context, eng *evaluator.Engine, opts *Options, res *Result, post *postRun, rel *relativizer) *pipeline {
	par := opts.Parallelism
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	p := &pipeline{ctx: ctx, cancel: cancel, eng: eng, opts: opts, res: res, post: post, rel: rel,
		work: make(chan item), slots: make(chan struct{}, 2*par), pending: map[int]*UnitResult{}, kept: map[int]*model.Model{}}
	for range par {
		p.wg.Add(1)
		go p.worker()
	}
	return p
}

// add queues a unit; it blocks while too many are in flight and fails
// once the scan has stopped.
func (p *pipeline) add(u *model.Model, errs []model.LoadError) error {
	select {
	case p.slots <- struct{}{}:
	case <-p.ctx.Done():
		return context.Cause(p.ctx)
	}
	p.mu.Lock()
	it := item{seq: p.seq, u: u, errs: errs, held: p.loading}
	if it.held {
		p.held++
	}
	p.mu.Unlock()
	p.seq++
	select {
	case p.work <- it:
		return nil
	case <-p.ctx.Done():
		return context.Cause(p.ctx)
	}
}

// hold holds the results of the units added until release.
func (p *pipeline) hold() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.loading = true
}

// release ends the load: the held units are completed once all are
// checked, now or when the last is.
func (p *pipeline) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.loading = false
	p.drain()
}

// err is why the scan stopped, or nil.
func (p *pipeline) err() error {
	if p.ctx.Err() == nil {
		return nil
	}
	return context.Cause(p.ctx)
}

// stop waits for the units added and returns why the scan stopped early
// (a user rule over its limits, OnUnit failed, ctx was cancelled), or nil.
func (p *pipeline) stop() error {
	close(p.work)
	p.wg.Wait()
	err := p.err()
	p.cancel(nil)
	return err
}

func (p *pipeline) worker() {
	defer p.wg.Done()
	for it := range p.work {
		r, fatal := p.check(it)
		if fatal != nil {
			p.cancel(fatal)
		}
		p.complete(it, r)
	}
}

// check analyses and evaluates a unit and applies its suppressions. It
// returns an error only for a user rule over its limits, which stops the
// scan.
func (p *pipeline) check(it item) (*UnitResult, error) {
	u := it.u
	r := &UnitResult{Unit: u.Unit, Format: u.Format, Errors: it.errs}
	for _, res := range u.Resources() {
		r.Summary.Resources++
		if len(res.GetMeta().Unknown) > 0 {
			r.Summary.Undecided++
		}
	}
	if st, ok := model.LiveStatus(u); ok {
		r.Live = &st
	}
	if p.ctx.Err() != nil {
		return r, nil
	}
	fs, lerr, fatal := evaluateUnit(p.ctx, p.eng, u)
	if fatal != nil {
		return r, fatal
	}
	if lerr != nil {
		r.Errors = append(r.Errors, *lerr)
	}
	r.Findings = p.post.unit(u, fs)
	if p.opts.Topology && lerr == nil && u.Facts != nil {
		r.Topology = analysis.Topology(u)
		root := p.rel.file(u.Unit)
		for i := range r.Topology {
			r.Topology[i].Root = root
		}
	}
	if p.opts.ShowUnknown {
		r.Errors = append(r.Errors, UnknownNotes([]*model.Model{u})...)
	}
	p.rel.findings(r.Findings)
	p.rel.errors(r.Errors)
	return r, nil
}

// complete records a checked unit and completes, in order, every unit
// whose turn has come. A held unit's addresses are counted and its slot
// freed: its model is let go, its result waits.
func (p *pipeline) complete(it item, r *UnitResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending[it.seq] = r
	if p.opts.KeepUnits {
		p.kept[it.seq] = it.u
	}
	if it.held {
		p.post.owners.add(it.u)
		p.heldChecked++
		<-p.slots
	}
	p.drain()
}

// drain completes, in order, every unit whose turn has come (p.mu held).
func (p *pipeline) drain() {
	if p.loading || p.heldChecked < p.held {
		return
	}
	for {
		r, ok := p.pending[p.next]
		if !ok {
			return
		}
		delete(p.pending, p.next)
		if p.opts.KeepUnits {
			p.res.Units = append(p.res.Units, p.kept[p.next])
			delete(p.kept, p.next)
		}
		held := p.next < p.held
		p.next++
		p.deliver(r)
		if !held {
			<-p.slots
		}
	}
}

// deliver applies the ordered post steps, adds the unit to the result and
// hands it to OnUnit (called with p.mu held: one at a time, in order).
func (p *pipeline) deliver(r *UnitResult) {
	if p.ctx.Err() != nil {
		return
	}
	kept, baselined, hidden := p.post.ordered(r.Findings)
	SortFindings(kept)
	SortErrors(r.Errors)
	r.Findings = kept
	r.Summary.Baselined, r.Summary.Hidden = baselined, hidden
	tally(&r.Summary, kept)
	res := p.res
	res.checked++
	res.Summary.Resources += r.Summary.Resources
	res.Summary.Undecided += r.Summary.Undecided
	res.Summary.Baselined += baselined
	res.Summary.Hidden += hidden
	res.Summary.Suppressed += r.Summary.Suppressed
	c, d := &res.Summary.Findings, r.Summary.Findings
	c.Critical, c.High, c.Medium, c.Low, c.Info = c.Critical+d.Critical, c.High+d.High, c.Medium+d.Medium, c.Low+d.Low, c.Info+d.Info
	if r.Live != nil {
		res.Live = append(res.Live, *r.Live)
	}
	if !p.opts.Discard {
		res.Findings = append(res.Findings, kept...)
		res.Errors = append(res.Errors, r.Errors...)
		res.Topology = append(res.Topology, r.Topology...)
	}
	if p.opts.OnUnit != nil {
		if err := p.opts.OnUnit(*r); err != nil {
			p.cancel(err)
		}
	}
}

// tally counts findings into a summary; suppressed ones apart.
func tally(s *model.Summary, fs []model.Finding) {
	for _, f := range fs {
		if f.Suppression != nil {
			s.Suppressed++
			continue
		}
		s.Findings.Add(f.Severity)
	}
}
