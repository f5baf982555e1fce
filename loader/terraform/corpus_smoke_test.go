package terraform

import (
	"testing"

	"github.com/vpclint/vpclint/loader"
)

func TestCorpusSmoke(t *testing.T) {
	root := corpusDir(t)
	units, errs := loadDir(t, root, loader.Options{})
	n := 0
	for _, u := range units {
		n += len(u.Resources())
	}
	t.Logf("%d units, %d resources, %d errors", len(units), n, len(errs))
	for _, e := range errs {
		t.Log(e.Level, e.Error())
	}
}
