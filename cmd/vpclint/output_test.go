package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteFileAtomicSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	payload := func(w io.Writer) error { _, err := io.WriteString(w, "report\n"); return err }

	// A regular file is replaced whole.
	reg := filepath.Join(dir, "sub", "r.json")
	if err := writeFileAtomic(reg, payload); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(reg); string(b) != "report\n" {
		t.Errorf("regular file holds %q", b)
	}

	// A symbolic link stays a link; its target gets the report.
	target := filepath.Join(dir, "target.json")
	if err := os.WriteFile(target, []byte("old content that is longer\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(link, payload); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(target); string(b) != "report\n" {
		t.Errorf("link target holds %q", b)
	}

	// A named pipe (like /dev/stdout or /dev/null, a special file) is
	// written through, not renamed over.
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := writeFileAtomic(fifo, payload); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "report\n" {
		t.Errorf("pipe got %q", s)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced by a file")
	}

	if err := writeFileAtomic(dir, payload); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("writing onto a directory: %v", err)
	}
}
