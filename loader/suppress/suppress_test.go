package suppress

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseComment(t *testing.T) {
	tests := []struct {
		line    string
		ok      bool
		wantErr bool
		ids     []string
		reason  string
		until   string
	}{
		{line: `# just a comment`, ok: false},
		{line: `# vpclint:ignore SG001 reason="bastion behind VPN" until=2027-03-31`, ok: true, ids: []string{"SG001"}, reason: "bastion behind VPN", until: "2027-03-31"},
		{line: `// vpclint:ignore SG001,sg004 reason=ok`, ok: true, ids: []string{"SG001", "SG004"}, reason: "ok"},
		{line: `vpclint:ignore NACL`, ok: true, ids: []string{"NACL"}},
		{line: `# vpclint:ignore`, ok: true, wantErr: true},
		{line: `# vpclint:ignore SG001 until=tomorrow`, ok: true, wantErr: true, ids: []string{"SG001"}},
		{line: `# vpclint:ignore SG001 reason="open`, ok: true, wantErr: true},
		{line: `/* vpclint:ignore EP001 reason="x \"y\"" */`, ok: true, ids: []string{"EP001"}, reason: `x "y"`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			s, ok, err := ParseComment(tt.line)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil || !ok {
				return
			}
			if !reflect.DeepEqual(s.RuleIDs, tt.ids) || s.Reason != tt.reason || s.Until != tt.until {
				t.Errorf("got %+v", s)
			}
		})
	}
}

// FuzzParseComment feeds arbitrary comment lines to the suppression
// parser: it must not panic, a line that is not a suppression carries no
// error, and a suppression parsed without error names at least one rule.
func FuzzParseComment(f *testing.F) {
	for _, seed := range []string{
		"# vpclint:ignore SG001 reason: bastion behind VPN until: 2027-01-31",
		"// vpclint:ignore SG001,EP attribute=ingress[0] -- legacy",
		"/* vpclint:ignore */",
		"# vpclint:ignore sg001 until:2020-13-45",
		"# an ordinary comment",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		s, ok, err := ParseComment(line)
		if !ok && err != nil {
			t.Fatalf("%q: not a suppression, yet error %v", line, err)
		}
		if ok && err == nil && len(s.RuleIDs) == 0 {
			t.Fatalf("%q: suppression without rule ids", line)
		}
	})
}

// TestAbove reads the comments standing directly above a block, nearest
// last, stops at the first line that is not a comment in the format's
// syntax, and reports a malformed suppression at its line.
func TestAbove(t *testing.T) {
	lines := []string{
		"# vpclint:ignore SG002", // 1: separated by code below
		`resource "x" "y" {}`,
		"# vpclint:ignore SG001 reason=\"a\"", // 3
		"// a note",
		"# vpclint:ignore until=2020-13-01",   // 5: malformed
		"  # vpclint:ignore EP001",            // 6
		`resource "aws_security_group" "g" {`, // 7
		"}",
	}
	tests := []struct {
		start       int
		syntax      Syntax
		lines, errs []int
	}{
		{7, HCL, []int{3, 6}, []int{5}},
		{7, YAML, []int{6}, []int{5}}, // "// a note" is not a YAML comment
		{2, HCL, []int{1}, nil},
		{1, HCL, nil, nil},
		{20, HCL, nil, nil},
	}
	for _, tt := range tests {
		got, errs := Above("main.tf", lines, tt.start, tt.start+1, tt.syntax)
		var gl, el []int
		for _, s := range got {
			if s.File != "main.tf" || s.StartLine != tt.start || s.EndLine != tt.start+1 || s.Kind != "comment" {
				t.Errorf("start %d: %+v", tt.start, s)
			}
			gl = append(gl, s.Line)
		}
		for _, e := range errs {
			el = append(el, e.Line)
		}
		if !reflect.DeepEqual(gl, tt.lines) || !reflect.DeepEqual(el, tt.errs) {
			t.Errorf("start %d: suppressions at %v errors at %v, want %v %v", tt.start, gl, el, tt.lines, tt.errs)
		}
	}
}

// TestPeerIgnores: the ignore comments of tfsec, Trivy and Checkov are
// read with their tool, check ids, expiry and reason.
func TestPeerIgnores(t *testing.T) {
	tests := []struct {
		line    string
		ok      bool
		wantErr bool
		tool    string
		ids     []string
		until   string
	}{
		{line: `#tfsec:ignore:aws-ec2-no-public-ingress-sgr`, ok: true, tool: "tfsec", ids: []string{"aws-ec2-no-public-ingress-sgr"}},
		{line: `# tfsec:ignore:aws-vpc-no-public-ingress-sgr:exp:2026-01-31`, ok: true, tool: "tfsec", ids: []string{"aws-vpc-no-public-ingress-sgr"}, until: "2026-01-31"},
		{line: `#trivy:ignore:AVD-AWS-0107`, ok: true, tool: "trivy", ids: []string{"AVD-AWS-0107"}},
		{line: `// trivy:ignore:AWS-0107 trivy:ignore:AWS-0104`, ok: true, tool: "trivy", ids: []string{"AWS-0107", "AWS-0104"}},
		{line: `# trivy:ignore:aws-vpc-no-public-egress-sgr : TODO ticket 511`, ok: true, tool: "trivy", ids: []string{"aws-vpc-no-public-egress-sgr"}},
		// A condition vpclint cannot evaluate: not applied.
		{line: `#trivy:ignore:AVD-AWS-0107[ws:dev]`, ok: false},
		{line: `#tfsec:ignore:aws-ec2-no-public-ingress-sgr:exp:tomorrow`, ok: true, wantErr: true},
		// Checkov skips are read inside a block (Within), not above it.
		{line: `#checkov:skip=CKV_AWS_24:bastion`, ok: false},
		{line: `# tfsec is not run here`, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			s, ok, err := ParseComment(tt.line)
			if ok != tt.ok || (err != nil) != tt.wantErr {
				t.Fatalf("ok = %v, err = %v; want %v, error %v", ok, err, tt.ok, tt.wantErr)
			}
			if !ok || err != nil {
				return
			}
			if s.Tool != tt.tool || !reflect.DeepEqual(s.RuleIDs, tt.ids) || s.Until != tt.until {
				t.Errorf("got %+v", s)
			}
		})
	}
}

// TestWithin: inside a block, an ignore written after code covers its
// line (the whole block on the block's first line), a Checkov skip
// anywhere covers the block, and comment lines of their own are left to
// Above.
func TestWithin(t *testing.T) {
	src := []string{
		`resource "aws_security_group" "a" { # tfsec:ignore:aws-ec2-no-public-egress-sgr`, // 1
		`  #checkov:skip=CKV_AWS_24:reached through the VPN only`,                         // 2
		`  # trivy:ignore:AVD-AWS-0107`,                                                   // 3 (Above's)
		`  ingress {`,                                                                     // 4
		`    cidr_blocks = ["0.0.0.0/0"] #tfsec:ignore:aws-ec2-no-public-ingress-sgr`,     // 5
		`    description = "x" # vpclint:ignore SG009 reason="legacy"`,                    // 6
		`    ipv6_cidr_blocks = ["::/0"] // trivy:ignore:AWS-0107:exp:2020-13-01`,         // 7
		`  }`, // 8
		`}`,   // 9
	}
	got, errs := Within("main.tf", src, 1, 9)
	type cover struct {
		tool       string
		line, s, e int
		reason     string
	}
	var covers []cover
	for _, s := range got {
		covers = append(covers, cover{s.Tool, s.Line, s.StartLine, s.EndLine, s.Reason})
	}
	want := []cover{
		{"tfsec", 1, 1, 9, ""},
		{"checkov", 2, 1, 9, "reached through the VPN only"},
		{"tfsec", 5, 5, 5, ""},
		{"", 6, 6, 6, "legacy"},
	}
	if !reflect.DeepEqual(covers, want) {
		t.Errorf("got %+v\nwant %+v", covers, want)
	}
	if len(errs) != 1 || errs[0].Line != 7 {
		t.Errorf("errors %v, want the bad date on line 7", errs)
	}
}

// TestPrefilters checks that the cheap tests before the regular
// expressions never turn away a text the expressions match: every text
// either expression matches passes its prefilter.
func TestPrefilters(t *testing.T) {
	for _, text := range []string{
		"# tfsec:ignore:aws-ec2-no-public-ingress-sgr",
		"cidr = \"0.0.0.0/0\" # TFSEC:IGNORE:AWS-EC2-X:exp:2030-01-01",
		"// trivy:Ignore:AVD-AWS-0107[ws:dev]",
		"#trivy:ignore:*",
		"# checkov:skip=CKV_AWS_260:open on purpose",
		"ingress { # checkov:skip=CKV_AWS_24",
		"name = \"a:b:c\"",
		"arn:aws:iam::123:role/ignore",
		"ignore:",
		":ignore",
		"# checkov:SKIP=CKV_AWS_1",
		"",
	} {
		if peerIgnore.MatchString(text) && !mayIgnore(text) {
			t.Errorf("mayIgnore(%q) = false, but the text holds a peer ignore", text)
		}
		if checkovSkip.MatchString(text) && !maySkip(text) {
			t.Errorf("maySkip(%q) = false, but the text holds a Checkov skip", text)
		}
	}
	for text, want := range map[string]bool{
		"x:IGNORE:y": true, "ignore:": false, "a:ignore": false, "a:b:c": false, "": false, "tfsec:ignore:": true,
	} {
		if got := mayIgnore(text); got != want {
			t.Errorf("mayIgnore(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestMayHold checks the file-level prefilter: true for a source holding a
// suppression of any tool, or a malformed one (whose warning must still
// be reported), false for sources that hold none.
func TestMayHold(t *testing.T) {
	body := "resource \"aws_security_group\" \"g\" {\n  name = \"a:b:c\" # a comment\n}\n"
	for _, tt := range []struct {
		comment string
		want    bool
	}{
		{"# vpclint:ignore SG001 reason=\"ok\"", true},
		{"# vpclint:ignore", true}, // malformed: a warning
		{"// tfsec:ignore:aws-ec2-no-public-ingress-sgr", true},
		{"#TRIVY:IGNORE:AVD-AWS-0107", true},
		{"# trivy:ignore:AVD-AWS-0107:exp:never", true}, // malformed expiry
		{"# checkov:skip=CKV_AWS_24:open on purpose", true},
		{"# ignore this", false},
		{"# vpclint ignore SG001", false},
		{"# checkov:SKIP=CKV_AWS_1", false},
		{"", false},
	} {
		src := []byte(tt.comment + "\n" + body)
		if got := MayHold(src); got != tt.want {
			t.Errorf("MayHold(%q) = %v, want %v", tt.comment, got, tt.want)
		}
		if !tt.want {
			// nothing the readers would find
			lines := strings.Split(string(src), "\n")
			if s, e := Above("f", lines, 2, 4, HCL); len(s)+len(e) > 0 {
				t.Errorf("%q: Above found %v %v, but MayHold is false", tt.comment, s, e)
			}
			if s, e := Within("f", lines, 1, 4); len(s)+len(e) > 0 {
				t.Errorf("%q: Within found %v %v, but MayHold is false", tt.comment, s, e)
			}
		}
	}
}
