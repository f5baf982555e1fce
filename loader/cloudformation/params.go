package cloudformation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/vpclint/vpclint/loader"
)

// readParameterFiles reads parameter files in order, later values
// winning, then applies the --parameter values over them. Three forms are
// read:
//
//	["Key=Value", ...]                                  aws cloudformation deploy --parameter-overrides
//	[{"ParameterKey": "K", "ParameterValue": "V"}, ...] aws cloudformation create-stack --parameters
//	{"Parameters": {"K": "V"}}                          CodePipeline template configuration
//
// A plain {"K": "V"} object is read as well.
func readParameterFiles(files []string, flags map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range files {
		b, err := loader.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("parameter file %s: %w", f, err)
		}
		m, err := parseParameterFile(b)
		if err != nil {
			return nil, fmt.Errorf("parameter file %s: %w", f, err)
		}
		maps.Copy(out, m)
	}
	maps.Copy(out, flags)
	return out, nil
}

// parseParameterFile reads one parameter file's content.
func parseParameterFile(b []byte) (map[string]string, error) {
	b = bytes.TrimSpace(b)
	out := map[string]string{}
	if len(b) == 0 {
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	switch v := raw.(type) {
	case []any:
		for i, it := range v {
			switch e := it.(type) {
			case string:
				k, val, ok := strings.Cut(e, "=")
				if !ok || k == "" {
					return nil, fmt.Errorf("item %d: %q is not Key=Value", i, e)
				}
				out[k] = val
			case map[string]any:
				k, _ := e["ParameterKey"].(string)
				if k == "" {
					return nil, fmt.Errorf("item %d has no ParameterKey", i)
				}
				if prev, _ := e["UsePreviousValue"].(bool); prev {
					continue
				}
				val, err := parameterText(e["ParameterValue"])
				if err != nil {
					return nil, fmt.Errorf("item %d (%s): %w", i, k, err)
				}
				out[k] = val
			default:
				return nil, fmt.Errorf("item %d is neither \"Key=Value\" nor {ParameterKey, ParameterValue}", i)
			}
		}
	case map[string]any:
		params := v
		if p, ok := v["Parameters"]; ok {
			// CodePipeline's template configuration; its Tags and
			// StackPolicy are not parameters.
			pm, ok := p.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("the Parameters section is not an object")
			}
			params = pm
		}
		for k, pv := range params {
			val, err := parameterText(pv)
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %w", k, err)
			}
			out[k] = val
		}
	default:
		return nil, fmt.Errorf("a parameter file is a JSON list or object")
	}
	return out, nil
}

// parameterText turns a JSON parameter value into CloudFormation's text
// form (lists are comma-joined).
func parameterText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			s, err := parameterText(e)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("value is not a string, number or list")
}
