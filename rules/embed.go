// Package rules holds vpclint's built-in Rego rules (one file per rule,
// its _test.rego beside it), the shared Rego library under lib/, the
// service knowledge under data/, and config.json, the default rule
// parameters. It only embeds them; package evaluator compiles them.
package rules

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// FS holds the rule tree: config.json, data/*.json and the .rego files of
// every area directory. Listing patterns (rather than embedding "*") keeps
// an empty area directory from breaking the build.
//
//go:embed config.json data/*.json */*.rego
var FS embed.FS

// Modules returns the Rego modules by path; withTests adds _test.rego files.
func Modules(withTests bool) (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		if strings.HasSuffix(p, "_test.rego") && !withTests {
			return nil
		}
		b, err := FS.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		out[p] = string(b)
		return nil
	})
	return out, err
}

// Data returns the documents rules read besides input: data.config (the
// defaults of config.json) and data.vpclint.data.<name> for every
// data/<name>.json.
func Data() (map[string]any, error) {
	var cfg map[string]any
	b, err := FS.ReadFile("config.json")
	if err != nil {
		return nil, fmt.Errorf("read config.json: %w", err)
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("parse rules/config.json: %w", err)
	}
	files := map[string]any{}
	entries, err := fs.ReadDir(FS, "data")
	if err != nil {
		return nil, fmt.Errorf("read rules/data: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		b, err := FS.ReadFile("data/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read rules/data/%s: %w", e.Name(), err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("parse rules/data/%s: %w", e.Name(), err)
		}
		files[strings.TrimSuffix(e.Name(), ".json")] = v
	}
	return map[string]any{
		"config":  cfg,
		"vpclint": map[string]any{"data": files},
	}, nil
}
