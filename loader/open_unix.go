//go:build unix

package loader

import (
	"os"
	"syscall"
)

// openNoBlock opens a file for reading without blocking: opening a named
// pipe with no writer would otherwise wait forever.
func openNoBlock(p string) (*os.File, error) {
	return os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
