// Package tfmodules holds what both Terraform loaders (HCL and plan JSON)
// need to follow module calls as Terraform does: the modules that
// `terraform init` installed, and the git work tree that local module
// sources are never followed out of.
package tfmodules

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// Installed reads <rootDir>/.terraform/modules/modules.json and maps each
// module key ("vpc", "vpc.endpoints") to its installed directory, made
// absolute against rootDir. It returns nil when nothing is installed or
// the manifest does not parse (the modules are then simply not followed).
func Installed(rootDir string) map[string]string {
	b, err := os.ReadFile(filepath.Join(rootDir, ".terraform", "modules", "modules.json"))
	if err != nil {
		return nil
	}
	var doc struct {
		Modules []struct {
			Key string `json:"Key"`
			Dir string `json:"Dir"`
		} `json:"Modules"`
	}
	if json.Unmarshal(b, &doc) != nil {
		return nil
	}
	out := map[string]string{}
	for _, m := range doc.Modules {
		if m.Key == "" {
			continue
		}
		d := filepath.FromSlash(m.Dir)
		if !filepath.IsAbs(d) {
			d = filepath.Join(rootDir, d)
		}
		out[m.Key] = filepath.Clean(d)
	}
	return out
}

// WorkTree returns the git work tree holding dir (the nearest directory
// with a .git entry), or "" when there is none.
func WorkTree(dir string) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// Within reports whether path is root or lies below it; an empty root
// holds everything.
func Within(root, path string) bool {
	if root == "" {
		return true
	}
	r, err := filepath.Rel(root, path)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}
