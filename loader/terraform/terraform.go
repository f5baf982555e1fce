// Package terraform loads Terraform configurations (.tf and .tf.json) into
// model units: one per root module, with its module tree evaluated.
package terraform

import (
	"context"
	"strings"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// Format is the Terraform HCL loader.
type Format struct{}

// New returns the Terraform loader.
func New() loader.DirFormat { return &Format{} }

// Name implements loader.DirFormat.
func (*Format) Name() string { return model.FormatTerraform }

// Owns implements loader.DirFormat.
func (*Format) Owns(name string) bool {
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// LoadDirs implements loader.DirFormat.
func (*Format) LoadDirs(ctx context.Context, dirs []loader.Dir, opts loader.Options) ([]*model.Model, []model.LoadError) {
	return nil, nil // being written
}
