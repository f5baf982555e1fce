package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionReport: the version comes from the release stamp, else from
// what `go install ...@version` records; the build facts follow it.
func TestVersionReport(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    []string
	}{
		{
			name:    "release build (GoReleaser)",
			stamped: "v1.4.0",
			bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/vpclint/vpclint", Version: "v1.4.0"},
				Settings: settings("-trimpath", "true", "CGO_ENABLED", "0", "GOOS", "darwin", "GOARCH", "arm64",
					"vcs.revision", "0123456789abcdef", "vcs.time", "2026-05-01T10:00:00Z", "vcs.modified", "false")},
			want: []string{
				"vpclint v1.4.0\n",
				"commit:    0123456789abcdef (2026-05-01T10:00:00Z)\n",
				"module:    github.com/vpclint/vpclint v1.4.0\n",
				"go:        go1.26.8 darwin/arm64 (CGO_ENABLED=0, -trimpath)\n",
			},
		},
		{
			name: "go install ...@v1.4.0",
			bi: &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Path: "github.com/vpclint/vpclint", Version: "v1.4.0", Sum: "h1:abc="},
				Settings: settings("CGO_ENABLED", "1", "GOOS", "linux", "GOARCH", "amd64")},
			want: []string{
				"vpclint v1.4.0\n",
				"module:    github.com/vpclint/vpclint v1.4.0 h1:abc=\n",
				"go:        go1.26.1 linux/amd64 (CGO_ENABLED=1)\n",
			},
		},
		{
			name: "a clone with local changes",
			bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/vpclint/vpclint", Version: "(devel)"},
				Settings: settings("vcs.revision", "feedface", "vcs.modified", "true")},
			want: []string{"vpclint dev\n", "commit:    feedface, with uncommitted changes\n"},
		},
		{name: "no build info", want: []string{"vpclint dev\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := versionReport(tt.stamped, tt.bi)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			if !strings.HasPrefix(got, tt.want[0]) {
				t.Errorf("the version is not the first line:\n%s", got)
			}
		})
	}
}
