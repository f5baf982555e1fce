// Package tfmodules holds what both Terraform loaders (HCL and plan JSON)
// need to follow module calls as Terraform does: the modules that
// `terraform init` installed.
package tfmodules

import (
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/vpclint/vpclint/loader"
)

// Installed reads <rootDir>/.terraform/modules/modules.json and maps each
// module key ("vpc", "vpc.endpoints") to its installed directory, made
// absolute against rootDir. The manifest is read only inside the scan
// root (it could be a link out of it, or a named pipe); the directories
// it names are not checked here (callers follow only those inside the
// root). It returns nil when nothing is installed or the manifest does
// not parse (the modules are then simply not followed).
func Installed(root, rootDir string) map[string]string {
	b, err := loader.ReadFileIn(root, filepath.Join(rootDir, ".terraform", "modules", "modules.json"))
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

// IsLocalSource reports whether a module source is a local path, which
// Terraform reads in place (and does not install): it starts with ./ or
// ../ (.\ or ..\ on Windows), or is . or .. itself.
func IsLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || s == "." || s == ".." ||
		strings.HasPrefix(s, ".\\") || strings.HasPrefix(s, "..\\")
}
