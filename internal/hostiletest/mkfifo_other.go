//go:build !unix

package hostiletest

import "errors"

// Mkfifo makes a named pipe.
func Mkfifo(string) error { return errors.New("named pipes are not supported") }
