package suppress

import (
	"reflect"
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
