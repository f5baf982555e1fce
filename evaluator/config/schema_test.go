package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// The published JSON Schema must accept what Parse accepts and name the
// same keys, so editors complete exactly what vpclint reads.
func TestSchemaMatchesParser(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "vpclint.schema.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var schemaDoc map[string]any
	if err := json.Unmarshal(b, &schemaDoc); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("vpclint.schema.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("vpclint.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal([]byte(full), &doc); err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("the full example config does not validate: %v", err)
	}
	var bad any
	_ = yaml.Unmarshal([]byte("failon: high\n"), &bad)
	if sch.Validate(bad) == nil {
		t.Errorf("schema accepts an unknown key")
	}

	props := schemaDoc["properties"].(map[string]any)
	var got []string
	for k := range props {
		got = append(got, k)
	}
	sort.Strings(got)
	want := []string{"baseline", "custom_rules", "exclude", "fail_on", "params", "rules"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schema keys %v, parser keys %v", got, want)
	}
	var params []string
	for k := range props["params"].(map[string]any)["properties"].(map[string]any) {
		params = append(params, k)
	}
	sort.Strings(params)
	var known []string
	for k := range paramTypes {
		known = append(known, k)
	}
	sort.Strings(known)
	if !reflect.DeepEqual(params, known) {
		t.Errorf("schema params %v, parser params %v", params, known)
	}
}
