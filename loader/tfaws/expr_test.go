package tfaws

import (
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// ctxEval is an Evaluator over a plain evaluation context, as the HCL
// loader's is over a module's.
type ctxEval struct {
	ctx    *hcl.EvalContext
	locals map[string]string
}

func (e ctxEval) Value(x hcl.Expression) cty.Value {
	v, diags := x.Value(e.ctx)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

func (e ctxEval) IDs(x hcl.Expression) ([]string, bool) { return IDsOf(e.Value(x)) }

func (e ctxEval) Elems(c hcl.Expression, rest hcl.Traversal) ([]string, bool) {
	v := e.Value(c)
	if !v.IsKnown() || !v.CanIterateElements() {
		return nil, false
	}
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, el := it.Element()
		if len(rest) > 0 {
			var diags hcl.Diagnostics
			if el, diags = rest.TraverseRel(el); diags.HasErrors() {
				return nil, false
			}
		}
		ids, ok := IDsOf(el)
		if !ok {
			return nil, false
		}
		out = append(out, ids...)
	}
	return out, true
}

func (e ctxEval) Refs(hcl.Expression) ([]string, bool) { return nil, false }

func (e ctxEval) Local(name string) (hcl.Expression, Evaluator, bool) {
	src, ok := e.locals[name]
	if !ok {
		return nil, nil, false
	}
	x, diags := hclsyntax.ParseExpression([]byte(src), "locals.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, nil, false
	}
	return x, e, true
}

func instance(addr string) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal(addr), "arn": cty.UnknownVal(cty.String)})
}

func testEval() ctxEval {
	return ctxEval{
		ctx: &hcl.EvalContext{Variables: map[string]cty.Value{
			"var": cty.ObjectVal(map[string]cty.Value{
				"region": cty.UnknownVal(cty.String), "c": cty.UnknownVal(cty.Bool), "k": cty.UnknownVal(cty.String),
				"endpoint_id": cty.UnknownVal(cty.String), "fmt": cty.UnknownVal(cty.String),
				"known": cty.StringVal("eu-west-1"),
			}),
			"aws_vpc_endpoint": cty.ObjectVal(map[string]cty.Value{
				"a": instance("aws_vpc_endpoint.a"),
				"b": instance("aws_vpc_endpoint.b"),
				"this": cty.ObjectVal(map[string]cty.Value{
					"kms": instance(`aws_vpc_endpoint.this["kms"]`),
					"sqs": instance(`aws_vpc_endpoint.this["sqs"]`),
				}),
			}),
			"data": cty.ObjectVal(map[string]cty.Value{
				"aws_vpc_endpoint_service": cty.ObjectVal(map[string]cty.Value{
					"s3": cty.ObjectVal(map[string]cty.Value{"service": cty.StringVal("s3"), "service_type": cty.StringVal("Gateway"), "service_name": cty.UnknownVal(cty.String)}),
					"this": cty.ObjectVal(map[string]cty.Value{
						"kms": cty.ObjectVal(map[string]cty.Value{"service": cty.StringVal("kms"), "service_name": cty.UnknownVal(cty.String)}),
					}),
					"custom": cty.ObjectVal(map[string]cty.Value{"service_name": cty.UnknownVal(cty.String)}),
				}),
			}),
			"each": cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal("kms")}),
		}},
		locals: map[string]string{"region": "var.region", "name": `"com.amazonaws.${var.region}.logs"`},
	}
}

func parse(t *testing.T, src string) hcl.Expression {
	t.Helper()
	x, diags := hclsyntax.ParseExpression([]byte(src), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", src, diags)
	}
	return x
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		expr string
		want []string
		ok   bool
	}{
		{`aws_vpc_endpoint.a.id`, []string{"aws_vpc_endpoint.a"}, true},
		// both branches name one endpoint: it is that endpoint
		{`var.c ? aws_vpc_endpoint.a.id : aws_vpc_endpoint.a.id`, []string{"aws_vpc_endpoint.a"}, true},
		{`var.c ? aws_vpc_endpoint.a.id : aws_vpc_endpoint.b.id`, []string{"aws_vpc_endpoint.a", "aws_vpc_endpoint.b"}, true},
		{`(var.c ? aws_vpc_endpoint.a.id : null)`, []string{"aws_vpc_endpoint.a"}, true},
		{`aws_vpc_endpoint.this[var.k].id`, []string{`aws_vpc_endpoint.this["kms"]`, `aws_vpc_endpoint.this["sqs"]`}, true},
		{`aws_vpc_endpoint.this[var.k]`, []string{`aws_vpc_endpoint.this["kms"]`, `aws_vpc_endpoint.this["sqs"]`}, true},
		{`try(aws_vpc_endpoint.this[var.k].id, aws_vpc_endpoint.a.id)`, []string{`aws_vpc_endpoint.this["kms"]`, `aws_vpc_endpoint.this["sqs"]`, "aws_vpc_endpoint.a"}, true},
		{`one([aws_vpc_endpoint.b.id])`, []string{"aws_vpc_endpoint.b"}, true},
		// an id from outside may be any endpoint
		{`var.endpoint_id`, nil, false},
		{`var.c ? aws_vpc_endpoint.a.id : var.endpoint_id`, nil, false},
	}
	for _, tt := range tests {
		got, ok := Candidates(parse(t, tt.expr), testEval())
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
			t.Errorf("%s: %v %v, want %v %v", tt.expr, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPattern(t *testing.T) {
	tests := []struct {
		expr, want string
	}{
		{`"com.amazonaws.${var.region}.kms"`, "com.amazonaws.*.kms"},
		{`"com.amazonaws.${var.known}.kms"`, ""}, // known: no pattern
		{`format("com.amazonaws.%s.%s", var.region, "s3")`, "com.amazonaws.*.s3"},
		{`join(".", ["com", "amazonaws", var.region, "ecr.api"])`, "com.amazonaws.*.ecr.api"},
		{`replace("com.amazonaws.REGION.sqs", "REGION", var.region)`, "com.amazonaws.*.sqs"},
		{`lower("COM.AMAZONAWS.${var.region}.KMS")`, "com.amazonaws.*.kms"},
		{`"${var.region}${var.k}.kms"`, "*.kms"},
		{`"com.amazonaws.${local.region}.logs"`, "com.amazonaws.*.logs"},
		{`local.name`, "com.amazonaws.*.logs"},
		{`data.aws_vpc_endpoint_service.s3.service_name`, "com.amazonaws.*.s3"},
		{`data.aws_vpc_endpoint_service.this[each.key].service_name`, "com.amazonaws.*.kms"},
		// nothing known, or not string-building: never guessed
		{`data.aws_vpc_endpoint_service.custom.service_name`, ""},
		{`var.region`, ""},
		{`var.c ? "com.amazonaws.eu-west-1.s3" : "com.amazonaws.us-east-1.s3"`, ""},
		{`format(var.fmt, "kms")`, ""},
		{`replace("com.amazonaws.eu-west-1.kms", var.k, "x")`, ""},
		{`replace("com.amazonaws.eu-west-1.kms", "/west/", var.region)`, ""},
		{`format("%d.kms", var.region)`, ""},
	}
	for _, tt := range tests {
		got, ok := Pattern(parse(t, tt.expr), testEval())
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: %q %v, want %q", tt.expr, got, ok, tt.want)
		}
	}
}

func TestAZRef(t *testing.T) {
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(2)})}}
	tests := map[string]string{
		`data.aws_availability_zones.available.names[1]`:                    "data.aws_availability_zones.available.names[1]",
		`data.aws_availability_zones.available.zone_ids[1]`:                 "data.aws_availability_zones.available.names[1]",
		`data.aws_availability_zones.available.names[count.index]`:          "data.aws_availability_zones.available.names[2]",
		`element(data.aws_availability_zones.available.names, count.index)`: "data.aws_availability_zones.available.names[2]",
		`(data.aws_availability_zones.available.names[0])`:                  "data.aws_availability_zones.available.names[0]",
		`var.zone`:                            "",
		`data.aws_subnet.x.availability_zone`: "",
	}
	for src, want := range tests {
		if got := AZRef(parse(t, src), ctx); got != want {
			t.Errorf("%s: %q, want %q", src, got, want)
		}
	}
}
