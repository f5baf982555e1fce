package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/vpclint/vpclint/model"
)

// awsFlags are the live-AWS options of `vpclint scan`. This is a stub: the
// live AWS loader replaces this file.
type awsFlags struct{}

// addAWSFlags registers the live-AWS flags on the scan command.
func addAWSFlags(cmd *cobra.Command) *awsFlags { return &awsFlags{} }

// enabled reports whether the user asked for a live AWS scan.
func (f *awsFlags) enabled() bool { return false }

// load reads the live accounts and regions into model units.
func (f *awsFlags) load(ctx context.Context, quiet bool) ([]*model.Model, []model.LoadError, error) {
	return nil, nil, nil
}
