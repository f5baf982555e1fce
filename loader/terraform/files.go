package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/vpclint/vpclint/internal/hclsafe"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// Terraform's file functions read what a configuration names: in a pull
// request from a stranger, that could be any file of the CI runner. They
// read below the scan root only (the git work tree, else the scanned
// directory; symbolic links followed), never inside .git (where
// actions/checkout keeps the job's token), and regular files only. A
// path outside is not opened, not even tested for existence: the value
// is unknown, and a warning names the call and its line, never the
// path's target or content.

// maxFunctionFile is the largest file a file function reads.
const maxFunctionFile = 4 << 20

// maxFilesetEntries bounds the directory entries fileset visits.
const maxFilesetEntries = 20000

// callNote is something a function call did that the user is told about,
// at the call's line: a path refused, a file missing, a limit reached.
type callNote struct {
	fn, level, message string
}

// fileAccess reads files for Terraform's functions.
type fileAccess struct {
	// root is the scan root; base the directory relative paths are
	// resolved against (the root module's, as Terraform's working
	// directory).
	root, base string
	note       func(callNote)
}

// errRefused marks a path not read; the call has been noted.
var errRefused = errors.New("refused")

// resolve returns the path a function's argument names, or errRefused
// after noting why it is not read.
func (fa *fileAccess) resolve(fn, name string) (string, error) {
	p := filepath.FromSlash(name)
	if !filepath.IsAbs(p) {
		p = filepath.Join(fa.base, p)
	}
	p = filepath.Clean(p)
	if !loader.Within(fa.root, p) || danglingLink(fa.root, p) {
		// A link that leads nowhere gets the same answer as one that
		// leaves the root: which of the two it is would tell whether a
		// path of the machine exists.
		fa.note(callNote{fn, model.LevelWarning, "the path leaves the scan root; not read, its value is unknown"})
		return "", errRefused
	}
	if loader.InGitDir(fa.root, p) {
		fa.note(callNote{fn, model.LevelWarning, "the path is inside .git, which vpclint never reads; its value is unknown"})
		return "", errRefused
	}
	return p, nil
}

// danglingLink reports whether a component of p below root is a symbolic
// link whose target does not exist.
func danglingLink(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." {
		return false
	}
	cur := root
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if part == ".." {
			return false // Within judged it
		}
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if err != nil {
			return false
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			if _, err := filepath.EvalSymlinks(cur); err != nil {
				return true
			}
		}
	}
	return false
}

// read reads a file for fn, or notes why not and returns errRefused.
func (fa *fileAccess) read(fn, name string) ([]byte, error) {
	p, err := fa.resolve(fn, name)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	switch {
	case err != nil:
		fa.note(callNote{fn, model.LevelInfo, "no such file; its value is unknown"})
		return nil, errRefused
	case !st.Mode().IsRegular():
		fa.note(callNote{fn, model.LevelWarning, "not a regular file; not read, its value is unknown"})
		return nil, errRefused
	case st.Size() > maxFunctionFile:
		fa.note(callNote{fn, model.LevelWarning, "the file is larger than 4 MiB; not read, its value is unknown"})
		return nil, errRefused
	}
	b, err := loader.ReadFileIn(fa.root, p)
	if err != nil || len(b) > maxFunctionFile {
		fa.note(callNote{fn, model.LevelWarning, "the file could not be read; its value is unknown"})
		return nil, errRefused
	}
	return b, nil
}

// functions are Terraform's functions that read files.
func (fa *fileAccess) functions() map[string]function.Function {
	digest := func(h func() hash.Hash, encode func([]byte) string) func([]byte) (cty.Value, error) {
		return func(b []byte) (cty.Value, error) {
			s := h()
			s.Write(b)
			return cty.StringVal(encode(s.Sum(nil))), nil
		}
	}
	b64 := base64.StdEncoding.EncodeToString
	fns := map[string]function.Function{
		"fileexists": fa.fileExistsFunc(),
		"fileset":    fa.filesetFunc(),
	}
	for name, f := range map[string]func([]byte) (cty.Value, error){
		"file": func(b []byte) (cty.Value, error) {
			if !utf8.Valid(b) {
				return cty.UnknownVal(cty.String), errors.New("contents are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents")
			}
			return cty.StringVal(string(b)), nil
		},
		"filebase64":       func(b []byte) (cty.Value, error) { return cty.StringVal(b64(b)), nil },
		"filemd5":          digest(md5.New, hex.EncodeToString),
		"filesha1":         digest(sha1.New, hex.EncodeToString),
		"filesha256":       digest(sha256.New, hex.EncodeToString),
		"filesha512":       digest(sha512.New, hex.EncodeToString),
		"filebase64sha256": digest(sha256.New, b64),
		"filebase64sha512": digest(sha512.New, b64),
	} {
		fns[name] = fa.fileFunc(name, f)
	}
	return fns
}

// fileFunc is a function of one path argument whose result is computed
// from the file's bytes.
func (fa *fileAccess) fileFunc(name string, f func([]byte) (cty.Value, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := fa.read(name, args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), nil
			}
			return f(b)
		},
	})
}

func (fa *fileAccess) fileExistsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, err := fa.resolve("fileexists", args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Bool), nil
			}
			st, err := os.Stat(p)
			return cty.BoolVal(err == nil && st.Mode().IsRegular()), nil
		},
	})
}

// filesetFunc is Terraform's fileset: the regular files below path whose
// path relative to it matches pattern (with ** for any number of
// directories), never following links out of the root, never in .git.
func (fa *fileAccess) filesetFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "pattern", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			dir, err := fa.resolve("fileset", args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Set(cty.String)), nil
			}
			pattern := filepath.ToSlash(args[1].AsString())
			var out []cty.Value
			visited := 0
			err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return nil
				}
				if visited++; visited > maxFilesetEntries {
					return errTooMany
				}
				if d.IsDir() {
					if strings.EqualFold(d.Name(), ".git") {
						return filepath.SkipDir
					}
					return nil
				}
				rel, err := filepath.Rel(dir, p)
				if err != nil || !loader.MatchGlob(pattern, filepath.ToSlash(rel)) {
					return nil
				}
				// A link is listed when it names a regular file in the root.
				if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() || !loader.Within(fa.root, p) {
					return nil
				}
				out = append(out, cty.StringVal(filepath.ToSlash(rel)))
				return nil
			})
			if errors.Is(err, errTooMany) {
				fa.note(callNote{"fileset", model.LevelWarning, "more than 20000 entries below the path; its value is unknown"})
				return cty.UnknownVal(cty.Set(cty.String)), nil
			}
			if len(out) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			sort.Slice(out, func(i, j int) bool { return out[i].AsString() < out[j].AsString() })
			return cty.SetVal(out), nil
		},
	})
}

var errTooMany = errors.New("too many entries")

// templateFileFunc renders a template file with the given variables and
// the other functions (templatefile itself excluded, as in Terraform, so
// a template cannot recurse). The template is parsed as safely as a .tf
// file, guards included.
func (fa *fileAccess) templateFileFunc(fns map[string]function.Function, rw hclsafe.Rewrite) function.Function {
	var inner map[string]function.Function
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			data, err := fa.read("templatefile", args[0].AsString())
			if err != nil {
				return cty.DynamicVal, nil
			}
			name := filepath.Base(args[0].AsString())
			expr, diags, err := hclsafe.ParseTemplate(data, name, rw)
			if err != nil {
				fa.note(callNote{"templatefile", model.LevelError, "the template is nested too deeply or holds a number too large; not read, its value is unknown"})
				return cty.DynamicVal, nil
			}
			if diags.HasErrors() {
				return cty.DynamicVal, diags
			}
			vars := args[1]
			if !vars.IsWhollyKnown() {
				return cty.DynamicVal, nil
			}
			if !vars.Type().IsObjectType() && !vars.Type().IsMapType() {
				return cty.DynamicVal, errors.New("invalid vars value: must be a map")
			}
			vm := map[string]cty.Value{}
			for it := vars.ElementIterator(); it.Next(); {
				k, v := it.Element()
				vm[k.AsString()] = v
			}
			if inner == nil {
				inner = maps.Clone(fns)
				delete(inner, "templatefile")
			}
			val, diags := expr.Value(&hcl.EvalContext{Variables: vm, Functions: inner})
			if diags.HasErrors() {
				return cty.DynamicVal, diags
			}
			return val, nil
		},
	})
}

// reportNotes reports what the function calls of an expression noted, at
// the line of the call (the first call of that function in the
// expression; the expression's own line for a call in a template file).
func (u *unit) reportNotes(mi *modInst, e hcl.Expression) {
	for _, n := range u.notes {
		mi.errAt(callRange(e, n.fn), n.level, callLabel(n.fn)+": "+n.message)
	}
	u.notes = u.notes[:0]
}

// callRange finds the first call of the named function in an expression.
func callRange(e hcl.Expression, fn string) hcl.Range {
	found := e.Range()
	se, ok := e.(hclsyntax.Expression)
	if !ok {
		return found
	}
	done := false
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		if c, ok := n.(*hclsyntax.FunctionCallExpr); ok && !done && c.Name == fn {
			found, done = c.NameRange, true
		}
		return nil
	})
	return found
}
