package suppress

import (
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/model"
)

func unitWith(supps ...model.Suppression) *model.Model {
	m := model.New("infra", model.FormatTerraform)
	m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{Meta: model.Meta{
		ID: "aws_security_group.web", Address: "aws_security_group.web", Type: "aws_security_group",
		Source:       model.Source{Format: model.FormatTerraform, File: "main.tf", StartLine: 10, EndLine: 30},
		Suppressions: supps,
	}})
	return m
}

func finding(rule string, line int, attr string) model.Finding {
	return model.Finding{
		RuleID: rule, Severity: model.SeverityCritical, Unit: "infra", Attribute: attr,
		Resource: model.FindingResource{Address: "aws_security_group.web", Type: "aws_security_group"},
		Location: model.Location{File: "main.tf", StartLine: line, EndLine: line},
	}
}

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestApply(t *testing.T) {
	comment := model.Suppression{RuleIDs: []string{"SG001"}, Reason: "bastion behind VPN", Kind: "comment", File: "main.tf", Line: 9, StartLine: 10, EndLine: 30}
	tests := []struct {
		name       string
		supp       model.Suppression
		finding    model.Finding
		suppressed bool
		problems   []string
	}{
		{"comment covers its block", comment, finding("SG001", 14, "ingress[0].cidr_blocks[0]"), true, nil},
		{"other rule not covered", comment, finding("SG004", 14, ""), false, []string{UnusedID}},
		{"outside the block", comment, finding("SG001", 31, ""), false, []string{UnusedID}},
		{"area selector", model.Suppression{RuleIDs: []string{"SG"}, Reason: "r", Kind: "comment", File: "main.tf", StartLine: 10, EndLine: 30}, finding("SG009", 12, ""), true, nil},
		{"expired", model.Suppression{RuleIDs: []string{"SG001"}, Reason: "r", Until: "2026-01-01", Kind: "comment", File: "main.tf", StartLine: 10, EndLine: 30}, finding("SG001", 14, ""), false, []string{ExpiredID}},
		{"not yet expired", model.Suppression{RuleIDs: []string{"SG001"}, Reason: "r", Until: "2026-11-26", Kind: "comment", File: "main.tf", StartLine: 10, EndLine: 30}, finding("SG001", 14, ""), true, nil},
		{"no reason still suppresses but is reported", model.Suppression{RuleIDs: []string{"SG001"}, Kind: "comment", File: "main.tf", StartLine: 10, EndLine: 30}, finding("SG001", 14, ""), true, []string{NoReasonID}},
		{"tag on live resource", model.Suppression{RuleIDs: []string{"SG001", "SG004"}, Reason: "tag", Kind: "tag"}, finding("SG004", 0, ""), true, nil},
		{"metadata limited to attribute", model.Suppression{RuleIDs: []string{"SG001"}, Reason: "m", Kind: "metadata", Attribute: "ingress[1]"}, finding("SG001", 0, "ingress[0].cidr_blocks[0]"), false, []string{UnusedID}},
		{"metadata attribute prefix", model.Suppression{RuleIDs: []string{"SG001"}, Reason: "m", Kind: "metadata", Attribute: "ingress[1]"}, finding("SG001", 0, "ingress[1].cidr_blocks[0]"), true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.finding
			if tt.supp.Kind != "comment" {
				f.Location = model.Location{}
			}
			out := Apply([]*model.Model{unitWith(tt.supp)}, []model.Finding{f}, Options{Now: now, ReportProblems: true})
			if got := out[0].Suppression != nil; got != tt.suppressed {
				t.Errorf("suppressed = %v, want %v", got, tt.suppressed)
			}
			var probs []string
			for _, p := range out[1:] {
				probs = append(probs, p.RuleID)
				if p.Fingerprint == "" || p.Message == "" {
					t.Errorf("problem finding lacks fingerprint or message: %+v", p)
				}
			}
			if len(probs) != len(tt.problems) {
				t.Fatalf("problems = %v, want %v", probs, tt.problems)
			}
			for i := range probs {
				if probs[i] != tt.problems[i] {
					t.Errorf("problems = %v, want %v", probs, tt.problems)
				}
			}
		})
	}
}

func TestApplyWithoutProblemReports(t *testing.T) {
	s := model.Suppression{RuleIDs: []string{"SG001"}, Kind: "comment", File: "main.tf", StartLine: 1, EndLine: 2}
	out := Apply([]*model.Model{unitWith(s)}, nil, Options{Now: now})
	if len(out) != 0 {
		t.Fatalf("want no findings, got %v", out)
	}
}

func TestOtherUnitNotCovered(t *testing.T) {
	s := model.Suppression{RuleIDs: []string{"SG001"}, Reason: "r", Kind: "tag"}
	f := finding("SG001", 0, "")
	f.Unit = "other"
	out := Apply([]*model.Model{unitWith(s)}, []model.Finding{f}, Options{Now: now})
	if out[0].Suppression != nil {
		t.Fatal("a suppression must not cross units")
	}
}

// TestPeerRules: a peer check id finds the rules whose METADATA name it,
// whatever its case, with or without Trivy's AVD- prefix, and tfsec's ids
// are Trivy's.
func TestPeerRules(t *testing.T) {
	idx := PeerIndex([]model.RuleInfo{
		{ID: "SG001", Peers: map[string][]string{"checkov": {"CKV_AWS_24"}, "trivy": {"AVD-AWS-0107"}, "tfsec": {"aws-vpc-no-public-ingress-sgr"}}},
		{ID: "SG002", Peers: map[string][]string{"trivy": {"AWS-0107"}}},
	})
	tests := map[string]string{
		"CKV_AWS_24":                    "SG001",
		"ckv_aws_24":                    "SG001",
		"AVD-AWS-0107":                  "SG001 SG002",
		"aws-0107":                      "SG001 SG002",
		"aws-vpc-no-public-ingress-sgr": "SG001",
		"CKV_AWS_25":                    "",
	}
	for id, want := range tests {
		if got := strings.Join(PeerRules(idx, id), " "); got != want {
			t.Errorf("PeerRules(%s) = %q, want %q", id, got, want)
		}
	}
}
