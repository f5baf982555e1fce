package evaluator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpclint/vpclint/model"
)

// index finds a model's resources by address, then by id.
type index struct {
	m         *model.Model
	resources int
	byAddress map[string]*model.Meta
	byID      map[string]*model.Meta
}

func newIndex(m *model.Model) *index {
	res := m.Resources()
	idx := &index{m: m, resources: len(res), byAddress: make(map[string]*model.Meta, len(res)), byID: make(map[string]*model.Meta, len(res))}
	for _, r := range res {
		meta := r.GetMeta()
		if meta.Address != "" {
			if _, ok := idx.byAddress[meta.Address]; !ok {
				idx.byAddress[meta.Address] = meta
			}
		}
		if meta.ID != "" {
			if _, ok := idx.byID[meta.ID]; !ok {
				idx.byID[meta.ID] = meta
			}
		}
	}
	return idx
}

func (x *index) lookup(name string) *model.Meta {
	if r := x.byAddress[name]; r != nil {
		return r
	}
	return x.byID[name]
}

// finding turns one deny result into a Finding. A result naming an unknown
// resource is kept, with no location.
func (x *index) finding(ri *model.RuleInfo, result ast.Value) model.Finding {
	f := model.Finding{
		RuleID:   ri.ID,
		Severity: ri.Severity,
		Title:    ri.Title,
		Unit:     x.m.Unit,
	}
	var resName string
	switch r := result.(type) {
	case ast.Object:
		resName = field(r, keyResource)
		f.Attribute = field(r, keyAttribute)
		f.Message = field(r, keyMessage)
		if f.Message == "" {
			f.Message = field(r, keyMsg)
		}
	default:
		f.Message = str(r)
	}
	if f.Message == "" {
		f.Message = ri.Title
	}
	if meta := x.lookup(resName); meta != nil {
		f.Resource = model.FindingResource{Address: meta.Address, ID: meta.ID, Type: meta.Type, ARN: meta.ARN, Root: x.m.Unit}
		f.Source = meta.Source
		f.Location = Locate(meta, f.Attribute)
	} else {
		f.Resource = model.FindingResource{Address: resName, ID: resName, Root: x.m.Unit}
		f.Source = model.Source{Format: x.m.Format, Account: x.m.Context.Account, Region: x.m.Context.Region}
	}
	f.Fingerprint = Fingerprint(f)
	return f
}

// The fields of a deny result the evaluator reads.
var (
	keyResource  = ast.StringTerm("resource")
	keyAttribute = ast.StringTerm("attribute")
	keyMessage   = ast.StringTerm("message")
	keyMsg       = ast.StringTerm("msg")
)

// field is str of an object's field, "" when absent.
func field(o ast.Object, key *ast.Term) string {
	t := o.Get(key)
	if t == nil {
		return ""
	}
	return str(t.Value)
}

// str is a string as is, a number as written, anything else as JSON.
func str(v ast.Value) string {
	switch s := v.(type) {
	case nil, ast.Null:
		return ""
	case ast.String:
		return string(s)
	case ast.Number:
		return string(s)
	default:
		j, err := ast.JSON(v)
		if err != nil {
			return v.String()
		}
		b, err := json.Marshal(j)
		if err != nil {
			return fmt.Sprint(j)
		}
		return string(b)
	}
}

// Locate gives the location of an attribute of a resource: the line of the
// longest prefix of the attribute path found in attribute_lines, in the
// file of the longest prefix found in attribute_files (else the resource's
// file); without such a line, the resource block. A live resource with no
// file has an empty location.
func Locate(meta *model.Meta, attribute string) model.Location {
	file := meta.Source.File
	if attribute != "" {
		// Most paths have a few elements: their prefixes stay on the
		// stack.
		var buf [8]string
		prefixes := appendPrefixes(buf[:0], attribute)
		for _, p := range prefixes {
			if f, ok := meta.AttributeFiles[p]; ok && f != "" {
				file = f
				break
			}
		}
		for _, p := range prefixes {
			if line, ok := meta.AttributeLines[p]; ok && line > 0 {
				return model.Location{File: file, StartLine: line, EndLine: line}
			}
		}
	}
	if meta.Source.File == "" {
		return model.Location{}
	}
	end := meta.Source.EndLine
	if end < meta.Source.StartLine {
		end = meta.Source.StartLine
	}
	return model.Location{File: meta.Source.File, StartLine: meta.Source.StartLine, EndLine: end}
}

// pathPrefixes returns the prefixes of an attribute path at element
// boundaries, longest first: "a[0].b" -> "a[0].b", "a[0]", "a". Dots and
// brackets inside quoted keys are not boundaries.
func pathPrefixes(p string) []string { return appendPrefixes(nil, p) }

// appendPrefixes appends pathPrefixes(p) to out.
func appendPrefixes(out []string, p string) []string {
	out = append(out, p)
	inQuote := false
	for i := len(p) - 1; i > 0; i-- {
		c := p[i]
		if c == '"' && (i == 0 || p[i-1] != '\\') {
			inQuote = !inQuote
		}
		if inQuote {
			continue
		}
		if c == '.' || c == '[' {
			out = append(out, p[:i])
		}
	}
	return out
}

// Fingerprint identifies a finding across commits: a hex SHA-256 of the
// rule id, resource type, address and attribute (for a live resource:
// rule, account, region and resource id). It holds no line number and no
// file path, so it survives line moves and file moves. When the address
// is ambiguous in the scan, the scan adds the root (WithRoot).
func Fingerprint(f model.Finding) string {
	var key string
	// A live finding is keyed by account, region and id whether it points
	// at a saved snapshot or not, so re-reading a snapshot (whose lines
	// change from one audit to the next) keeps the same alerts.
	if f.Source.Format == model.FormatAWS {
		id := f.Resource.ID
		if id == "" {
			id = f.Resource.Address
		}
		key = strings.Join([]string{f.RuleID, f.Source.Account, f.Source.Region, id, f.Attribute}, "|")
	} else {
		key = strings.Join([]string{f.RuleID, f.Resource.Type, f.Resource.Address, f.Attribute}, "|")
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// WithRoot derives the fingerprint of a finding whose address another
// unit of the scan shares from its plain fingerprint and its root, so the
// two findings differ while findings on unique addresses keep theirs.
func WithRoot(fingerprint, root string) string {
	sum := sha256.Sum256([]byte(fingerprint + "|root|" + root))
	return hex.EncodeToString(sum[:min(len(fingerprint)/2, len(sum))])
}
