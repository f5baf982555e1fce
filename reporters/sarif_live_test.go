package reporters

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// A finding read back from a saved inventory snapshot has a file (the
// snapshot) but belongs to its account's run; an account without findings
// still gets a run whose results are an empty array.
func TestSARIFSnapshotFindingsInAccountRun(t *testing.T) {
	r := &Report{
		Tool: DefaultTool("dev"),
		Findings: []model.Finding{{
			RuleID: "SG001", Severity: model.SeverityCritical, Title: "t", Message: "sg-1 allows SSH from 0.0.0.0/0",
			Resource:    model.FindingResource{Address: "sg-1", ID: "sg-1", Type: "ec2:security-group", ARN: "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-1"},
			Location:    model.Location{File: "inventory.json", StartLine: 40, EndLine: 60},
			Source:      model.Source{Format: model.FormatAWS, File: "inventory.json", Account: "111122223333", Region: "eu-west-1"},
			Fingerprint: "fp",
		}},
		Catalogue: []model.RuleInfo{{ID: "SG001", Title: "t", Description: "d", Severity: model.SeverityCritical, Remediation: "r"}},
		Accounts:  []string{"111122223333", "444455556666"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "sarif", r); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, buf.Bytes())
	var log struct {
		Runs []struct {
			AutomationDetails struct{ ID string } `json:"automationDetails"`
			Results           []struct {
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
					LogicalLocations []struct{ Name string }
				}
			} `json:"results"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `"results": null`) {
		t.Error("a run has null results")
	}
	byCat := map[string]int{}
	for i, run := range log.Runs {
		byCat[run.AutomationDetails.ID] = i
	}
	i, ok := byCat["vpclint/aws/111122223333/"]
	if !ok || len(log.Runs[i].Results) != 1 {
		t.Fatalf("the snapshot finding is not in its account's run: %s", buf.String())
	}
	res := log.Runs[i].Results[0]
	loc := res.Locations[0]
	if loc.PhysicalLocation.ArtifactLocation.URI != "inventory.json" || loc.PhysicalLocation.Region.StartLine != 40 {
		t.Errorf("location %+v, want the snapshot's line", loc.PhysicalLocation)
	}
	if !strings.Contains(res.Message.Text, "arn:aws:ec2") || len(loc.LogicalLocations) == 0 {
		t.Errorf("message %q / logical locations %+v must name the ARN", res.Message.Text, loc.LogicalLocations)
	}
	if j, ok := byCat["vpclint/aws/444455556666/"]; !ok || log.Runs[j].Results == nil {
		t.Errorf("the account without findings needs a run with results: []")
	}
}
