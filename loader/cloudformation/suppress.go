package cloudformation

import (
	"fmt"
	"strings"

	"github.com/vpclint/vpclint/loader/suppress"
	"github.com/vpclint/vpclint/model"
)

// tagsAndSuppressions reads a resource's Tags, then its suppressions,
// which may name a tag's line.
func (b *build) tagsAndSuppressions(x *rb) {
	x.tags()
	b.suppressions(x, "")
}

// suppressions attaches the suppressions written on a resource to
// x.meta: comments before it or before one of its properties, and its
// Metadata. A folded part (a rule resource joined to its group) gives its
// attribute path as base, which limits them to it.
func (b *build) suppressions(x *rb, base string) {
	res := x.res
	start, end := res.startLine(), b.endLine(res)
	// Comments directly before the resource's logical id, in line
	// order as tfaws reads them.
	out, errs := suppress.Above(b.file, b.src.lines, start, end, suppress.YAML)
	b.errs = append(b.errs, errs...)
	for i := range out {
		out[i].Attribute = base
	}
	add := func(line int, text string, attr string, s0, s1 int) {
		s, ok, err := suppress.ParseComment(text)
		if !ok {
			return
		}
		if err != nil {
			b.addError(model.LevelWarning, line, "%v", err)
			return
		}
		s.Kind, s.File, s.Line = "comment", b.file, line
		s.Attribute, s.StartLine, s.EndLine = attr, s0, s1
		out = append(out, s)
	}
	// Comments inside the resource, before a property: the widest
	// property starting on the next line is the one meant.
	var widest map[int]span
	next := 0 // the first line after l that is neither blank nor a comment
	for l := start + 1; l <= end && l <= len(b.src.lines); l++ {
		t := strings.TrimSpace(b.src.lines[l-1])
		if !strings.HasPrefix(t, "#") || !suppress.HasMarker(t) {
			continue
		}
		if next <= l {
			next = l + 1
		}
		for next <= end && next <= len(b.src.lines) {
			nt := strings.TrimSpace(b.src.lines[next-1])
			if nt != "" && !strings.HasPrefix(nt, "#") {
				break
			}
			next++
		}
		if widest == nil {
			widest = make(map[int]span, len(x.spans))
			for _, sp := range x.spans {
				if w, ok := widest[sp.start]; !ok || sp.end-sp.start > w.end-w.start {
					widest[sp.start] = sp
				}
			}
		}
		attr, s0, s1 := base, start, end
		if sp, ok := widest[next]; ok {
			attr, s0, s1 = sp.path, sp.start, sp.end
		}
		add(l, t, attr, s0, s1)
	}
	// Ignores written after a value on a line, and Checkov skips
	// anywhere in the resource.
	within, errs := suppress.Within(b.file, b.src.lines, start, end)
	b.errs = append(b.errs, errs...)
	for i := range within {
		if within[i].StartLine == start && within[i].EndLine == end {
			within[i].Attribute = base
		}
	}
	out = append(out, within...)
	out = append(out, b.metadataSuppressions(res, base)...)
	x.meta.Suppressions = append(x.meta.Suppressions, out...)
}

// metadataSuppressions reads a resource's Metadata: vpclint's form
//
//	Metadata:
//	  vpclint:
//	    ignore:
//	      - id: SG001            # or ids: [SG001, SG004], or "SG001,SG004"
//	        reason: bastion
//	        until: 2027-03-31
//
// and Checkov's, which applies to the vpclint rules that correspond to
// the Checkov checks:
//
//	Metadata:
//	  checkov:
//	    skip:
//	      - id: CKV_AWS_24
//	        comment: the bastion is reached through the VPN
func (b *build) metadataSuppressions(res *resource, base string) []model.Suppression {
	var out []model.Suppression
	add := func(s model.Suppression, line int) {
		s.Kind, s.File, s.Line = "metadata", b.file, line
		s.Attribute, s.StartLine, s.EndLine = base, res.startLine(), b.endLine(res)
		out = append(out, s)
	}
	for _, it := range res.metadata.val("checkov").val("skip").listOrOne() {
		id := it.val("id").str()
		if it.kind == kindScalar {
			id = it.value
		}
		if id != "" {
			add(model.Suppression{Tool: suppress.ToolCheckov, RuleIDs: []string{id}, Reason: it.val("comment").str()}, it.line)
		}
	}
	for _, it := range res.metadata.val("vpclint").val("ignore").listOrOne() {
		var ids []string
		var reason, until string
		switch it.kind {
		case kindScalar:
			ids = splitIDs(it.value)
		case kindMap:
			for _, k := range []string{"id", "ids", "rule", "rules"} {
				for _, e := range it.val(k).listOrOne() {
					ids = append(ids, splitIDs(e.str())...)
				}
			}
			reason, until = it.val("reason").str(), it.val("until").str()
		}
		// Check the entry with the comment parser, so both forms accept
		// the same ids and dates.
		text := fmt.Sprintf("%s %s", suppress.Marker, strings.Join(ids, ","))
		if until != "" {
			text += " until=" + until
		}
		s, _, err := suppress.ParseComment(text)
		if err != nil {
			b.addError(model.LevelWarning, it.line, "%s: Metadata vpclint ignore: %v", res.logicalID, err)
			continue
		}
		s.Reason = reason
		add(s, it.line)
	}
	return out
}

func splitIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}
