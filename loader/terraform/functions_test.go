package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty/function"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// TestFunctions checks each function family against results documented
// by Terraform (developer.hashicorp.com/terraform/language/functions).
func TestFunctions(t *testing.T) {
	fns := testFunctions(fixtureDir("functions"), nil)
	tests := []struct{ expr, want string }{
		// cidr
		{`cidrsubnet("10.1.2.0/24", 4, 15)`, `"10.1.2.240/28"`},
		{`cidrsubnet("172.16.0.0/12", 4, 2)`, `"172.18.0.0/16"`},
		{`cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, `"fd00:fd12:3456:7800:a200::/72"`},
		{`cidrsubnet("10.0.0.0/16", 8, 0)`, `"10.0.0.0/24"`},
		{`cidrhost("10.12.112.0/20", 16)`, `"10.12.112.16"`},
		{`cidrhost("10.12.112.0/20", 268)`, `"10.12.113.12"`},
		{`cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, `"fd00:fd12:3456:7890::22"`},
		{`cidrhost("10.0.0.0/24", -1)`, `"10.0.0.255"`},
		{`cidrnetmask("172.16.0.0/12")`, `"255.240.0.0"`},
		{`cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, `["10.1.0.0/20","10.1.16.0/20","10.1.32.0/24","10.1.48.0/20"]`},
		{`cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`, `["fd00:fd12:3456:7800::/72","fd00:fd12:3456:7800:100::/72","fd00:fd12:3456:7800:200::/72","fd00:fd12:3456:7800:300::/88"]`},
		{`[for i in range(3) : cidrsubnet("10.0.0.0/16", 4, i)]`, `["10.0.0.0/20","10.0.16.0/20","10.0.32.0/20"]`},
		// collections
		{`merge({a = "b", c = "d"}, {e = "f", c = "z"})`, `{"a":"b","c":"z","e":"f"}`},
		{`concat(["a", ""], ["b", "c"])`, `["a","","b","c"]`},
		{`flatten([["a", "b"], [], ["c"]])`, `["a","b","c"]`},
		{`lookup({a = "ay", b = "bee"}, "c", "what?")`, `"what?"`},
		{`lookup({a = "ay", b = "bee"}, "a", null)`, `"ay"`},
		{`try({a = 1}.b, "fallback")`, `"fallback"`},
		{`can(regex("^ami-", "ami-123"))`, `true`},
		{`coalesce("", "b")`, `"b"`},
		{`coalesce(1, 2)`, `1`},
		{`coalesce(["", "b"]...)`, `"b"`},
		{`coalesce(null, "", "c")`, `"c"`},
		{`coalescelist([], ["c", "d"])`, `["c","d"]`},
		{`compact(["a", "", "b", null, "c"])`, `["a","b","c"]`},
		{`distinct(["a", "b", "a", "c", "d", "b"])`, `["a","b","c","d"]`},
		{`element(["a", "b", "c"], 3)`, `"a"`},
		{`contains(["a", "b", "c"], "a")`, `true`},
		{`keys({a = 1, c = 2, d = 3})`, `["a","c","d"]`},
		{`values({a = 3, c = 2, d = 1})`, `[3,2,1]`},
		{`length("hello")`, `5`},
		{`length({a = "b"})`, `1`},
		{`zipmap(["a", "b"], [1, 2])`, `{"a":1,"b":2}`},
		{`setproduct(["development", "staging"], ["app1", "app2"])`, `[["development","app1"],["development","app2"],["staging","app1"],["staging","app2"]]`},
		{`setunion(["a", "b"], ["b", "c"], ["d"])`, `["a","b","c","d"]`},
		{`toset(["c", "b", "b"])`, `["b","c"]`},
		{`tolist(toset(["a"]))`, `["a"]`},
		{`tomap({a = 1, b = 2})`, `{"a":1,"b":2}`},
		{`one([])`, `null`},
		{`one(["hello"])`, `"hello"`},
		{`range(3)`, `[0,1,2]`},
		{`range(1, 8, 2)`, `[1,3,5,7]`},
		{`slice(["a", "b", "c", "d"], 1, 3)`, `["b","c"]`},
		{`sort(["e", "d", "a", "x"])`, `["a","d","e","x"]`},
		{`sum([10, 13, 6, 4.5])`, `33.5`},
		{`alltrue(["true", true])`, `true`},
		{`anytrue([false, true])`, `true`},
		{`index(["a", "b", "c"], "b")`, `1`},
		{`reverse([1, 2, 3])`, `[3,2,1]`},
		{`transpose({a = ["1", "2"], b = ["2", "3"]})`, `{"1":["a"],"2":["a","b"],"3":["b"]}`},
		// strings
		{`tostring(5)`, `"5"`},
		{`tonumber("42")`, `42`},
		{`format("Hello, %s!", "Ander")`, `"Hello, Ander!"`},
		{`formatlist("Hello, %s!", ["Valentina", "Ander"])`, `["Hello, Valentina!","Hello, Ander!"]`},
		{`join(", ", ["foo", "bar", "baz"])`, `"foo, bar, baz"`},
		{`split(",", "foo,bar,baz")`, `["foo","bar","baz"]`},
		{`replace("1 + 2 + 3", "+", "-")`, `"1 - 2 - 3"`},
		{`replace("hello world", "/w.*d/", "everybody")`, `"hello everybody"`},
		{`lower("HELLO")`, `"hello"`},
		{`upper("hello")`, `"HELLO"`},
		{`trimspace("  hello\n\n")`, `"hello"`},
		{`startswith("hello world", "hello")`, `true`},
		{`endswith("hello world", "world")`, `true`},
		{`regex("[a-z]+", "53453453.345345aaabbbccc23454")`, `"aaabbbccc"`},
		{`regexall("[a-z]+", "1234abcd5678efgh9")`, `["abcd","efgh"]`},
		{`substr("hello world", 1, 4)`, `"ello"`},
		{`trimprefix("helloworld", "hello")`, `"world"`},
		{`title("hello world")`, `"Hello World"`},
		{`base64encode("Hello World")`, `"SGVsbG8gV29ybGQ="`},
		// encoding and files
		{`jsonencode({"hello" = "world"})`, `"{\"hello\":\"world\"}"`},
		{`jsondecode("{\"hello\": \"world\"}")`, `{"hello":"world"}`},
		{`file("hello.txt")`, `"hello\n"`},
		{`yamldecode("a: 1\nb: [x, y]\n")`, `{"a":1,"b":["x","y"]}`},
		{`urlencode("Hello World!")`, `"Hello+World%21"`},
		{`base64decode("SGVsbG8gV29ybGQ=")`, `"Hello World"`},
		{`md5("hello world")`, `"5eb63bbbe01eeed093cb22bb8f5acdc3"`},
		{`sha1("hello world")`, `"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"`},
		{`sha256("hello world")`, `"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"`},
		{`sha512("hello world")`, `"309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"`},
		{`basename("foo/bar/baz.txt")`, `"baz.txt"`},
		{`dirname("foo/bar/baz.txt")`, `"foo/bar"`},
		{`fileexists("hello.txt")`, `true`},
		{`fileexists("nope.txt")`, `false`},
		{`jsondecode(templatefile("policy.json.tftpl", {actions = ["s3:GetObject", "s3:PutObject"]})).Statement[1].Action`, `"s3:PutObject"`},
		// numbers
		{`max(12, 54, 3)`, `54`},
		{`min(12, 54, 3)`, `3`},
		{`abs(-12.4)`, `12.4`},
		{`ceil(5.1)`, `6`},
		{`floor(4.9)`, `4`},
		{`parseint("FF", 16)`, `255`},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			expr, diags := hclsyntax.ParseExpression([]byte(tc.expr), "test.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			v, diags := expr.Value(&hcl.EvalContext{Functions: fns})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got, err := ctyjson.Marshal(v, v.Type())
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
		})
	}
}

// TestFunctionErrors checks that invalid calls fail as Terraform's do.
func TestFunctionErrors(t *testing.T) {
	fns := testFunctions(fixtureDir("functions"), nil)
	for _, src := range []string{
		`cidrsubnet("10.0.0.0/30", 4, 0)`,
		`cidrsubnet("10.0.0.0/16", 2, 4)`,
		`cidrsubnet("not a cidr", 2, 1)`,
		`cidrhost("10.0.0.0/30", 8)`,
		`cidrnetmask("fd00::/8")`,
		`cidrsubnets("10.0.0.0/24", 1, 1, 1)`,
		`one(["a", "b"])`,
		`coalesce("", null)`,
		`coalesce("a", ["b"])`,
		`base64decode("/w==")`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if _, diags := expr.Value(&hcl.EvalContext{Functions: fns}); !diags.HasErrors() {
			t.Errorf("%s: no error", src)
		}
	}
}

// TestFunctionsUnknownArguments checks that unknown arguments give unknown
// results rather than errors.
func TestFunctionsUnknownArguments(t *testing.T) {
	fns := testFunctions(fixtureDir("functions"), nil)
	ctx := &hcl.EvalContext{Functions: fns, Variables: map[string]ctyValue{"u": ctyDynamic}}
	for _, src := range []string{
		`cidrsubnet(u, 8, 1)`, `cidrsubnets(u, 4, 4)`, `cidrhost(u, 1)`, `length(u)`, `one(u)`, `lookup(u, "a", null)`,
		`merge(u, {a = 1})`, `jsonencode({a = u})`, `format("%s", u)`, `timestamp()`, `uuid()`, `try(u.x, "a")`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		v, diags := expr.Value(ctx)
		if diags.HasErrors() {
			t.Errorf("%s: %v", src, diags)
			continue
		}
		if v.IsWhollyKnown() {
			t.Errorf("%s = %#v, want unknown", src, v)
		}
	}
}

// testFunctions is the function table of a unit whose scan root and root
// module are dir; notes, when set, collects what calls report.
func testFunctions(dir string, notes *[]callNote) map[string]function.Function {
	return unitFunctions(dir, dir, notes)
}

// unitFunctions is the function table, guards included, of a unit whose
// scan root is root and whose root module is base.
func unitFunctions(root, base string, notes *[]callNote) map[string]function.Function {
	note := func(n callNote) {
		if notes != nil {
			*notes = append(*notes, n)
		}
	}
	fns := functions(&fileAccess{root: root, base: base, note: note})
	newBudget(note).guardFunctions(fns)
	return fns
}
