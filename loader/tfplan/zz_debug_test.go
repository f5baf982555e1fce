package tfplan

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/vpclint/vpclint/loader"
)

func TestZZDebug(t *testing.T) {
	p := os.Getenv("ZZPLAN")
	if p == "" {
		t.Skip()
	}
	_, ms, errs := loadFile(t, p, loader.Options{})
	for _, m := range ms {
		for _, rt := range m.RouteTables {
			b, _ := json.Marshal(rt)
			t.Log(string(b))
		}
		for _, a := range m.NetworkACLs {
			b, _ := json.Marshal(a)
			t.Log(string(b))
		}
		for _, a := range m.Subnets {
			b, _ := json.Marshal(a)
			t.Log(string(b))
		}
	}
	t.Log(errs)
}
