package awslive

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// progress reports an audit as it goes. On a terminal it rewrites one
// line ("accounts×regions done: 3/8") and prints failures above it; in a
// log (lines) it prints one line per account×region started and finished
// and one per failed call, as each happens, so that a CI log shows where
// a long audit is and what went wrong without waiting for the report.
type progress struct {
	w     io.Writer
	lines bool

	mu       sync.Mutex
	total    int
	started  int
	done     int
	startAt  map[string]time.Time
	drawn    bool
	clockNow func() time.Time
}

func newProgress(w io.Writer, lines bool) *progress {
	return &progress{w: w, lines: lines, startAt: map[string]time.Time{}, clockNow: time.Now}
}

func (p *progress) begin(total int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = total
	if p.lines {
		fmt.Fprintf(p.w, "vpclint: aws: %d account×region(s) to read\n", total)
		return
	}
	p.draw()
}

func (p *progress) start(account, region string) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.started++
	p.startAt[account+"/"+region] = p.clockNow()
	if p.lines {
		fmt.Fprintf(p.w, "vpclint: aws %s/%s: reading (%d of %d started)\n", account, safetext.Line(region), p.started, p.total)
	}
}

// problem shows a failed call as it happens.
func (p *progress) problem(le model.LoadError) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	where := le.Account
	if le.Region != "" {
		where += "/" + le.Region
	}
	msg := safetext.Line(le.Message)
	if le.Call != "" {
		msg = le.Call + ": " + msg
	}
	line := fmt.Sprintf("vpclint: aws %s: %s: %s", safetext.Line(where), le.Level, msg)
	if p.lines {
		fmt.Fprintln(p.w, line)
		return
	}
	p.clear()
	fmt.Fprintln(p.w, line)
	p.draw()
}

func (p *progress) finish(u Unit, skipped bool) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	key := u.Account + "/" + u.Region
	took := p.clockNow().Sub(p.startAt[key]).Round(100 * time.Millisecond)
	delete(p.startAt, key)
	if !p.lines {
		p.draw()
		return
	}
	var what string
	switch {
	case skipped:
		what = "skipped: the region is not enabled in the account"
	case u.Failed():
		what = "not read: " + safetext.Line(u.Model.Inventory.Error)
	default:
		what = fmt.Sprintf("read %d resources in %s", u.Model.Len(), took)
		if st, _ := model.LiveStatus(u.Model); len(st.ListsNotRead) > 0 {
			what += "; lists not read: " + strings.Join(st.ListsNotRead, ", ")
		}
	}
	fmt.Fprintf(p.w, "vpclint: aws %s/%s: %s (%d of %d done)\n", u.Account, safetext.Line(u.Region), what, p.done, p.total)
}

func (p *progress) end() {
	if p.w == nil || p.lines || !p.drawn {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w)
}

func (p *progress) draw() {
	if p.total == 0 {
		return
	}
	p.drawn = true
	fmt.Fprintf(p.w, "\raccounts×regions done: %d/%d", p.done, p.total)
}

// clear erases the terminal's progress line.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
