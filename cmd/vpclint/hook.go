package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/scan"
)

// hookCommand is `vpclint hook FILE...`: the scan a pre-commit hook (or
// any tool that passes the changed files) wants. Each changed Terraform
// file stands for its directory's module, read whole but without the
// directories below it; each changed template or plan is read alone; any
// other file is not vpclint's and is left out, so a change to a README or
// a Kubernetes manifest at the repository's root never scans the whole
// repository.
func (a *app) hookCommand() *cobra.Command {
	var f *scanFlags
	cmd := &cobra.Command{
		Use:   "hook [FILE...]",
		Short: "Scan what changed files belong to (for pre-commit and other hooks)",
		Long: `Hook scans what the given changed files belong to, as a pre-commit hook
needs: for a .tf, .tf.json, .tfvars or .tfvars.json file, the Terraform module
of its directory (every .tf file there, not the directories below it); for a
YAML or JSON file, the file itself when it is a CloudFormation template or a
Terraform plan. Other files, and files that no longer exist, are left out;
when nothing is left, nothing is scanned and the exit status is 0.

It takes the flags of "vpclint scan".`,
		Example: `  vpclint hook infra/main.tf stacks/network.yaml README.md
  git diff --name-only origin/main | xargs vpclint hook --fail-on high`,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := hookPaths(args)
			if err != nil {
				return &exitCodeError{code: exitError, err: err}
			}
			if len(paths) == 0 {
				if !f.quiet {
					fmt.Fprintln(a.stderr, "vpclint: none of the changed files is Terraform, a CloudFormation template or a plan: nothing to scan")
				}
				return nil
			}
			return a.runScan(cmd, f, paths)
		},
	}
	f = addScanFlags(cmd)
	return cmd
}

// terraformFile reports whether a changed file belongs to the Terraform
// module of its directory.
func terraformFile(name string) bool {
	for _, ext := range []string{".tf", ".tf.json", ".tfvars", ".tfvars.json"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// hookPaths turns changed files into the paths to scan: every Terraform
// file of each changed module's directory (naming them all reads the
// directory's module, see loader.Load), and the changed files a file
// format of the scan recognizes by content.
func hookPaths(files []string) ([]string, error) {
	formats := scan.DefaultLoader().Files
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	modules := map[string]bool{}
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted, or not a file
		}
		name := filepath.Base(f)
		if terraformFile(name) {
			modules[filepath.Dir(f)] = true
			continue
		}
		switch strings.ToLower(filepath.Ext(name)) {
		case ".json", ".yaml", ".yml", ".template":
		default:
			continue
		}
		content, err := loader.ReadFile(f)
		if err != nil {
			continue
		}
		in := loader.Input{Path: f, Rel: f, Content: content}
		if slices.ContainsFunc(formats, func(ff loader.FileFormat) bool { return ff.Detect(in) }) {
			add(f)
		}
	}
	dirs := make([]string, 0, len(modules))
	for d := range modules {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", d, err)
		}
		for _, e := range entries {
			if !e.IsDir() && (strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json")) {
				add(filepath.Join(d, e.Name()))
			}
		}
	}
	return out, nil
}
