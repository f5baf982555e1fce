//go:build unix

package cloudformation_test

import "syscall"

// mkfifo makes a named pipe, which blocks whoever opens it to read.
func mkfifo(p string) error { return syscall.Mkfifo(p, 0o644) }
