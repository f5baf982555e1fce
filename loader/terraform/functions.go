package terraform

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/go-cty-funcs/collection"
	"github.com/hashicorp/go-cty-funcs/crypto"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/go-cty-funcs/filesystem"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"go.yaml.in/yaml/v3"
)

// functions returns Terraform's built-in functions as vpclint evaluates
// them, with file functions reading through fa. Functions whose result
// depends on the time, randomness or the outside world (timestamp, uuid)
// return unknown values.
func functions(fa *fileAccess) map[string]function.Function {
	fns := map[string]function.Function{
		"abs":             stdlib.AbsoluteFunc,
		"ceil":            stdlib.CeilFunc,
		"chomp":           stdlib.ChompFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        collection.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"csvdecode":       stdlib.CSVDecodeFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"floor":           stdlib.FloorFunc,
		"format":          stdlib.FormatFunc,
		"formatdate":      stdlib.FormatDateFunc,
		"formatlist":      stdlib.FormatListFunc,
		"indent":          stdlib.IndentFunc,
		"index":           indexFunc,
		"join":            stdlib.JoinFunc,
		"jsondecode":      stdlib.JSONDecodeFunc,
		"jsonencode":      stdlib.JSONEncodeFunc,
		"keys":            stdlib.KeysFunc,
		"log":             stdlib.LogFunc,
		"lookup":          lookupFunc,
		"lower":           stdlib.LowerFunc,
		"max":             stdlib.MaxFunc,
		"merge":           stdlib.MergeFunc,
		"min":             stdlib.MinFunc,
		"parseint":        stdlib.ParseIntFunc,
		"pow":             stdlib.PowFunc,
		"range":           stdlib.RangeFunc,
		"regex":           stdlib.RegexFunc,
		"regexall":        stdlib.RegexAllFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"signum":          stdlib.SignumFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"split":           stdlib.SplitFunc,
		"strrev":          stdlib.ReverseFunc,
		"substr":          stdlib.SubstrFunc,
		"timeadd":         stdlib.TimeAddFunc,
		"title":           stdlib.TitleFunc,
		"trim":            stdlib.TrimFunc,
		"trimprefix":      stdlib.TrimPrefixFunc,
		"trimsuffix":      stdlib.TrimSuffixFunc,
		"trimspace":       stdlib.TrimSpaceFunc,
		"upper":           stdlib.UpperFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
		"tostring":        stdlib.MakeToFunc(cty.String),
		"tonumber":        stdlib.MakeToFunc(cty.Number),
		"tobool":          stdlib.MakeToFunc(cty.Bool),
		"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try":             tryfunc.TryFunc,
		"can":             tryfunc.CanFunc,
		"length":          lengthFunc,
		"replace":         replaceFunc,
		"one":             oneFunc,
		"sum":             sumFunc,
		"alltrue":         boolReduceFunc(true),
		"anytrue":         boolReduceFunc(false),
		"startswith":      stringPredicate(strings.HasPrefix),
		"endswith":        stringPredicate(strings.HasSuffix),
		"strcontains":     stringPredicate(strings.Contains),
		"matchkeys":       matchkeysFunc,
		"transpose":       transposeFunc,
		"base64encode":    encoding.Base64EncodeFunc,
		"base64decode":    stringMap(base64Decode),
		"md5":             crypto.Md5Func,
		"sha1":            crypto.Sha1Func,
		"sha256":          crypto.Sha256Func,
		"sha512":          crypto.Sha512Func,
		"urlencode":       encoding.URLEncodeFunc,
		"yamldecode":      yamlDecodeFunc,
		"basename":        filesystem.BasenameFunc,
		"dirname":         filesystem.DirnameFunc,
		// No value names a directory of the machine that runs the scan:
		// abspath gives a relative path the clean form of its argument
		// (file functions resolve it against the root module, as
		// Terraform resolves the absolute one), and pathexpand leaves ~
		// alone (a file under ~ is outside the scan root anyway).
		"abspath":      stringMap(func(s string) (string, error) { return filepath.Clean(s), nil }),
		"pathexpand":   stringMap(func(s string) (string, error) { return s, nil }),
		"sensitive":    identityFunc,
		"nonsensitive": identityFunc,
		"cidrhost":     cidrHostFunc,
		"cidrnetmask":  cidrNetmaskFunc,
		"cidrsubnet":   cidrSubnetFunc,
		"cidrsubnets":  cidrSubnetsFunc,
	}
	for name, f := range fa.functions() {
		fns[name] = f
	}
	for _, name := range []string{"timestamp", "plantimestamp", "uuid", "uuidv5", "bcrypt", "yamlencode", "base64gzip", "rsadecrypt", "textencodebase64", "textdecodebase64", "templatestring", "ephemeralasnull", "issensitive"} {
		fns[name] = unknownResultFunc
	}
	fns["templatefile"] = fa.templateFileFunc(fns, guardRewrite)
	return fns
}

// unknownResultFunc stands for functions whose result cannot be known
// without running Terraform: any arguments, an unknown result.
var unknownResultFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
		return cty.DynamicVal, nil
	},
})

var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

// lengthFunc is Terraform's length: collections, structural values and strings.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		ty := v.Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number), nil
		case ty == cty.String:
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			return stdlib.Strlen(v)
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(len(ty.TupleElementTypes()))), nil
		case ty.IsListType() || ty.IsSetType() || ty.IsMapType():
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if v.IsNull() {
				return cty.NilVal, fmt.Errorf("argument must not be null")
			}
			return v.Length(), nil
		}
		return cty.NilVal, fmt.Errorf("argument must be a string, a collection type, or a structural type")
	},
})

// indexFunc is Terraform's index: the position of a value in a list.
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		l := args[0]
		if !(l.Type().IsListType() || l.Type().IsTupleType()) {
			return cty.NilVal, fmt.Errorf("argument must be a list or tuple")
		}
		if !l.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		i := 0
		for it := l.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			eq, err := stdlib.Equal(e, args[1])
			if err != nil {
				return cty.NilVal, err
			}
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return cty.NumberIntVal(int64(i)), nil
			}
		}
		return cty.NilVal, fmt.Errorf("item not found")
	},
})

// yamlDecodeFunc reads a YAML document as Terraform's yamldecode does:
// mappings become objects, sequences tuples.
var yamlDecodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "src", Type: cty.String}},
	Type:   function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var doc any
		if err := yaml.Unmarshal([]byte(args[0].AsString()), &doc); err != nil {
			return cty.DynamicVal, fmt.Errorf("invalid YAML: %w", err)
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return cty.DynamicVal, fmt.Errorf("YAML value has no JSON form: %w", err)
		}
		ty, err := ctyjson.ImpliedType(b)
		if err != nil {
			return cty.DynamicVal, err
		}
		return ctyjson.Unmarshal(b, ty)
	},
})

// lookupFunc is Terraform's lookup, whose default may be null.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true},
		{Name: "key", Type: cty.String},
	},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, fmt.Errorf("lookup() takes no more than three arguments")
		}
		ty := args[0].Type()
		switch {
		case ty.IsObjectType():
			if !args[1].IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			key := args[1].AsString()
			if ty.HasAttribute(key) {
				return args[0].GetAttr(key).Type(), nil
			}
			if len(args) == 3 {
				return args[2].Type(), nil
			}
			return cty.NilType, fmt.Errorf("the given key %q does not exist in the map", key)
		case ty.IsMapType():
			if len(args) == 3 && !args[2].IsNull() {
				if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
					return cty.DynamicPseudoType, nil
				}
			}
			return ty.ElementType(), nil
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		}
		return cty.NilType, fmt.Errorf("lookup() requires a map as the first argument")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		m, key := args[0], args[1].AsString()
		if !m.IsKnown() {
			return cty.UnknownVal(retType), nil
		}
		if m.Type().IsObjectType() {
			if m.Type().HasAttribute(key) {
				return m.GetAttr(key), nil
			}
		} else if m.Type().IsMapType() {
			k := cty.StringVal(key)
			if m.HasIndex(k).True() {
				return m.Index(k), nil
			}
		}
		if len(args) == 3 {
			if args[2].IsNull() {
				return cty.NullVal(retType), nil
			}
			return convert.Convert(args[2], retType)
		}
		return cty.UnknownVal(retType), fmt.Errorf("the given key %q does not exist in the map", key)
	},
})

// replaceFunc is Terraform's replace: a substring wrapped in slashes is a
// regular expression.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, sub, rep := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(re.ReplaceAllString(str, rep)), nil
		}
		return cty.StringVal(strings.ReplaceAll(str, sub, rep)), nil
	},
})

var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType() && len(ty.TupleElementTypes()) == 0:
			return cty.DynamicPseudoType, nil
		case ty.IsTupleType() && len(ty.TupleElementTypes()) == 1:
			return ty.TupleElementTypes()[0], nil
		}
		return cty.NilType, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsKnown() {
			return cty.UnknownVal(retType), nil
		}
		if v.IsNull() {
			return cty.NilVal, fmt.Errorf("argument must not be null")
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(retType), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
	},
})

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.CanIterateElements() || v.LengthInt() == 0 {
			return cty.NilVal, fmt.Errorf("cannot sum an empty or non-collection value")
		}
		total := new(big.Float)
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			n, err := convert.Convert(e, cty.Number)
			if err != nil {
				return cty.NilVal, err
			}
			if !n.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if n.IsNull() {
				return cty.NilVal, fmt.Errorf("argument must not contain null")
			}
			total.Add(total, n.AsBigFloat())
		}
		return cty.NumberVal(total), nil
	},
})

func boolReduceFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			result := all
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				if !e.IsKnown() {
					return cty.UnknownVal(cty.Bool), nil
				}
				if e.IsNull() {
					continue
				}
				if all && e.False() {
					result = false
				}
				if !all && e.True() {
					result = true
				}
			}
			return cty.BoolVal(result), nil
		},
	})
}

func stringPredicate(f func(s, x string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "x", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

func stringMap(f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := f(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(s), nil
		},
	})
}

// base64Decode is Terraform's base64decode: the decoded bytes must be
// UTF-8 text. It is not go-cty-funcs' Base64DecodeFunc, which writes
// bytes that are not to the standard logger (stderr).
func base64Decode(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("invalid base64: %w", err)
	}
	if !utf8.Valid(b) {
		return "", errors.New("the result of decoding the provided string is not valid UTF-8")
	}
	return string(b), nil
}

var matchkeysFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if args[0].LengthInt() != args[1].LengthInt() {
			return cty.NilVal, fmt.Errorf("length of keys and values should be equal")
		}
		keys := args[1].AsValueSlice()
		var out []cty.Value
		for i, v := range args[0].AsValueSlice() {
			for it := args[2].ElementIterator(); it.Next(); {
				_, s := it.Element()
				eq := keys[i].Equals(s)
				if !eq.IsKnown() {
					return cty.UnknownVal(retType), nil
				}
				if eq.True() {
					out = append(out, v)
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		tmp := map[string][]string{}
		for it := args[0].ElementIterator(); it.Next(); {
			k, list := it.Element()
			for lit := list.ElementIterator(); lit.Next(); {
				_, v := lit.Element()
				tmp[v.AsString()] = append(tmp[v.AsString()], k.AsString())
			}
		}
		out := map[string]cty.Value{}
		for k, vs := range tmp {
			vals := make([]cty.Value, len(vs))
			for i, s := range vs {
				vals[i] = cty.StringVal(s)
			}
			out[k] = cty.ListVal(vals)
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		return cty.MapVal(out), nil
	},
})

// asInt reads a known number as an int.
func asInt(v cty.Value) (int, bool) {
	if !v.IsKnown() || v.IsNull() {
		return 0, false
	}
	n, err := convert.Convert(v, cty.Number)
	if err != nil {
		return 0, false
	}
	var i int
	if err := gocty.FromCtyValue(n, &i); err != nil {
		return 0, false
	}
	return i, true
}
