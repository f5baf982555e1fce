// Package inventory reads and writes vpclint inventory snapshots: a live account read saved as stable JSON, re-scanned offline.
package inventory

import (
	"context"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// Format is the inventory loader.
type Format struct{}

// New returns the inventory loader.
func New() loader.FileFormat { return &Format{} }

// Name implements loader.FileFormat.
func (*Format) Name() string { return "inventory" }

// Detect implements loader.FileFormat.
func (*Format) Detect(in loader.Input) bool { return false } // being written

// Load implements loader.FileFormat.
func (*Format) Load(ctx context.Context, in loader.Input, opts loader.Options) ([]*model.Model, []model.LoadError) {
	return nil, nil // being written
}
