package awslive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// Load, for tests, reads every selected account and region and returns the units that
// could be read, at least in part (unit "aws:<account>/<region>"), and the
// problems met, failed units included. The error is non-nil when the
// options are wrong or nothing at all could be read. It holds the whole
// audit in memory: Stream is for large ones.
func Load(ctx context.Context, opts Options) ([]*model.Model, []model.LoadError, error) {
	var units []*model.Model
	var errs []model.LoadError
	planned := 0
	_, err := Stream(ctx, opts, func(u Unit) error {
		planned++
		errs = append(errs, u.Errors...)
		if !u.Failed() {
			units = append(units, u.Model)
		}
		return nil
	})
	if err != nil {
		return nil, errs, err
	}
	if len(units) == 0 {
		return nil, errs, nothingRead(errs, planned)
	}
	return units, errs, nil
}

func nothingRead(errs []model.LoadError, units int) error {
	var msgs []string
	for i, e := range errs {
		if i == 3 {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(errs)-3))
			break
		}
		msgs = append(msgs, e.Error())
	}
	if len(msgs) == 0 {
		if units == 0 {
			return errors.New("no account or region to read")
		}
		return errors.New("no account or region could be read")
	}
	return fmt.Errorf("no account or region could be read: %s", strings.Join(msgs, "; "))
}

func jsonOf(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
