package scan

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/evaluator/baseline"
	"github.com/vpclint/vpclint/model"
)

// liveUnit is account×region i with two groups open on SSH, and lists as
// given (nil: code-like, no lists).
func liveUnit(i int, lists map[string]bool) *model.Model {
	m := openSSH()
	acct := fmt.Sprintf("%012d", 100000000000+i)
	m.Unit = "aws:" + acct + "/eu-west-1"
	m.Context = model.Context{Account: acct, Region: "eu-west-1"}
	for _, sg := range m.SecurityGroups {
		sg.Source.Account = acct
	}
	m.Inventory.Lists = lists
	return m
}

// sliceSource hands over units made by mk, one at a time.
func sliceSource(n int, mk func(i int) *model.Model) Source {
	return func(ctx context.Context, emit func(*model.Model, []model.LoadError) error) error {
		for i := range n {
			if err := emit(mk(i), nil); err != nil {
				return err
			}
		}
		return nil
	}
}

func sg001Engine(t *testing.T) *evaluator.Engine {
	t.Helper()
	eng, err := evaluator.New(context.Background(), evaluator.Options{Select: []evaluator.Selection{{Only: []string{"SG001"}}}})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// TestStreamMatchesUnits: a streamed scan finds what a scan of the same
// units given at once finds, hands the units to OnUnit in order, and
// with Discard keeps only the summary.
func TestStreamMatchesUnits(t *testing.T) {
	eng := sg001Engine(t)
	const n = 30
	var units []*model.Model
	for i := range n {
		units = append(units, liveUnit(i, nil))
	}
	whole, err := Run(context.Background(), Options{Engine: eng, Units: units, Parallelism: 3})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	var perUnit []model.Finding
	streamed, err := Run(context.Background(), Options{Engine: eng, Parallelism: 3,
		Stream: sliceSource(n, func(i int) *model.Model { return liveUnit(i, nil) }),
		OnUnit: func(r UnitResult) error {
			order = append(order, r.Unit)
			perUnit = append(perUnit, r.Findings...)
			if r.Summary.Resources != 2 || r.Summary.Findings.Critical != len(r.Findings) {
				t.Errorf("%s: summary %+v for %d findings", r.Unit, r.Summary, len(r.Findings))
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Findings) != 2*n || !reflect.DeepEqual(whole.Findings, streamed.Findings) || !reflect.DeepEqual(whole.Summary, streamed.Summary) {
		t.Errorf("streamed %d findings %+v, at once %d %+v", len(streamed.Findings), streamed.Summary, len(whole.Findings), whole.Summary)
	}
	SortFindings(perUnit)
	if !reflect.DeepEqual(perUnit, whole.Findings) {
		t.Error("OnUnit's findings differ from the result's")
	}
	for i, u := range order {
		if u != units[i].Unit {
			t.Fatalf("OnUnit order %v", order)
		}
	}
	discarded, err := Run(context.Background(), Options{Engine: eng, Units: units, Discard: true, OnUnit: func(UnitResult) error { return nil }})
	if err != nil || len(discarded.Findings) != 0 || !reflect.DeepEqual(discarded.Summary, whole.Summary) || discarded.Checked() != n {
		t.Errorf("Discard: %v, %d findings, summary %+v", err, len(discarded.Findings), discarded.Summary)
	}
}

// TestStreamLetsUnitsGo: a scan holds a bounded number of models however
// many units stream through it.
func TestStreamLetsUnitsGo(t *testing.T) {
	eng := sg001Engine(t)
	const n, par = 24, 2
	var refs []weak.Pointer[model.Model]
	maxLive := 0
	_, err := Run(context.Background(), Options{Engine: eng, Parallelism: par,
		Stream: sliceSource(n, func(i int) *model.Model {
			runtime.GC()
			live := 0
			for _, r := range refs {
				if r.Value() != nil {
					live++
				}
			}
			maxLive = max(maxLive, live)
			u := liveUnit(i, nil)
			refs = append(refs, weak.Make(u))
			return u
		})})
	if err != nil {
		t.Fatal(err)
	}
	// 2×par in flight, plus the one being added.
	if maxLive > 2*par+1 {
		t.Errorf("up to %d of %d units held at once, want at most %d", maxLive, n, 2*par+1)
	}
}

// TestStreamStops: an error of OnUnit or of the source stops the scan and
// is Run's.
func TestStreamStops(t *testing.T) {
	eng := sg001Engine(t)
	calls := 0
	_, err := Run(context.Background(), Options{Engine: eng, Parallelism: 2,
		Stream: sliceSource(1000, func(i int) *model.Model { return liveUnit(i, nil) }),
		OnUnit: func(UnitResult) error {
			calls++
			return errors.New("disk full")
		}})
	if err == nil || err.Error() != "disk full" || calls != 1 {
		t.Errorf("Run = %v after %d units", err, calls)
	}
	_, err = Run(context.Background(), Options{Engine: eng, Stream: func(ctx context.Context, emit func(*model.Model, []model.LoadError) error) error {
		return errors.New("cannot list the organization's accounts")
	}})
	if err == nil || !strings.Contains(err.Error(), "organization") {
		t.Errorf("source error: %v", err)
	}
}

// TestLiveStatus: the result lists how much of each live unit was read,
// and the incomplete ones.
func TestLiveStatus(t *testing.T) {
	eng := sg001Engine(t)
	failed := model.New("aws:100000000002/eu-west-1", model.FormatAWS)
	failed.Context = model.Context{Account: "100000000002", Region: "eu-west-1"}
	failed.Inventory = model.Inventory{Lists: map[string]bool{"vpcs": false, "flow_logs": false}, Error: "AccessDenied"}
	units := []*model.Model{
		liveUnit(0, map[string]bool{"vpcs": true, "flow_logs": true}),
		liveUnit(1, map[string]bool{"vpcs": true, "flow_logs": false, "hosted_zones": false}),
		failed,
		openSSH(), // code: no lists
	}
	units[3].Unit = "main.tf"
	res, err := Run(context.Background(), Options{Engine: eng, Units: units})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range res.Live {
		got = append(got, fmt.Sprintf("%s %s %v %q %d", st.Unit, st.Status, st.ListsNotRead, st.Error, st.Resources))
	}
	want := []string{
		`aws:100000000000/eu-west-1 complete [] "" 2`,
		`aws:100000000001/eu-west-1 partial [flow_logs hosted_zones] "" 2`,
		`aws:100000000002/eu-west-1 failed [flow_logs vpcs] "AccessDenied" 0`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("live\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if inc := res.Incomplete(); len(inc) != 2 || inc[0].Status != model.UnitPartial || inc[1].Status != model.UnitFailed {
		t.Errorf("incomplete %+v", inc)
	}
}

// TestBaselineAcrossUnits: a baseline entry absorbs one finding over the
// whole scan, as when all findings were filtered at once.
func TestBaselineAcrossUnits(t *testing.T) {
	eng := sg001Engine(t)
	res, err := Run(context.Background(), Options{Engine: eng, Units: []*model.Model{liveUnit(0, nil), liveUnit(1, nil)}})
	if err != nil || len(res.Findings) != 4 {
		t.Fatalf("%v, %d findings", err, len(res.Findings))
	}
	// Each of the first unit's findings, recorded once.
	b := &baseline.File{Version: baseline.Version}
	for _, f := range res.Findings[:2] {
		b.Findings = append(b.Findings, baseline.Entry{Fingerprint: f.Fingerprint})
	}
	want, known := b.Filter(res.Findings)
	got, err := Run(context.Background(), Options{Engine: eng, Parallelism: 2, Post: &Post{Baseline: b},
		Stream: sliceSource(2, func(i int) *model.Model { return liveUnit(i, nil) })})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Findings, want) || got.Summary.Baselined != known || known != 2 {
		t.Errorf("streamed baseline kept %d (%d baselined), at once %d (%d)", len(got.Findings), got.Summary.Baselined, len(want), known)
	}
}
