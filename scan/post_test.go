package scan

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/evaluator/baseline"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// openSSH is a live unit with two groups open on SSH; the first carries
// the given suppressions.
func openSSH(supps ...model.Suppression) *model.Model {
	m := model.New("aws:111122223333/eu-west-1", model.FormatAWS)
	for i, id := range []string{"sg-1", "sg-2"} {
		sg := &model.SecurityGroup{
			Meta: model.Meta{ID: id, Address: id, Type: "ec2:security-group",
				Source: model.Source{Format: model.FormatAWS, Account: "111122223333", Region: "eu-west-1"}},
			Description: model.String("d"),
			Ingress:     []*model.SGRule{{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{"0.0.0.0/0"}, Description: model.String("ssh")}},
			Egress:      []*model.SGRule{},
		}
		if i == 0 {
			sg.Suppressions = supps
		}
		m.SecurityGroups = append(m.SecurityGroups, sg)
	}
	return m
}

func sg001(res *Result) (active, suppressed int, ids []string) {
	for _, f := range res.Findings {
		ids = append(ids, f.RuleID)
		if f.RuleID != "SG001" {
			continue
		}
		if f.Suppression != nil {
			suppressed++
		} else {
			active++
		}
	}
	return active, suppressed, ids
}

func TestPostSuppressions(t *testing.T) {
	ctx := context.Background()
	eng, err := evaluator.New(ctx, evaluator.Options{Select: []evaluator.Selection{{Only: []string{"SG001", "SUP"}}}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	tag := model.Suppression{RuleIDs: []string{"SG001"}, Reason: "bastion", Kind: "tag"}
	tests := []struct {
		name             string
		supp             model.Suppression
		post             *Post
		active, suppr    int
		wantSupFindings  []string
		wantSummaryCount int
	}{
		{"tag suppresses", tag, &Post{Now: now}, 1, 1, nil, 1},
		{"expired tag does not", model.Suppression{RuleIDs: []string{"SG001"}, Reason: "r", Until: "2026-01-01", Kind: "tag"}, &Post{Now: now}, 2, 0, []string{"SUP002"}, 3},
		{"unused reported", model.Suppression{RuleIDs: []string{"EP001"}, Reason: "r", Kind: "tag"}, &Post{Now: now}, 2, 0, []string{"SUP003"}, 3},
		{"reports off", model.Suppression{RuleIDs: []string{"EP001"}, Reason: "r", Kind: "tag"}, &Post{Now: now, NoSuppressionReports: true}, 2, 0, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(ctx, Options{Engine: eng, Units: []*model.Model{openSSH(tt.supp)}, Post: tt.post})
			if err != nil {
				t.Fatal(err)
			}
			active, suppr, ids := sg001(res)
			if active != tt.active || suppr != tt.suppr {
				t.Errorf("SG001 active/suppressed = %d/%d, want %d/%d (%v)", active, suppr, tt.active, tt.suppr, ids)
			}
			var sups []string
			for _, id := range ids {
				if model.AreaOf(id) == "SUP" {
					sups = append(sups, id)
				}
			}
			if len(sups) != len(tt.wantSupFindings) || (len(sups) > 0 && sups[0] != tt.wantSupFindings[0]) {
				t.Errorf("suppression findings %v, want %v", sups, tt.wantSupFindings)
			}
			if got := res.Summary.Findings.Total(); got != tt.wantSummaryCount {
				t.Errorf("summary counts %d active findings, want %d", got, tt.wantSummaryCount)
			}
			found := false
			for _, r := range res.Catalogue {
				found = found || r.ID == "SUP003"
			}
			if !found {
				t.Error("suppression rules missing from the catalogue (SARIF needs them)")
			}
		})
	}
}

func TestPostBaselineAndChanged(t *testing.T) {
	ctx := context.Background()
	eng, err := evaluator.New(ctx, evaluator.Options{RuleDirs: []string{"../evaluator/testdata/rules"}, NoBuiltin: true, Select: []evaluator.Selection{{Only: []string{"TST001"}}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{
		"a/one.yaml": "fake\nsg a1 0.0.0.0/0\n",
		"b/two.yaml": "fake\nsg b1 0.0.0.0/0\n",
	})
	ld := &loader.Loader{Files: []loader.FileFormat{fakeFormat{}}}
	base := Options{Engine: eng, Loaders: ld, Paths: []string{dir}, Loader: loader.Options{WorkDir: dir}}
	all, err := Run(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Findings) != 2 {
		t.Fatalf("want 2 findings, got %+v", all.Findings)
	}

	changed := base
	changed.Post = &Post{WorkDir: dir, Changed: map[string]bool{filepath.Join(dir, "b", "two.yaml"): true}}
	res, err := Run(ctx, changed)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Resource.Address != "b1" {
		t.Errorf("--changed-only kept %+v", res.Findings)
	}

	b := &baseline.File{Version: baseline.Version, Findings: []baseline.Entry{{Fingerprint: all.Findings[0].Fingerprint}}}
	withBase := base
	withBase.Post = &Post{Baseline: b}
	res, err = Run(ctx, withBase)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Summary.Baselined != 1 {
		t.Errorf("baseline: %d findings, %d baselined", len(res.Findings), res.Summary.Baselined)
	}
}
