//go:build unix

package hostiletest

import "syscall"

// Mkfifo makes a named pipe.
func Mkfifo(p string) error { return syscall.Mkfifo(p, 0o644) }
