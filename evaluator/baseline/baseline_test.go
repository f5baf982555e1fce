package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

func f(rule, fp string, line int) model.Finding {
	return model.Finding{RuleID: rule, Fingerprint: fp, Resource: model.FindingResource{Address: "aws_security_group.a"}, Location: model.Location{File: "main.tf", StartLine: line}}
}

func TestRoundTrip(t *testing.T) {
	old := []model.Finding{f("SG001", "aa", 3), f("SG009", "bb", 7)}
	suppressed := f("SG004", "cc", 9)
	suppressed.Suppression = &model.AppliedSuppression{Kind: "inSource"}
	var buf bytes.Buffer
	if err := Write(&buf, append(old, suppressed)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `"cc"`) {
		t.Errorf("suppressed findings must not be baselined:\n%s", buf.String())
	}
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	// Lines moved (3 -> 40) and a new finding appeared: only it is new.
	now := []model.Finding{f("SG001", "aa", 40), f("SG009", "bb", 44), f("SG002", "dd", 50), f("SG001", "aa", 60)}
	fresh, known := b.Filter(now)
	if known != 2 {
		t.Errorf("known = %d, want 2", known)
	}
	if len(fresh) != 2 || fresh[0].Fingerprint != "dd" || fresh[1].Fingerprint != "aa" {
		t.Errorf("fresh = %+v", fresh)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte("{"), 0o644)
	if _, err := Read(bad); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("Read(bad) = %v", err)
	}
	v2 := filepath.Join(dir, "v2.json")
	_ = os.WriteFile(v2, []byte(`{"version": 2, "findings": []}`), 0o644)
	if _, err := Read(v2); err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("Read(v2) = %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("Read(missing) = nil")
	}
}
