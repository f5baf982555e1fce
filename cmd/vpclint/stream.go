package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
	"github.com/vpclint/vpclint/scan"
)

// atomicFile is a file written as a program goes and put in place only
// when complete: a temporary file beside it, renamed over it by Commit.
// A device (/dev/null, /dev/stdout), a pipe or a symbolic link is written
// through instead, not replaced.
type atomicFile struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	tmp  bool
}

func createAtomic(path string) (*atomicFile, error) {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, fmt.Errorf("write %s: is a directory", path)
		}
		flags := os.O_WRONLY
		if st.Mode()&os.ModeSymlink != 0 {
			flags |= os.O_TRUNC
		}
		f, err := os.OpenFile(path, flags, 0)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		return &atomicFile{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<16)}, nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &atomicFile{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<16), tmp: true}, nil
}

func (a *atomicFile) Write(p []byte) (int, error) { return a.bw.Write(p) }

// Commit puts the file in place.
func (a *atomicFile) Commit() error {
	if err := a.bw.Flush(); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if err := a.f.Close(); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if !a.tmp {
		return nil
	}
	if err := os.Chmod(a.f.Name(), 0o644); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if err := os.Rename(a.f.Name(), a.path); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// Abort drops the file (a temporary one is removed).
func (a *atomicFile) Abort() {
	a.f.Close()
	if a.tmp {
		os.Remove(a.f.Name())
	}
}

// withoutStreamed are the outputs written at the end: all but the JSON
// Lines ones, written as the scan went.
func withoutStreamed(outs []output) []output {
	var out []output
	for _, o := range outs {
		if o.format != "jsonl" {
			out = append(out, o)
		}
	}
	return out
}

// lineOutputs are the JSON Lines reports of a scan, written unit by unit
// as the scan goes rather than at the end.
type lineOutputs struct {
	outs    []output
	files   []*atomicFile
	stdout  *bufio.Writer
	writers []*reporters.LineWriter
}

// openLineOutputs starts the JSON Lines reports among outs.
func openLineOutputs(outs []output, stdout io.Writer, header *reporters.Report) (*lineOutputs, error) {
	lo := &lineOutputs{}
	for _, o := range outs {
		if o.format != "jsonl" {
			continue
		}
		var w io.Writer
		if o.file == "" || o.file == "-" {
			lo.stdout = bufio.NewWriter(stdout)
			w = lo.stdout
		} else {
			f, err := createAtomic(o.file)
			if err != nil {
				lo.abort()
				return nil, err
			}
			lo.files = append(lo.files, f)
			w = f
		}
		lo.outs = append(lo.outs, o)
		lo.writers = append(lo.writers, reporters.NewLineWriter(w, header))
	}
	return lo, nil
}

// all reports whether every output is a JSON Lines one: the scan need not
// keep its findings.
func (lo *lineOutputs) all(outs []output) bool { return len(lo.writers) == len(outs) }

// shard records the shard of a sharded audit.
func (lo *lineOutputs) shard(s reporters.Shard) error {
	for _, w := range lo.writers {
		if err := w.Shard(s); err != nil {
			return err
		}
	}
	return nil
}

// unit writes a unit's records (scan.Options.OnUnit).
func (lo *lineOutputs) unit(r scan.UnitResult) error {
	for _, w := range lo.writers {
		if err := w.Unit(r.Live, r.Findings, r.Errors); err != nil {
			return fmt.Errorf("write the jsonl report: %w", err)
		}
	}
	return nil
}

// close writes the errors of no unit and the summary, and puts the files
// in place.
func (lo *lineOutputs) close(errs []model.LoadError, s model.Summary, c *model.Comparison) error {
	for _, w := range lo.writers {
		w.Errors(errs)
		if err := w.Close(s, c); err != nil {
			lo.abort()
			return fmt.Errorf("write the jsonl report: %w", err)
		}
	}
	if lo.stdout != nil {
		if err := lo.stdout.Flush(); err != nil {
			lo.abort()
			return fmt.Errorf("write the jsonl report: %w", err)
		}
	}
	for i, f := range lo.files {
		if err := f.Commit(); err != nil {
			for _, g := range lo.files[i+1:] {
				g.Abort()
			}
			return err
		}
	}
	return nil
}

func (lo *lineOutputs) abort() {
	for _, f := range lo.files {
		f.Abort()
	}
}
