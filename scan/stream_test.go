package scan

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"weak"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/terraform"
	"github.com/vpclint/vpclint/model"
)

// unitCounter wraps a directory format and counts, each time a unit is
// loaded, how many of the units loaded before it are still alive (not
// collected): what the scan holds at once.
type unitCounter struct {
	loader.DirStreamer
	refs    []weak.Pointer[model.Model]
	maxLive int
}

func (c *unitCounter) StreamDirs(ctx context.Context, dirs []loader.Dir, opts loader.Options, emit func(*model.Model) error) ([]model.LoadError, error) {
	return c.DirStreamer.StreamDirs(ctx, dirs, opts, func(u *model.Model) error {
		runtime.GC()
		live := 0
		for _, r := range c.refs {
			if r.Value() != nil {
				live++
			}
		}
		c.maxLive = max(c.maxLive, live)
		c.refs = append(c.refs, weak.Make(u))
		return emit(u)
	})
}

// TestScanLetsLoadedUnitsGo: a scan of many root modules checks each unit
// as it is loaded and lets it go, so it holds at most the units in flight
// however many it loads; and the findings on an address every unit has,
// known to be shared only once the last unit is loaded, still carry their
// root in their fingerprints.
func TestScanLetsLoadedUnitsGo(t *testing.T) {
	const n, par = 30, 2
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("stacks/s%02d/main.tf", i)] = fmt.Sprintf(`resource "aws_security_group" "admin" {
  description = "stack %d"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`, i)
	}
	dir := writeFiles(t, files)
	counter := &unitCounter{DirStreamer: terraform.New().(loader.DirStreamer)}
	res, err := Run(context.Background(), Options{Engine: sg001Engine(t), Parallelism: par,
		Paths: []string{dir}, Loader: loader.Options{WorkDir: dir, Env: []string{}},
		Loaders: &loader.Loader{Dirs: []loader.DirFormat{counter}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(counter.refs) != n || res.Checked() != n {
		t.Fatalf("%d units loaded, %d checked, want %d", len(counter.refs), res.Checked(), n)
	}
	// 2×par in flight (checking or waiting for a worker), plus the one
	// being added.
	if counter.maxLive > 2*par+1 {
		t.Errorf("up to %d of %d units held at once, want at most %d", counter.maxLive, n, 2*par+1)
	}
	fingerprints := map[string]bool{}
	for _, f := range res.Findings {
		if !f.Resource.Ambiguous || f.Fingerprint != evaluator.WithRoot(evaluator.Fingerprint(f), f.Resource.Root) {
			t.Errorf("%s in %s: not marked as shared (fingerprint %s)", f.Resource.Address, f.Resource.Root, f.Fingerprint)
		}
		fingerprints[f.Fingerprint] = true
	}
	if len(res.Findings) != n || len(fingerprints) != n {
		t.Errorf("%d findings, %d fingerprints, want %d of each", len(res.Findings), len(fingerprints), n)
	}
}
