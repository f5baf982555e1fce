//go:build !unix

package loader

import "os"

// openNoBlock opens a file for reading; ReadFile has already refused
// anything but a regular file.
func openNoBlock(p string) (*os.File, error) { return os.Open(p) }
