// Package gitdiff lists the files changed since a git ref, for
// --changed-only: in a pull request, report only findings on resources whose
// files changed, for fast feedback on big repositories.
package gitdiff

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// ChangedFiles returns the absolute paths of files that differ between
// base (e.g. origin/main) and the work tree of the repository holding dir,
// including uncommitted and untracked files. It compares against the merge
// base, as a pull request does.
func ChangedFiles(ctx context.Context, dir, base string) (map[string]bool, error) {
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("--diff-base needs a git repository: %w", err)
	}
	top = strings.TrimSpace(top)
	mb, err := git(ctx, dir, "merge-base", base, "HEAD")
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
	diff, err := git(ctx, dir, "diff", "--name-only", "--no-renames", strings.TrimSpace(mb))
	if err != nil {
		return nil, fmt.Errorf("git diff against %s: %w", base, err)
	}
	add(diff)
	untracked, err := git(ctx, dir, "ls-files", "--others", "--exclude-standard")
	if err != nil {
		return nil, fmt.Errorf("list untracked files: %w", err)
	}
	// ls-files is relative to dir, not to the top.
	for _, l := range strings.Split(untracked, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			abs, _ := filepath.Abs(filepath.Join(dir, filepath.FromSlash(l)))
			out[abs] = true
		}
	}
	return out, nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.String(), nil
}
