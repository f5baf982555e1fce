// Package gitcmd runs git for the commands that read a repository
// (--changed-only's file list, --compare's tree at a ref): one way to call
// it, with the caller's deadline and git's own message in errors.
package gitcmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// Output runs git with args in dir, stdin as its input (nil: none), and
// returns its standard output; an error carries git's standard error.
func Output(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return stdout.Bytes(), nil
}

// Top is the top directory of the git work tree holding dir.
func Top(ctx context.Context, dir string) (string, error) {
	out, err := Output(ctx, dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("not in a git repository: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// CheckRef refuses a ref that git would read as an option.
func CheckRef(ref string) error {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return fmt.Errorf("%q is not a git ref", ref)
	}
	return nil
}
