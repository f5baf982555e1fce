// Package gitdiff lists the files changed since a git ref, for
// --changed-only: in a pull request, report only findings on resources whose
// files changed, for fast feedback on big repositories.
package gitdiff

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/vpclint/vpclint/internal/gitcmd"
)

// ChangedFiles returns the absolute paths of files that differ between
// base (e.g. origin/main) and the work tree of the repository holding dir,
// including uncommitted and untracked files. It compares against the merge
// base, as a pull request does.
func ChangedFiles(ctx context.Context, dir, base string) (map[string]bool, error) {
	top, err := gitcmd.Top(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("--diff-base: %w", err)
	}
	if err := gitcmd.CheckRef(base); err != nil {
		return nil, fmt.Errorf("--diff-base: %w", err)
	}
	mb, err := gitcmd.Output(ctx, dir, nil, "merge-base", base, "HEAD")
	if err != nil {
		return nil, fmt.Errorf("find merge base of %s and HEAD: %w", base, err)
	}
	out := map[string]bool{}
	add := func(list string) {
		for _, l := range strings.Split(list, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out[filepath.Join(top, filepath.FromSlash(l))] = true
			}
		}
	}
	diff, err := gitcmd.Output(ctx, dir, nil, "diff", "--name-only", "--no-renames", strings.TrimSpace(string(mb)))
	if err != nil {
		return nil, fmt.Errorf("git diff against %s: %w", base, err)
	}
	add(string(diff))
	untracked, err := gitcmd.Output(ctx, dir, nil, "ls-files", "--others", "--exclude-standard")
	if err != nil {
		return nil, fmt.Errorf("list untracked files: %w", err)
	}
	// ls-files is relative to dir, not to the top.
	for _, l := range strings.Split(string(untracked), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			abs, _ := filepath.Abs(filepath.Join(dir, filepath.FromSlash(l)))
			out[abs] = true
		}
	}
	return out, nil
}
