// Package loader finds the inputs under the paths a user names, detects
// their format by content, and hands each to its format's loader, which
// turns it into model units. One sub-package per format; this package
// knows none of them, so a new format touches only its own package and the
// list the command passes in.
package loader

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/vpclint/vpclint/internal/pathshow"
	"github.com/vpclint/vpclint/model"
)

// MaxFileSize is the largest input file read; larger ones are an error.
const MaxFileSize = 64 << 20

// Options are the settings every loader may read.
type Options struct {
	// WorkDir is the current directory (findings' paths are relative to
	// it when the file lies below it). Empty means os.Getwd().
	WorkDir string
	// Root is the scan root, for files outside WorkDir.
	Root string
	// Exclude are globs (with **) of paths not to read.
	Exclude []string

	// Terraform.
	Vars     map[string]string // --var name=value
	VarFiles []string          // --var-file, in order
	// Env is an environment whose TF_VAR_ values set Terraform variables
	// (and whose AWS_REGION is the default region). Nil means the
	// process's, whose TF_VAR_ values are not read (they hold a CI
	// runner's secrets): a variable set there is unknown.
	Env []string
	// SourceDir holds the .tf files a plan came from (--source).
	SourceDir string

	// CloudFormation.
	Parameters     map[string]string // --parameter Name=Value
	ParameterFiles []string

	// Deployment context, for pseudo parameters and data sources.
	Region  string
	Account string

	// excluded holds the absolute paths of the files of directory formats
	// that the walk met and Exclude names: OwnedFiles leaves them out of
	// their directory. Set by Load; shared by every copy of the options.
	excluded map[string]bool
}

// Input is one file handed to a FileFormat.
type Input struct {
	// Path is as found on disk; Rel is the path to show in findings.
	Path    string
	Rel     string
	Content []byte
}

// FileFormat loads formats that live in single files (plans, templates,
// inventory snapshots). Detect must be cheap and decide by content.
type FileFormat interface {
	Name() string
	Detect(in Input) bool
	Load(ctx context.Context, in Input, opts Options) ([]*model.Model, []model.LoadError)
}

// DirFormat loads formats made of directories of files (Terraform).
type DirFormat interface {
	Name() string
	// Owns reports whether a file name belongs to this format (.tf).
	Owns(name string) bool
	// LoadDirs loads the directories that hold its files; it decides
	// which are roots. files, when set, restricts a directory to the
	// named files (`vpclint scan main.tf` reads that file alone).
	LoadDirs(ctx context.Context, dirs []Dir, opts Options) ([]*model.Model, []model.LoadError)
}

// DirStreamer is a DirFormat that hands each unit over as soon as it is
// loaded (Loader.Stream passes it on), rather than all of a scan root's
// at the end: a scan of many root modules then holds a few models at
// once. StreamDirs loads what LoadDirs does, handing the units to emit in
// the order LoadDirs returns them; an error of emit stops it and is
// returned.
type DirStreamer interface {
	DirFormat
	StreamDirs(ctx context.Context, dirs []Dir, opts Options, emit func(*model.Model) error) ([]model.LoadError, error)
}

// SetFormat is a FileFormat whose files are read together: the
// CloudFormation templates of one scan include each other as nested
// stacks and import each other's exports, so a template that a scanned
// parent includes is read in that parent's context only. LoadSet gets
// every input the format detected under one scan root, in path order.
type SetFormat interface {
	FileFormat
	LoadSet(ctx context.Context, ins []Input, opts Options) ([]*model.Model, []model.LoadError)
}

// Dir is a directory of a DirFormat's files, or the single file named.
type Dir struct {
	Path string
	Rel  string
	// Files, when non-empty, are the only files of Path to read.
	Files []string
}

// Result is what a scan loaded.
type Result struct {
	// Units are the units loaded, by Load (Stream hands them to its
	// emit instead).
	Units  []*model.Model
	Errors []model.LoadError
	// Files is the number of input files read.
	Files int
	// Empty are the paths named by the user that hold nothing vpclint
	// reads (each also has a warning in Errors).
	Empty []string
}

// Loader walks paths and dispatches to formats.
type Loader struct {
	Files []FileFormat
	Dirs  []DirFormat
}

// candidateExt are extensions sniffed for file formats.
var candidateExt = map[string]bool{".json": true, ".yaml": true, ".yml": true, ".template": true}

// Load reads every input under paths. Each path is read within its scan
// root (ScanRoot, unless opts.Root names one): the walk follows a symbolic
// link only while its target stays inside the root, and skips, with a
// note, links that leave it and anything that is neither a regular file
// nor a directory (a named pipe would block the scan forever).
func (l *Loader) Load(ctx context.Context, paths []string, opts Options) (*Result, error) {
	var units []*model.Model
	res, err := l.Stream(ctx, paths, opts, func(u *model.Model) error {
		units = append(units, u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Units = units
	return res, nil
}

// Stream reads what Load reads, handing each unit to emit as soon as it
// is loaded, in the order Load lists them: the units of directory formats
// (by format and scan root), those of file formats (by path), then those
// of set formats (by format and scan root; a set's units are handed over
// once the whole set is read, as its templates need each other). The
// caller that lets a unit go once it is done with it holds only the
// units in its hands: one file's or one set's, or one root module's of a
// DirStreamer. An error of emit stops the load and is Stream's.
func (l *Loader) Stream(ctx context.Context, paths []string, opts Options, emit func(*model.Model) error) (*Result, error) {
	emitAll := func(units []*model.Model) error {
		for i, u := range units {
			units[i] = nil // the caller's now
			if err := emit(u); err != nil {
				return err
			}
		}
		return nil
	}
	if opts.WorkDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("current directory: %w", err)
		}
		opts.WorkDir = wd
	}
	res := &Result{}
	opts.excluded = map[string]bool{}
	w := &walk{l: l, opts: opts, res: res, dirs: map[groupKey]map[string][]string{}, visited: map[string]bool{},
		terragrunt: map[int]bool{}, skippedPath: map[int]bool{}}
	// read[i] tells whether the i-th path holds an input: a directory of a
	// directory format, or a file a file format recognizes.
	read := make([]bool, len(paths))
	for i, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w.from, w.found = i, false
		if err := w.path(p); err != nil {
			return nil, err
		}
		read[i] = w.found
	}
	keys := slices.Collect(maps.Keys(w.dirs))
	slices.SortFunc(keys, func(a, b groupKey) int {
		return cmp.Or(strings.Compare(a.format, b.format), strings.Compare(a.root, b.root))
	})
	for _, df := range l.Dirs {
		for _, k := range keys {
			if k.format != df.Name() {
				continue
			}
			gopts := opts
			gopts.Root = k.root
			var dirs []Dir
			for d, fs := range w.dirs[k] {
				sort.Strings(fs)
				fs = wholeDirectory(gopts, df, d, slices.Compact(fs))
				dirs = append(dirs, Dir{Path: d, Rel: RelPath(opts.WorkDir, k.root, d), Files: fs})
			}
			sort.Slice(dirs, func(i, j int) bool { return dirs[i].Path < dirs[j].Path })
			var errs []model.LoadError
			var err error
			if ds, ok := df.(DirStreamer); ok {
				errs, err = ds.StreamDirs(ctx, dirs, gopts, emit)
			} else {
				var units []*model.Model
				units, errs = df.LoadDirs(ctx, dirs, gopts)
				err = emitAll(units)
			}
			res.Errors = append(res.Errors, errs...)
			if err != nil {
				return nil, err
			}
			for _, d := range dirs {
				res.Files += countOwned(df, d, gopts)
			}
		}
	}
	if len(opts.Vars) > 0 && len(keys) == 0 {
		res.Errors = append(res.Errors, model.LoadError{Level: model.LevelWarning,
			Message: "--var is given, but no Terraform module was scanned: the values set nothing"})
	}
	sort.Slice(w.files, func(i, j int) bool { return w.files[i].path < w.files[j].path })
	// Inputs of set formats, by format and scan root, read after the walk.
	type setKey struct {
		format SetFormat
		root   string
	}
	sets := map[setKey][]Input{}
	var setOrder []setKey
	for _, cf := range w.files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fopts := opts
		fopts.Root = cf.root
		rel := RelPath(opts.WorkDir, cf.root, cf.path)
		content, err := ReadFile(cf.path)
		if err != nil {
			res.Errors = append(res.Errors, model.LoadError{File: rel, Message: err.Error(), Level: model.LevelError})
			continue
		}
		in := Input{Path: cf.path, Rel: rel, Content: content}
		var f FileFormat
		for _, cand := range l.Files {
			if cand.Detect(in) {
				f = cand
				break
			}
		}
		if f == nil {
			if cf.explicit {
				res.Errors = append(res.Errors, model.LoadError{File: rel, Message: "not a recognized input: no Terraform, plan, CloudFormation template or vpclint inventory found", Level: model.LevelError})
			}
			continue
		}
		read[cf.from] = true
		if bytes.IndexByte(content, 0) >= 0 {
			res.Errors = append(res.Errors, model.LoadError{File: rel, Message: "binary file", Level: model.LevelError})
			continue
		}
		res.Files++
		if sf, ok := f.(SetFormat); ok {
			k := setKey{sf, cf.root}
			if _, seen := sets[k]; !seen {
				setOrder = append(setOrder, k)
			}
			sets[k] = append(sets[k], in)
			continue
		}
		units, errs := f.Load(ctx, in, fopts)
		res.Errors = append(res.Errors, errs...)
		if err := emitAll(units); err != nil {
			return nil, err
		}
	}
	for _, k := range setOrder {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sopts := opts
		sopts.Root = k.root
		units, errs := k.format.LoadSet(ctx, sets[k], sopts)
		delete(sets, k) // its contents are read
		res.Errors = append(res.Errors, errs...)
		if err := emitAll(units); err != nil {
			return nil, err
		}
	}
	for i, p := range paths {
		if st, err := os.Stat(p); err != nil || !st.IsDir() {
			continue // a file that is no input has its own error
		}
		if !read[i] && !w.skippedPath[i] {
			e := nothingRead(opts, p, w.terragrunt[i])
			res.Empty = append(res.Empty, e.File)
			res.Errors = append(res.Errors, e)
		}
	}
	return res, nil
}

// nothingRead is the warning for a path that holds nothing vpclint reads,
// which is most often a path that was meant to be another one, or a
// Terragrunt tree (whose terragrunt.hcl files are not Terraform).
func nothingRead(opts Options, p string, terragrunt bool) model.LoadError {
	msg := "nothing here that vpclint reads: it reads Terraform (.tf, .tf.json), Terraform plans (terraform show -json), CloudFormation templates (YAML or JSON) and vpclint inventory snapshots"
	if len(opts.Exclude) > 0 {
		msg += ", and skips what --exclude names"
	}
	if terragrunt {
		msg += "; terragrunt.hcl is Terragrunt's configuration, not Terraform: scan a plan instead (terragrunt plan -out=tfplan, then terragrunt show -json tfplan > plan.json)"
	}
	root, _ := ScanRoot(p)
	return model.LoadError{File: RelPath(opts.WorkDir, root, p), Level: model.LevelWarning, Message: msg}
}

// wholeDirectory returns nil (the whole directory) for a sorted list of a
// directory's files named on the command line that names every file of
// the format there: naming each .tf file of a module is naming the module
// (its terraform.tfvars is read and the modules that call it find it),
// without its subdirectories. This is how a pre-commit hook scans the
// module of a changed file and nothing below it.
func wholeDirectory(opts Options, df DirFormat, d string, named []string) []string {
	if len(named) == 0 {
		return named
	}
	all, _, err := OwnedFiles(opts, d, df.Owns)
	if err != nil || !slices.Equal(all, named) {
		return named
	}
	return nil
}

func (l *Loader) dirFormatFor(name string) DirFormat {
	for _, df := range l.Dirs {
		if df.Owns(name) {
			return df
		}
	}
	return nil
}

// countOwned counts the files of a directory its format reads.
func countOwned(df DirFormat, d Dir, opts Options) int {
	if len(d.Files) > 0 {
		return len(d.Files)
	}
	names, _, err := OwnedFiles(opts, d.Path, df.Owns)
	if err != nil {
		return 0
	}
	return len(names)
}

// RelPath gives the path to show for a file: relative to workDir when the
// file lies below it (CI runs from the repository root, which GitHub code
// scanning needs), else relative to the scan root, with forward slashes;
// never absolute (see package pathshow).
func RelPath(workDir, root, p string) string { return pathshow.Rel(workDir, root, p) }

// excludedPath applies the exclude globs to fp relative to the scan path
// it was found under, to the work directory and to the scan root, so
// "legacy/**" (below the scanned directory), "infra/legacy/**" (from the
// current directory) and a config's globs (from the repository's root)
// all work. scanPath may be "" (a file named on the command line).
func excludedPath(opts Options, scanPath, root, fp string) bool {
	if len(opts.Exclude) == 0 {
		return false
	}
	if scanPath != "" {
		if r, err := filepath.Rel(scanPath, fp); err == nil && r != "." && Excluded(opts.Exclude, r) {
			return true
		}
	}
	if Excluded(opts.Exclude, RelPath(opts.WorkDir, "", fp)) {
		return true
	}
	if root == "" {
		return false
	}
	abs, err := filepath.Abs(fp)
	if err != nil {
		return false
	}
	r, ok := pathshow.Within(root, resolveExisting(abs))
	return ok && r != "." && Excluded(opts.Exclude, r)
}

// Excluded reports whether rel matches one of the globs. A glob matches
// the path or any of its parent directories; `**` matches any number of
// path elements.
func Excluded(globs []string, rel string) bool {
	rel = filepath.ToSlash(rel)
	for _, g := range globs {
		if MatchGlob(g, rel) {
			return true
		}
	}
	return false
}

// MatchGlob matches a slash-separated path against a glob where `**`
// stands for zero or more path elements.
func MatchGlob(glob, p string) bool {
	return matchParts(strings.Split(strings.Trim(glob, "/"), "/"), strings.Split(strings.Trim(p, "/"), "/"))
}

func matchParts(g, p []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchParts(g[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], p[0]); !ok {
			return false
		}
		g, p = g[1:], p[1:]
	}
	return len(p) == 0
}
