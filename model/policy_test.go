package model

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func mustParse(t *testing.T, text string) *Policy {
	t.Helper()
	p, err := ParsePolicy(text)
	if err != nil {
		t.Fatalf("ParsePolicy(%s): %v", text, err)
	}
	return p
}

func TestParsePolicyNormalizesShapes(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Sid":"One","Effect":"Allow","Principal":"*",
		"Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*"],
		"Condition":{"ForAnyValue:StringLikeIfExists":{"aws:PrincipalOrgPaths":"o-abc/*"},"Bool":{"aws:PrincipalIsAWSService":true}}}}`)
	if len(p.Problems) != 0 {
		t.Fatalf("problems: %v", p.Problems)
	}
	if len(p.Statement) != 1 {
		t.Fatalf("a single statement object must become a list of one, got %d", len(p.Statement))
	}
	st := p.Statement[0]
	if !st.PrincipalStar || st.Principal != nil || !st.HasPrincipal {
		t.Errorf("bare \"*\" principal: star=%v map=%v has=%v", st.PrincipalStar, st.Principal, st.HasPrincipal)
	}
	if !slices.Equal(st.Action, []string{"s3:GetObject"}) || !slices.Equal(st.Resource, []string{"arn:aws:s3:::b/*"}) {
		t.Errorf("Action/Resource not lists: %v %v", st.Action, st.Resource)
	}
	if _, ok := st.Condition["ForAnyValue:StringLikeIfExists"]["aws:principalorgpaths"]; !ok {
		t.Errorf("condition keys must be lower-cased, operators kept: %v", st.Condition)
	}
	var set *Condition
	for _, c := range st.Conditions {
		if c.Key == "aws:principalorgpaths" {
			set = c
		}
	}
	if set == nil || set.Base != "StringLike" || set.SetOperator != "ForAnyValue" || !set.IfExists || !slices.Equal(set.Values, []string{"o-abc/*"}) {
		t.Errorf("flattened condition: %+v", set)
	}
	for _, c := range st.Conditions {
		if c.Key == "aws:principalisawsservice" && !slices.Equal(c.Values, []string{"true"}) {
			t.Errorf("bool condition value must become the string \"true\": %v", c.Values)
		}
	}
}

func TestParsePolicyPrincipalForms(t *testing.T) {
	p := mustParse(t, `{"Statement":[
		{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:role/x"]},"Action":"*","Resource":"*"}]}`)
	if p.Statement[0].PrincipalStar {
		t.Errorf(`{"AWS":"*"} must stay distinguishable from "*"`)
	}
	if !slices.Equal(p.Statement[0].Principal["AWS"], []string{"*"}) {
		t.Errorf("typed principal values must be lists: %v", p.Statement[0].Principal)
	}
	if got := p.Statement[1].Principal["AWS"]; len(got) != 2 {
		t.Errorf("principal list: %v", got)
	}
	b, _ := json.Marshal(p.Statement[0])
	if !strings.Contains(string(b), `"principal_star":false`) {
		t.Errorf("principal_star must always be written: %s", b)
	}
}

func TestParsePolicyProblems(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"no statement", `{"Version":"2012-10-17"}`, "no Statement"},
		{"empty statement", `{"Version":"2012-10-17","Statement":[]}`, "Statement is empty"},
		{"bad effect", `{"Statement":[{"Effect":"Permit","Principal":"*","Action":"*","Resource":"*"}]}`, `Effect "Permit"`},
		{"lower-case effect", `{"Statement":[{"Effect":"allow","Principal":"*","Action":"*","Resource":"*"}]}`, `Effect "allow"`},
		{"unknown version", `{"Version":"2012-10-18","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, "unknown Version"},
		{"no action", `{"Statement":[{"Effect":"Allow","Principal":"*","Resource":"*"}]}`, "no Action"},
		{"both action forms", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","NotAction":"s3:*","Resource":"*"}]}`, "both Action and NotAction"},
		{"unknown operator", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEqual":{"aws:PrincipalOrgID":"o-a"}}}]}`, `unknown condition operator "StringEqual"`},
		{"bad set operator", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ForSomeValues:StringLike":{"aws:PrincipalOrgPaths":"o-a/*"}}}]}`, "unknown condition operator"},
		{"unknown element", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Conditions":{}}]}`, `unknown element "Conditions"`},
		{"bad principal", `{"Statement":[{"Effect":"Allow","Principal":"everyone","Action":"*","Resource":"*"}]}`, "Principal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, tc.text)
			if !slices.ContainsFunc(p.Problems, func(s string) bool { return strings.Contains(s, tc.want) }) {
				t.Errorf("problems %q lack %q", p.Problems, tc.want)
			}
		})
	}
}

func TestParsePolicyValidHasNoProblems(t *testing.T) {
	for _, text := range []string{
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`,
		`{"Version":"2008-10-17","Statement":[{"Effect":"Deny","Principal":"*","NotAction":["s3:GetObject"],"Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpc":"vpc-1"},"Null":{"aws:PrincipalOrgID":"false"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]},"IpAddressIfExists":{"aws:VpcSourceIp":"10.0.0.0/8"}}}]}`,
	} {
		if p := mustParse(t, text); len(p.Problems) != 0 {
			t.Errorf("%s: unexpected problems %v", text, p.Problems)
		}
	}
}

func TestParsePolicyLength(t *testing.T) {
	st := `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	text := `{"Version":"2012-10-17","Statement":[` + strings.Repeat(st+",", 300) + st + `]}`
	p := mustParse(t, text)
	if p.Length != len(text) {
		t.Errorf("Length = %d, want %d", p.Length, len(text))
	}
	if !slices.ContainsFunc(p.Problems, func(s string) bool { return strings.Contains(s, "20480") }) {
		t.Errorf("a %d-character policy must be reported too long: %v", len(text), p.Problems)
	}
	// A decoded document (CloudFormation YAML map) gets the length of its
	// compact JSON form.
	var raw map[string]any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		t.Fatal(err)
	}
	q, err := NormalizePolicy(raw, 0)
	if err != nil {
		t.Fatal(err)
	}
	if q.Length < MaxPolicyLength {
		t.Errorf("compact length %d should still exceed the limit", q.Length)
	}
}

func TestParsePolicyNotJSON(t *testing.T) {
	for _, text := range []string{`{"Statement": [`, `[]`, `"x"`, `{} {}`} {
		if _, err := ParsePolicy(text); err == nil {
			t.Errorf("ParsePolicy(%q) should fail", text)
		}
	}
}

func TestPolicyDigest(t *testing.T) {
	a := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)
	b := mustParse(t, `{ "Statement" : { "Resource":["*"], "Action":"*", "Principal":"*", "Effect":"Allow" }, "Version":"2012-10-17" }`)
	c := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`)
	if a.Digest == "" || c.Digest == "" {
		t.Fatal("digest not set")
	}
	if a.Digest == c.Digest {
		t.Error("different policies must have different digests")
	}
	// Same normalized content, different spelling: only the length differs.
	b.Length = a.Length
	b.setDigest()
	if a.Digest != b.Digest {
		t.Errorf("equal normalized policies must have equal digests: %s %s", a.Digest, b.Digest)
	}
}

func TestNormalizePolicyDecodedValues(t *testing.T) {
	// A CloudFormation YAML map decodes numbers and booleans natively.
	raw := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"AWS": int64(111122223333)},
			"Action": "sqs:SendMessage", "Resource": "*",
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": true}, "NumericLessThan": map[string]any{"s3:max-keys": 10}},
		}},
	}
	p, err := NormalizePolicy(raw, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != 0 {
		t.Fatalf("problems: %v", p.Problems)
	}
	st := p.Statement[0]
	if !slices.Equal(st.Principal["AWS"], []string{"111122223333"}) {
		t.Errorf("numeric principal: %v", st.Principal)
	}
	if !slices.Equal(st.Condition["Bool"]["aws:securetransport"], []string{"true"}) || !slices.Equal(st.Condition["NumericLessThan"]["s3:max-keys"], []string{"10"}) {
		t.Errorf("decoded condition values: %v", st.Condition)
	}
	if p.Length == 0 {
		t.Error("length of a decoded document must be computed")
	}
}

// FuzzParsePolicy feeds arbitrary text to the policy parser: it must not
// panic, must fail only on text that is not one JSON object, and must be
// deterministic, since equal policies must have equal digests (the EP rules
// judge each digest once, and the evaluator converts each once).
func FuzzParsePolicy(f *testing.F) {
	for _, seed := range []string{
		`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1","aws:ResourceOrgID":["o-1","o-2"]},"ForAnyValue:StringLikeIfExists":{"aws:PrincipalOrgPaths":"o-1/*"}}}]}`,
		`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::1:root"]},"NotAction":"*","NotResource":"*"}}`,
		`{"Version":"2020-01-01","Statement":[{"Effect":"Maybe","Action":"*","Bogus":1,"Condition":{"Nope":{"k":"v"}}},7]}`,
		`{"Statement":[]}`,
		`[]`,
		`{"a":1} {"b":2}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParsePolicy(text)
		if err != nil {
			if p != nil {
				t.Fatalf("error %v with a policy", err)
			}
			return
		}
		if p.Statement == nil || p.Digest == "" {
			t.Fatalf("parsed policy without statements list or digest: %+v", p)
		}
		again, err := ParsePolicy(text)
		if err != nil || again.Digest != p.Digest {
			t.Fatalf("parsing twice gave digests %q and %q (%v)", p.Digest, again.Digest, err)
		}
	})
}

// TestParsePolicyStatementBound checks that at most MaxPolicyStatements
// statements are read, and that a policy cut short says so.
func TestParsePolicyStatementBound(t *testing.T) {
	st := `{"Effect":"Deny","Principal":"*","Action":"*"}`
	tests := []struct {
		n         int
		truncated bool
	}{
		{1, false},
		{MaxPolicyStatements, false},
		{MaxPolicyStatements + 1, true},
		{10 * MaxPolicyStatements, true},
	}
	for _, tc := range tests {
		text := `{"Version":"2012-10-17","Statement":[` + strings.Repeat(st+",", tc.n-1) + st + `]}`
		p := mustParse(t, text)
		want := min(tc.n, MaxPolicyStatements)
		if len(p.Statement) != want || p.Truncated != tc.truncated {
			t.Errorf("%d statements: read %d (truncated %v), want %d (truncated %v)", tc.n, len(p.Statement), p.Truncated, want, tc.truncated)
		}
		said := slices.ContainsFunc(p.Problems, func(s string) bool { return strings.Contains(s, "vpclint read the first") })
		if said != tc.truncated {
			t.Errorf("%d statements: problems %v", tc.n, p.Problems)
		}
		if p.Length != len(text) {
			t.Errorf("%d statements: length %d, want %d (the whole text)", tc.n, p.Length, len(text))
		}
	}
	// Characters, not bytes, count towards the limit.
	if p := mustParse(t, `{"Statement":[{"Sid":"é","Effect":"Allow","Principal":"*","Action":"*"}]}`); p.Length != 73 {
		t.Errorf("length %d, want 73 characters (74 bytes)", p.Length)
	}
}
