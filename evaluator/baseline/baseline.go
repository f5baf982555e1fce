// Package baseline records the findings of a scan by fingerprint so that a
// later scan reports only new ones: the way to adopt vpclint on an old
// repository without a wall of old findings. Fingerprints do not contain
// line numbers or file paths, so a baseline survives unrelated edits above a
// resource and file moves within the repository.
package baseline

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/vpclint/vpclint/model"
)

// Version of the baseline file format.
const Version = 1

// File is a baseline file.
type File struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Entry is one recorded finding; only Fingerprint is used for matching,
// the rest is there for people reading the file.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"rule_id"`
	Resource    string `json:"resource"`
	File        string `json:"file,omitempty"`
}

// Write records the findings (suppressed ones excluded: they are already
// accepted in the code) as a stable, sorted baseline.
func Write(w io.Writer, findings []model.Finding) error {
	b := File{Version: Version, Findings: []Entry{}}
	for _, f := range findings {
		if f.Suppression != nil {
			continue
		}
		b.Findings = append(b.Findings, Entry{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Resource: f.Resource.Address, File: f.Location.File})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.RuleID != y.RuleID {
			return x.RuleID < y.RuleID
		}
		if x.Resource != y.Resource {
			return x.Resource < y.Resource
		}
		return x.Fingerprint < y.Fingerprint
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// Read loads a baseline file.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	var b File
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("parse baseline %s: %w", path, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("baseline %s: version %d is not supported (want %d)", path, b.Version, Version)
	}
	return &b, nil
}

// Filter returns the findings not in the baseline and how many were. Each
// baseline entry absorbs one finding, so a second identical finding is new.
func (b *File) Filter(findings []model.Finding) (fresh []model.Finding, known int) {
	return b.Matcher().Filter(findings)
}

// Matcher filters the findings of a scan against the baseline unit by
// unit: each entry absorbs one finding over all the calls, as one Filter
// of all the findings would.
type Matcher struct {
	left map[string]int
}

// Matcher starts matching the findings of one scan.
func (b *File) Matcher() *Matcher {
	left := map[string]int{}
	for _, e := range b.Findings {
		left[e.Fingerprint]++
	}
	return &Matcher{left: left}
}

// Filter returns the findings that no entry left absorbs, and how many
// were absorbed.
func (m *Matcher) Filter(findings []model.Finding) (fresh []model.Finding, known int) {
	for _, f := range findings {
		if m.left[f.Fingerprint] > 0 && f.Suppression == nil {
			m.left[f.Fingerprint]--
			known++
			continue
		}
		fresh = append(fresh, f)
	}
	return fresh, known
}
