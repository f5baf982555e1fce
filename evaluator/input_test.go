package evaluator

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpclint/vpclint/model"
)

// fill sets v (recursively) to random values: pointers, slices and maps
// are nil, empty or filled, scalars zero or not, so that every omitempty
// and omitzero branch is taken over a few seeds.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 6 || r.IntN(4) == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(r, v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		switch r.IntN(3) {
		case 0:
			return
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			n := 1 + r.IntN(3)
			s := reflect.MakeSlice(v.Type(), n, n)
			for i := 0; i < n; i++ {
				fill(r, s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch r.IntN(3) {
		case 0:
			return
		case 1:
			v.Set(reflect.MakeMap(v.Type()))
		default:
			m := reflect.MakeMap(v.Type())
			for i := 0; i < 1+r.IntN(3); i++ {
				k := reflect.New(v.Type().Key()).Elem()
				k.SetString(fmt.Sprintf("k%d", i))
				e := reflect.New(v.Type().Elem()).Elem()
				fill(r, e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.String:
		if r.IntN(3) > 0 {
			v.SetString(fmt.Sprintf("s%d\"é\n", r.IntN(100)))
		}
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		if r.IntN(3) > 0 {
			v.SetInt(int64(r.IntN(70000) - 2))
		}
	}
}

// TestInputValueMatchesJSON checks that the direct conversion gives the
// model's JSON form exactly, on randomly filled models.
func TestInputValueMatchesJSON(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		m := &model.Model{}
		fill(r, reflect.ValueOf(m).Elem(), 0)
		// A random digest does not hash its policy, as model.Policy
		// requires (the converter shares policies by digest).
		for _, ep := range m.VPCEndpoints {
			if ep != nil && ep.Policy != nil {
				ep.Policy.Digest = ""
			}
		}
		sameAsJSON(t, m, fmt.Sprintf("seed %d", seed))
	}
	sameAsJSON(t, benchModel(50), "bench model")
}

// sameAsJSON fails the test when InputValue(m) is not m's JSON form.
func sameAsJSON(t *testing.T, m *model.Model, what string) {
	t.Helper()
	got, err := InputValue(m)
	if err != nil {
		t.Fatal(err)
	}
	want, err := inputValueJSON(m)
	if err != nil {
		t.Fatal(err)
	}
	if got.Compare(want) != 0 {
		t.Fatalf("%s: direct conversion differs from JSON:\n got %v\nwant %v", what, got, want)
	}
}

// TestInputValueSharesPolicies checks that endpoints whose policies are
// equal but parsed apart (distinct pointers, the same digest) convert as
// through JSON, and that a policy with another digest is not confused
// with them.
func TestInputValueSharesPolicies(t *testing.T) {
	doc := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`
	other := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}]}`
	m := model.New("policies", model.FormatTerraform)
	for i, d := range []string{doc, doc, other, doc} {
		p, err := model.ParsePolicy(d)
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("aws_vpc_endpoint.e%d", i)
		m.VPCEndpoints = append(m.VPCEndpoints, &model.VPCEndpoint{Meta: model.Meta{ID: id, Address: id}, Policy: p})
	}
	if m.VPCEndpoints[0].Policy == m.VPCEndpoints[1].Policy || m.VPCEndpoints[0].Policy.Digest != m.VPCEndpoints[1].Policy.Digest {
		t.Fatal("test needs distinct pointers with one digest")
	}
	sameAsJSON(t, m, "policies shared by digest")
}

// TestInputValueArraysStayApart checks that arrays cut from one slab of
// element pointers are independent: OPA's Array.Append reuses the
// capacity of the slice it was built on, so an array whose slice reached
// into its neighbour's elements would overwrite them.
func TestInputValueArraysStayApart(t *testing.T) {
	tests := []struct {
		name   string
		blocks [][]string
	}{
		{"two short lists", [][]string{{"10.0.0.0/8"}, {"192.168.0.0/16", "172.16.0.0/12"}}},
		{"an empty list between", [][]string{{"10.0.0.0/8"}, {}, {"192.168.0.0/16"}}},
		{"lists beyond a slab", [][]string{make([]string, slabSize/4+1), {"10.0.0.0/8"}, make([]string, slabSize-1), {"192.168.0.0/16"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := model.New("apart", model.FormatTerraform)
			for i, b := range tt.blocks {
				id := fmt.Sprintf("aws_security_group.g%d", i)
				m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{Meta: model.Meta{ID: id, Address: id}, Ingress: []*model.SGRule{{Protocol: "tcp", CIDRBlocks: b}}})
			}
			in, err := InputValue(m)
			if err != nil {
				t.Fatal(err)
			}
			groups := in.(ast.Object).Get(ast.StringTerm("security_groups")).Value.(*ast.Array)
			var blocks []*ast.Array
			for i := range groups.Len() {
				rule := groups.Elem(i).Value.(ast.Object).Get(ast.StringTerm("ingress")).Value.(*ast.Array).Elem(0)
				blocks = append(blocks, rule.Value.(ast.Object).Get(ast.StringTerm("cidr_blocks")).Value.(*ast.Array))
			}
			before := groups.String()
			for _, b := range blocks {
				b.Append(ast.StringTerm("0.0.0.0/0"))
			}
			if after := groups.String(); after != before {
				t.Errorf("appending to each group's blocks changed the groups:\nbefore %s\n after %s", before, after)
			}
		})
	}
}

// TestInputValueInternsOnlyEqual checks that flat values that differ in
// one field, however slightly, are not taken for one another by the
// intern tables: each variant of a rule is converted as through JSON.
func TestInputValueInternsOnlyEqual(t *testing.T) {
	zero, one, empty, text := 0, 1, "", "x"
	base := func() *model.SGRule {
		return &model.SGRule{Protocol: "tcp", FromPort: &one, ToPort: &one, CIDRBlocks: []string{"a", "b"}}
	}
	variants := []struct {
		name   string
		change func(r *model.SGRule)
	}{
		{"as is", func(*model.SGRule) {}},
		{"no blocks (null)", func(r *model.SGRule) { r.CIDRBlocks = nil }},
		{"empty blocks", func(r *model.SGRule) { r.CIDRBlocks = []string{} }},
		{"blocks joined", func(r *model.SGRule) { r.CIDRBlocks = []string{"ab"} }},
		{"blocks split", func(r *model.SGRule) { r.CIDRBlocks = []string{"a", "", "b"} }},
		{"port zero", func(r *model.SGRule) { r.FromPort = &zero }},
		{"no port", func(r *model.SGRule) { r.FromPort = nil }},
		{"empty description", func(r *model.SGRule) { r.Description = &empty }},
		{"description", func(r *model.SGRule) { r.Description = &text }},
		{"self", func(r *model.SGRule) { r.Self = true }},
		{"other protocol", func(r *model.SGRule) { r.Protocol = "udp" }},
		{"blocks moved to IPv6", func(r *model.SGRule) { r.CIDRBlocks, r.IPv6CIDRBlocks = nil, []string{"a", "b"} }},
	}
	m := model.New("variants", model.FormatTerraform)
	for round := range 3 {
		for i, v := range variants {
			r := base()
			v.change(r)
			id := fmt.Sprintf("aws_security_group.g%d_%d", round, i)
			m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{Meta: model.Meta{ID: id, Address: id}, Ingress: []*model.SGRule{r}})
		}
	}
	sameAsJSON(t, m, "rule variants")
}
