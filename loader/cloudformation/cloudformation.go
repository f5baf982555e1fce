// Package cloudformation loads CloudFormation templates (YAML and JSON) into model units.
package cloudformation

import (
	"context"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// Format is the cloudformation loader.
type Format struct{}

// New returns the cloudformation loader.
func New() loader.FileFormat { return &Format{} }

// Name implements loader.FileFormat.
func (*Format) Name() string { return "cloudformation" }

// Detect implements loader.FileFormat.
func (*Format) Detect(in loader.Input) bool { return false } // being written

// Load implements loader.FileFormat.
func (*Format) Load(ctx context.Context, in loader.Input, opts loader.Options) ([]*model.Model, []model.LoadError) {
	return nil, nil // being written
}
