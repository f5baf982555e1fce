package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxPolicyLength is AWS's limit on an endpoint policy, white space
// included ("The size of an endpoint policy cannot exceed 20,480
// characters, including white space":
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
// AWS rejects a longer policy, so rules do not judge its content: EP006
// reports it.
const MaxPolicyLength = 20480

// MaxPolicyStatements bounds the statements read from one policy. The
// shortest statement an endpoint policy can hold ({"Effect":"Deny",
// "Principal":"*","Action":"*"}) is 47 characters, so no policy within
// MaxPolicyLength has more than about 430; a longer document is invalid
// anyway, and reading it stops here, so its cost is bounded whatever
// its size.
const MaxPolicyStatements = 1000

// Policy is an endpoint policy parsed and normalized so rules need not care
// how it was spelled: Statement is always a list; Action, NotAction,
// Resource and NotResource are always lists; principals keep `"*"` apart
// from `{"AWS":"*"}`; condition keys are lower-cased (IAM compares them
// case-insensitively) while operators keep their case (IAM does not).
type Policy struct {
	Version   string       `json:"Version,omitempty"`
	ID        string       `json:"Id,omitempty"`
	Statement []*Statement `json:"Statement"`
	// Problems are reasons the policy is invalid for AWS (unknown
	// Version, Effect not Allow/Deny, too long ...). EP006 reports them.
	Problems []string `json:"problems,omitempty"`
	// Length is the policy's character count as written.
	Length int `json:"length"`
	// Truncated is set when the policy has more than MaxPolicyStatements
	// statements: Statement holds the first ones only (and Problems says
	// so).
	Truncated bool `json:"truncated,omitempty"`
	// Digest identifies the normalized policy (a hash of its JSON form):
	// equal policies have equal digests, so rules judge each distinct
	// policy once however many endpoints carry it, and the evaluator
	// converts it to Rego once. It is set when the policy is parsed; a
	// policy changed afterwards needs a new one (or none).
	Digest string `json:"digest,omitempty"`
}

// Statement is one normalized policy statement.
type Statement struct {
	Sid    string `json:"Sid,omitempty"`
	Effect string `json:"Effect"`
	// Principal and NotPrincipal: PrincipalStar is true for the bare
	// string "*"; the map holds typed principals ({"AWS": ["*"]}) with
	// every value a list.
	PrincipalStar    bool                           `json:"principal_star"`
	Principal        map[string][]string            `json:"Principal,omitempty"`
	NotPrincipalStar bool                           `json:"not_principal_star,omitempty"`
	NotPrincipal     map[string][]string            `json:"NotPrincipal,omitempty"`
	HasPrincipal     bool                           `json:"has_principal"`
	HasNotPrincipal  bool                           `json:"has_not_principal"`
	Action           []string                       `json:"Action,omitzero"`
	NotAction        []string                       `json:"NotAction,omitzero"`
	Resource         []string                       `json:"Resource,omitzero"`
	NotResource      []string                       `json:"NotResource,omitzero"`
	Condition        map[string]map[string][]string `json:"Condition,omitempty"`
	// Conditions is Condition flattened, one entry per operator and key,
	// with the operator taken apart.
	Conditions []*Condition `json:"conditions,omitzero"`
}

// Condition is one operator/key pair of a statement's Condition block.
type Condition struct {
	// Operator as written, e.g. "ForAnyValue:StringLikeIfExists".
	Operator string `json:"operator"`
	// Base is the operator without set prefix and IfExists: "StringLike".
	Base string `json:"base"`
	// SetOperator is "ForAnyValue", "ForAllValues" or "".
	SetOperator string `json:"set_operator,omitempty"`
	IfExists    bool   `json:"if_exists"`
	// Key is lower-cased: "aws:principalorgid".
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// ParsePolicy parses an endpoint policy document. It returns an error only
// when the text is not a JSON object; structural problems AWS would reject
// are recorded in Policy.Problems.
func ParsePolicy(text string) (*Policy, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("policy is not a JSON object: %w", err)
	}
	if dec.More() {
		return nil, errors.New("policy has trailing data after the JSON object")
	}
	return NormalizePolicy(raw, utf8.RuneCountInString(text))
}

// NormalizePolicy normalizes an already decoded policy document (a
// CloudFormation YAML map, a Terraform jsonencode value). length is the
// character count of its text form, or 0 to compute it from compact JSON.
func NormalizePolicy(raw map[string]any, length int) (*Policy, error) {
	if raw == nil {
		return nil, errors.New("policy is empty")
	}
	if length == 0 {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(raw); err == nil {
			length = utf8.RuneCount(bytes.TrimSpace(buf.Bytes()))
		}
	}
	p := &Policy{Statement: []*Statement{}, Length: length}
	if length > MaxPolicyLength {
		p.Problems = append(p.Problems, fmt.Sprintf("policy is %d characters long; AWS allows at most %d", length, MaxPolicyLength))
	}
	for k, v := range raw {
		switch k {
		case "Version":
			s, _ := v.(string)
			p.Version = s
			if s != "2012-10-17" && s != "2008-10-17" {
				p.Problems = append(p.Problems, fmt.Sprintf("unknown Version %q (use 2012-10-17)", fmt.Sprint(v)))
			}
		case "Id":
			p.ID = fmt.Sprint(v)
		case "Statement":
		default:
			p.Problems = append(p.Problems, fmt.Sprintf("unknown top-level element %q", k))
		}
	}
	st, ok := raw["Statement"]
	if !ok {
		p.Problems = append(p.Problems, "policy has no Statement")
		sort.Strings(p.Problems)
		p.setDigest()
		return p, nil
	}
	var list []any
	switch s := st.(type) {
	case []any:
		list = s
	case map[string]any:
		list = []any{s}
	default:
		p.Problems = append(p.Problems, "Statement is neither an object nor a list")
	}
	if st != nil && len(list) == 0 && p.Problems == nil {
		p.Problems = append(p.Problems, "Statement is empty")
	}
	if len(list) > MaxPolicyStatements {
		p.Problems = append(p.Problems, fmt.Sprintf("it has %d statements; vpclint read the first %d", len(list), MaxPolicyStatements))
		p.Truncated = true
		list = list[:MaxPolicyStatements]
	}
	p.Statement = make([]*Statement, 0, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			p.Problems = append(p.Problems, fmt.Sprintf("Statement[%d] is not an object", i))
			continue
		}
		s, probs := normalizeStatement(m)
		for _, pr := range probs {
			p.Problems = append(p.Problems, fmt.Sprintf("Statement[%d]: %s", i, pr))
		}
		p.Statement = append(p.Statement, s)
	}
	sort.Strings(p.Problems)
	p.setDigest()
	return p, nil
}

// setDigest hashes the normalized policy (problems and length included).
func (p *Policy) setDigest() {
	p.Digest = ""
	b, err := json.Marshal(p)
	if err != nil {
		return
	}
	sum := sha256.Sum256(b)
	p.Digest = hex.EncodeToString(sum[:16])
}

func normalizeStatement(m map[string]any) (*Statement, []string) {
	var probs []string
	s := &Statement{}
	for k, v := range m {
		var err error
		switch k {
		case "Sid":
			s.Sid = fmt.Sprint(v)
		case "Effect":
			e, _ := v.(string)
			s.Effect = e
			if e != "Allow" && e != "Deny" {
				probs = append(probs, fmt.Sprintf("Effect %q is not Allow or Deny", fmt.Sprint(v)))
			}
		case "Principal":
			s.HasPrincipal = true
			s.PrincipalStar, s.Principal, err = normalizePrincipal(v)
		case "NotPrincipal":
			s.HasNotPrincipal = true
			s.NotPrincipalStar, s.NotPrincipal, err = normalizePrincipal(v)
		case "Action":
			s.Action, err = stringList(v)
		case "NotAction":
			s.NotAction, err = stringList(v)
		case "Resource":
			s.Resource, err = stringList(v)
		case "NotResource":
			s.NotResource, err = stringList(v)
		case "Condition":
			s.Condition, s.Conditions, err = normalizeCondition(v)
		default:
			probs = append(probs, fmt.Sprintf("unknown element %q", k))
		}
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", k, err))
		}
	}
	if _, ok := m["Effect"]; !ok {
		probs = append(probs, "no Effect")
	}
	if s.Action == nil && s.NotAction == nil {
		probs = append(probs, "no Action or NotAction")
	}
	// IAM rejects a statement that has an element and its Not form.
	for _, pair := range [][2]string{{"Action", "NotAction"}, {"Resource", "NotResource"}, {"Principal", "NotPrincipal"}} {
		_, a := m[pair[0]]
		_, b := m[pair[1]]
		if a && b {
			probs = append(probs, fmt.Sprintf("both %s and %s", pair[0], pair[1]))
		}
	}
	for _, c := range s.Conditions {
		if !knownOperator(c) {
			probs = append(probs, fmt.Sprintf("unknown condition operator %q", c.Operator))
		}
	}
	return s, probs
}

// conditionOperators are IAM's condition operators (without IfExists and
// set prefixes), as the IAM User Guide lists them. Operators are
// case-sensitive.
var conditionOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true,
	"StringNotEqualsIgnoreCase": true, "StringLike": true, "StringNotLike": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true,
	"NumericLessThanEquals": true, "NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"DateEquals": true, "DateNotEquals": true, "DateLessThan": true, "DateLessThanEquals": true,
	"DateGreaterThan": true, "DateGreaterThanEquals": true, "Bool": true, "BinaryEquals": true,
	"IpAddress": true, "NotIpAddress": true, "ArnEquals": true, "ArnLike": true,
	"ArnNotEquals": true, "ArnNotLike": true, "Null": true,
}

// knownOperator reports whether IAM knows the condition's operator: a base
// operator, optionally with IfExists (not on Null) and a ForAnyValue or
// ForAllValues prefix.
func knownOperator(c *Condition) bool {
	if !conditionOperators[c.Base] {
		return false
	}
	if c.IfExists && c.Base == "Null" {
		return false
	}
	switch c.SetOperator {
	case "", "ForAnyValue", "ForAllValues":
		return true
	}
	return false
}

func normalizePrincipal(v any) (bool, map[string][]string, error) {
	switch p := v.(type) {
	case string:
		if p == "*" {
			return true, nil, nil
		}
		return false, nil, fmt.Errorf("principal %q must be \"*\" or an object", p)
	case map[string]any:
		out := map[string][]string{}
		// In key order: the first bad value is the one reported, and the
		// report is part of the digest.
		for _, k := range slices.Sorted(maps.Keys(p)) {
			val := p[k]
			l, err := stringList(val)
			if err != nil {
				return false, nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = l
		}
		return false, out, nil
	default:
		return false, nil, fmt.Errorf("principal is neither \"*\" nor an object")
	}
}

func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case json.Number, bool, float64, int, int64, uint64:
		return []string{fmt.Sprint(x)}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			switch y := e.(type) {
			case string:
				out = append(out, y)
			case json.Number, bool, float64, int, int64, uint64:
				out = append(out, fmt.Sprint(y))
			default:
				return nil, fmt.Errorf("list element %v is not a string", e)
			}
		}
		return out, nil
	case []string:
		return append([]string{}, x...), nil
	default:
		return nil, fmt.Errorf("value is neither a string nor a list")
	}
}

func normalizeCondition(v any) (map[string]map[string][]string, []*Condition, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, errors.New("Condition is not an object")
	}
	out := map[string]map[string][]string{}
	var flat []*Condition
	ops := make([]string, 0, len(m))
	for op := range m {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		keys, ok := m[op].(map[string]any)
		if !ok {
			return nil, nil, fmt.Errorf("operator %s is not an object", op)
		}
		inner := out[op]
		if inner == nil {
			inner = map[string][]string{}
			out[op] = inner
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			vals, err := stringList(keys[k])
			if err != nil {
				return nil, nil, fmt.Errorf("%s %s: %w", op, k, err)
			}
			lk := strings.ToLower(k)
			inner[lk] = append(inner[lk], vals...)
			flat = append(flat, splitOperator(op, lk, vals))
		}
	}
	return out, flat, nil
}

func splitOperator(op, key string, vals []string) *Condition {
	c := &Condition{Operator: op, Key: key, Values: vals}
	base := op
	if i := strings.Index(base, ":"); i >= 0 {
		c.SetOperator = base[:i]
		base = base[i+1:]
	}
	if strings.HasSuffix(base, "IfExists") {
		c.IfExists = true
		base = strings.TrimSuffix(base, "IfExists")
	}
	c.Base = base
	return c
}
