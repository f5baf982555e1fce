package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/vpclint/vpclint/loader"
	"github.com/zclconf/go-cty/cty"
)

// dataValue is the value of a data source instance: known only when it
// follows from configuration alone (aws_iam_policy_document, aws_region,
// aws_partition, aws_caller_identity, aws_vpc_endpoint_service with a
// known region); every other data source is unknown.
func (mi *modInst) dataValue(inst *resInst) cty.Value {
	obj := inst.body.fields()
	region := mi.regionValue()
	str := func(s string, ok bool) cty.Value {
		if !ok {
			return cty.UnknownVal(cty.String)
		}
		return cty.StringVal(s)
	}
	regionStr, regionKnown := "", false
	if region.IsKnown() && !region.IsNull() && region.Type() == cty.String {
		regionStr, regionKnown = region.AsString(), true
	}
	switch inst.def.typ {
	case "aws_region":
		if a, ok := inst.body.attrs.get("name"); ok && !(a.val.IsKnown() && a.val.IsNull()) {
			region = a.val
		} else if a, ok := inst.body.attrs.get("region"); ok && !(a.val.IsKnown() && a.val.IsNull()) {
			region = a.val
		}
		if region.Type() != cty.String && region.IsKnown() {
			region = cty.UnknownVal(cty.String)
		}
		obj["name"], obj["region"], obj["id"] = region, region, region
		obj["endpoint"] = cty.UnknownVal(cty.String)
		obj["description"] = cty.UnknownVal(cty.String)
	case "aws_partition":
		p := loader.PartitionOf(regionStr)
		obj["partition"], obj["id"] = str(p.Name, regionKnown), str(p.Name, regionKnown)
		obj["dns_suffix"] = str(p.DNSSuffix, regionKnown)
		obj["reverse_dns_prefix"] = str(p.ReverseDNSPrefix(), regionKnown)
	case "aws_caller_identity":
		acct := mi.u.opts.Account
		obj["account_id"], obj["id"] = str(acct, acct != ""), str(acct, acct != "")
		obj["arn"] = cty.UnknownVal(cty.String)
		obj["user_id"] = cty.UnknownVal(cty.String)
	case "aws_vpc_endpoint_service":
		name := cty.UnknownVal(cty.String)
		if a, ok := inst.body.attrs.get("service_name"); ok && !(a.val.IsKnown() && a.val.IsNull()) {
			name = a.val
		} else if a, ok := inst.body.attrs.get("service"); ok {
			svc := a.val
			if svc.IsKnown() && !svc.IsNull() && svc.Type() == cty.String && regionKnown {
				rev := loader.PartitionOf(regionStr).ReverseDNSPrefix()
				name = cty.StringVal(rev + "." + regionStr + "." + svc.AsString())
			}
		}
		obj["service_name"] = name
		obj["id"] = cty.UnknownVal(cty.String)
	case "aws_iam_policy_document":
		doc, ok := renderPolicyDocument(inst.body)
		if ok {
			obj["json"] = cty.StringVal(doc)
			var buf bytes.Buffer
			if json.Compact(&buf, []byte(doc)) == nil {
				obj["minified_json"] = cty.StringVal(buf.String())
			} else {
				obj["minified_json"] = cty.UnknownVal(cty.String)
			}
		} else {
			obj["json"] = cty.UnknownVal(cty.String)
			obj["minified_json"] = cty.UnknownVal(cty.String)
		}
		obj["id"] = cty.UnknownVal(cty.String)
	case "aws_availability_zones":
		// The zones of a region are only known at plan time. They are
		// taken as symbolicZones distinct zones whose names say where
		// they come from, so subnets spread over them stay apart (see
		// Subnet.AZRef); nothing else about them is assumed.
		// names[i] and zone_ids[i] are the same zone: both read as the
		// names[i] reference.
		base := "data." + inst.def.typ + "." + inst.def.name
		vals := make([]cty.Value, symbolicZones)
		for i := range vals {
			vals[i] = cty.StringVal(fmt.Sprintf("%s%s.names[%d]", azRefPrefix, base, i))
		}
		obj["names"], obj["zone_ids"] = cty.ListVal(vals), cty.ListVal(vals)
		obj["id"] = cty.UnknownVal(cty.String)
	default:
		return cty.DynamicVal
	}
	for attr := range mi.def.phantom[inst.def.key()] {
		if _, ok := obj[attr]; !ok {
			obj[attr] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(obj)
}

// symbolicZones is how many zones data.aws_availability_zones yields:
// every commercial region has at least three.
const symbolicZones = 3

// azRefPrefix marks a symbolic zone name. It reads like a zone name to
// expressions that test for one (^[a-z]{2}-).
const azRefPrefix = "az-ref:"

// regionValue is the AWS provider's region, else --region, else
// AWS_REGION or AWS_DEFAULT_REGION, else unknown.
func (mi *modInst) regionValue() cty.Value {
	if mi.region != cty.NilVal && mi.region.IsKnown() && !mi.region.IsNull() && mi.region.Type() == cty.String {
		return mi.region
	}
	if r := mi.u.opts.Region; r != "" {
		return cty.StringVal(r)
	}
	if r := mi.u.envRegion(); r != "" {
		return cty.StringVal(r)
	}
	return cty.UnknownVal(cty.String)
}

// envRegion is the region the AWS provider would take from the
// environment when its block names none.
func (u *unit) envRegion() string {
	env := u.opts.Env
	if env == nil {
		env = os.Environ()
	}
	vals := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vals[k] = v
		}
	}
	if r := vals["AWS_REGION"]; r != "" {
		return r
	}
	return vals["AWS_DEFAULT_REGION"]
}

// renderPolicyDocument renders an aws_iam_policy_document as the provider
// does: statements in order, single values as strings, lists sorted (the
// provider keeps them as sets), indented JSON.
func renderPolicyDocument(b *evalBody) (string, bool) {
	// statementsIn reads the statements of the JSON documents an
	// attribute holds.
	statementsIn := func(name string) ([]policyStatement, bool) {
		a, ok := b.attrs.get(name)
		if !ok {
			return nil, true
		}
		docs, ok := stringListValue(a.val)
		if !ok {
			return nil, false
		}
		var out []policyStatement
		for _, d := range docs {
			st, ok := statementsOf(d)
			if !ok {
				return nil, false
			}
			out = append(out, st...)
		}
		return out, true
	}
	// source documents come first; override documents replace statements
	// with the same Sid.
	statements, ok1 := statementsIn("source_policy_documents")
	source, ok2 := statementsIn("source_json")
	list, known := b.nested("statement")
	if !ok1 || !ok2 || !known {
		return "", false
	}
	statements = append(statements, source...)
	for _, sb := range list {
		s, ok := statementOf(sb)
		if !ok {
			return "", false
		}
		statements = append(statements, s)
	}
	overrides, ok := statementsIn("override_policy_documents")
	if !ok {
		return "", false
	}
	for _, o := range overrides {
		sid, _ := o.Sid.(string)
		replaced := false
		for i := range statements {
			if sid != "" && statements[i].Sid == sid {
				statements[i], replaced = o, true
			}
		}
		if !replaced {
			statements = append(statements, o)
		}
	}
	version, ok := optString(b, "version")
	if !ok {
		return "", false
	}
	if version == "" {
		version = "2012-10-17"
	}
	doc := policyDoc{Version: version, Statement: statements}
	if doc.Statement == nil {
		doc.Statement = []policyStatement{}
	}
	if id, ok := optString(b, "policy_id"); ok {
		doc.ID = id
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", false
	}
	return string(out), true
}

// statementOf renders one statement block.
func statementOf(sb *evalBody) (policyStatement, bool) {
	var s policyStatement
	sid, ok1 := optString(sb, "sid")
	eff, ok2 := optString(sb, "effect")
	if !ok1 || !ok2 {
		return s, false
	}
	if sid != "" {
		s.Sid = sid
	}
	if eff == "" {
		eff = "Allow"
	}
	s.Effect = eff
	for _, f := range []struct {
		name string
		to   *any
	}{{"actions", &s.Action}, {"not_actions", &s.NotAction}, {"resources", &s.Resource}, {"not_resources", &s.NotResource}} {
		a, ok := sb.attrs.get(f.name)
		if !ok || a.val.IsNull() {
			continue
		}
		l, ok := stringListValue(a.val)
		if !ok {
			return s, false
		}
		if len(l) > 0 {
			*f.to = oneOrList(l)
		}
	}
	for _, f := range []struct {
		name string
		to   *any
	}{{"principals", &s.Principal}, {"not_principals", &s.NotPrincipal}} {
		pl, known := sb.nested(f.name)
		if !known {
			return s, false
		}
		if len(pl) == 0 {
			continue
		}
		pm := map[string][]string{}
		star := false
		for _, p := range pl {
			typ, ok := optString(p, "type")
			if !ok {
				return s, false
			}
			a, has := p.attrs.get("identifiers")
			if !has {
				continue
			}
			ids, ok := stringListValue(a.val)
			if !ok {
				return s, false
			}
			if typ == "*" {
				star = true
				continue
			}
			pm[typ] = append(pm[typ], ids...)
		}
		if star && len(pm) == 0 {
			*f.to = "*"
			continue
		}
		out := map[string]any{}
		for k, v := range pm {
			sort.Strings(v)
			out[k] = oneOrList(v)
		}
		*f.to = out
	}
	cl, known := sb.nested("condition")
	if !known {
		return s, false
	}
	if len(cl) > 0 {
		cond := map[string]map[string]any{}
		for _, c := range cl {
			test, ok1 := optString(c, "test")
			variable, ok2 := optString(c, "variable")
			a, has := c.attrs.get("values")
			if !ok1 || !ok2 || !has {
				return s, false
			}
			vals, ok := stringListValue(a.val)
			if !ok {
				return s, false
			}
			if cond[test] == nil {
				cond[test] = map[string]any{}
			}
			switch p := cond[test][variable].(type) {
			case string:
				vals = append([]string{p}, vals...)
			case []string:
				vals = append(p, vals...)
			}
			cond[test][variable] = oneOrList(vals)
		}
		s.Condition = cond
	}
	return s, true
}

// policyDoc and policyStatement marshal as the provider writes a policy
// document: in its key order, indented by two spaces, keys it does not
// know dropped.
type policyDoc struct {
	Version   string            `json:"Version"`
	ID        string            `json:"Id,omitempty"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid          any `json:"Sid,omitempty"`
	Effect       any `json:"Effect,omitempty"`
	Action       any `json:"Action,omitempty"`
	NotAction    any `json:"NotAction,omitempty"`
	Resource     any `json:"Resource,omitempty"`
	NotResource  any `json:"NotResource,omitempty"`
	Principal    any `json:"Principal,omitempty"`
	NotPrincipal any `json:"NotPrincipal,omitempty"`
	Condition    any `json:"Condition,omitempty"`
}

func oneOrList(l []string) any {
	if len(l) == 1 {
		return l[0]
	}
	out := append([]string{}, l...)
	sort.Strings(out)
	return out
}

// statementsOf reads the statements of a JSON policy document; a
// statement that is not an object makes the document one the provider
// would refuse, so its rendering is unknown.
func statementsOf(doc string) ([]policyStatement, bool) {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, false
	}
	var list []any
	switch s := m["Statement"].(type) {
	case []any:
		list = s
	case map[string]any:
		list = []any{s}
	case nil:
	default:
		return nil, false
	}
	out := make([]policyStatement, len(list))
	for i, st := range list {
		m, ok := st.(map[string]any)
		if !ok {
			return nil, false
		}
		out[i] = policyStatement{Sid: m["Sid"], Effect: m["Effect"], Action: m["Action"], NotAction: m["NotAction"],
			Resource: m["Resource"], NotResource: m["NotResource"], Principal: m["Principal"], NotPrincipal: m["NotPrincipal"], Condition: m["Condition"]}
	}
	return out, true
}

func optString(b *evalBody, name string) (string, bool) {
	a, ok := b.attrs.get(name)
	if !ok {
		return "", true
	}
	if a.val.IsNull() && a.val.IsKnown() {
		return "", true
	}
	return stringValue(a.val)
}

// stringValue reads a known string (numbers and bools as Terraform
// converts them).
func stringValue(v cty.Value) (string, bool) {
	if !v.IsKnown() || v.IsNull() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return numberText(v.AsBigFloat()), true
	case cty.Bool:
		if v.True() {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// numberText writes a number as Terraform does. Whole numbers (ports,
// rule numbers: nearly all) take the cheap way: big.Float.Text finds the
// shortest decimal form digit by digit, which cost 12 % of the loader's
// CPU at 5,000 security groups.
func numberText(f *big.Float) string {
	if i, acc := f.Int64(); acc == big.Exact {
		return strconv.FormatInt(i, 10)
	}
	return f.Text('f', -1)
}

// stringListValue reads a known list, set or tuple of strings; a single
// string reads as a list of one.
func stringListValue(v cty.Value) ([]string, bool) {
	if !v.IsWhollyKnown() {
		return nil, false
	}
	if v.IsNull() {
		return []string{}, true
	}
	if v.Type() == cty.String {
		return []string{v.AsString()}, true
	}
	if !v.CanIterateElements() || v.Type().IsObjectType() || v.Type().IsMapType() {
		return nil, false
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			continue
		}
		s, ok := stringValue(e)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}
