package tfmodules

import (
	"os"
	"path/filepath"
	"testing"
)

func TestInstalled(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, ".terraform", "modules")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Dir":".terraform/modules/vpc"},{"Key":"abs","Dir":"/opt/mods/abs"}]}`
	if err := os.WriteFile(filepath.Join(dir, "modules.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	got := Installed(root, root)
	if got["vpc"] != filepath.Join(root, ".terraform", "modules", "vpc") || got["abs"] != "/opt/mods/abs" || len(got) != 2 {
		t.Errorf("Installed = %v", got)
	}
	if other := t.TempDir(); Installed(other, other) != nil {
		t.Error("no manifest must give nil")
	}
	// The manifest of a module below the root, read with a narrower root,
	// is outside it.
	if Installed(filepath.Join(root, "sub"), root) != nil {
		t.Error("a manifest outside the root was read")
	}
}

func TestIsLocalSource(t *testing.T) {
	tests := []struct {
		source string
		want   bool
	}{
		{"./modules/vpc", true},
		{"../shared", true},
		{".", true},
		{"..", true},
		{`.\modules\vpc`, true},
		{`..\shared`, true},
		{"terraform-aws-modules/vpc/aws", false},
		{"git::https://example.com/vpc.git", false},
		{"modules/vpc", false}, // a registry address to Terraform, not a path
		{".modules", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsLocalSource(tt.source); got != tt.want {
			t.Errorf("IsLocalSource(%q) = %v, want %v", tt.source, got, tt.want)
		}
	}
}
