//go:build !unix

package cloudformation_test

import "errors"

func mkfifo(string) error { return errors.New("named pipes are a unix thing") }
