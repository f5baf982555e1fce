// Package config reads .vpclint.yaml, the file that tunes a scan: which
// rules run, their severities and parameters, paths to exclude, the
// severity that fails the build, and custom rule directories.
//
// Unknown keys and values of the wrong type are errors that name the file,
// the line and the key, so a typo never silently disables a setting.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vpclint/vpclint/model"
)

// FileName is the config file looked up from the scanned directory up to
// the scan root.
const FileName = ".vpclint.yaml"

// altFileName is accepted too, as people write both.
const altFileName = ".vpclint.yml"

// Config is the parsed configuration file.
type Config struct {
	// File is the path it was read from ("" when none was found).
	File string
	// FailOn is a severity or "none"; "" when not set.
	FailOn string
	Rules  Rules
	// Params override rules/config.json (the config.* of RULES.md).
	Params map[string]any
	// Exclude are globs of paths not to scan, relative to the scan root.
	Exclude []string
	// CustomRules are directories of user rules, resolved against the
	// config file's directory.
	CustomRules []string
	// Baseline is a baseline file, resolved against the config file's
	// directory.
	Baseline string
	// Lines gives the line of each key path ("rules.disable[1]") for
	// messages about values that only later turn out wrong (an unknown
	// rule id).
	Lines map[string]int
}

// Rules selects and tunes rules. Selectors are rule ids (SG009), areas
// (SG, NACL, EP ...) or tags (hygiene); see evaluator.Selects.
type Rules struct {
	// Only, when non-empty, lists the only rules to run (opt-in rules
	// included).
	Only []string
	// Enable adds rules to those on by default (opt-in rules are off
	// unless enabled).
	Enable []string
	// Disable lists rules not to run.
	Disable []string
	// Severity overrides a rule's severity, by id.
	Severity map[string]model.Severity
}

// Error is a problem in the config file, with its position.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var (
	// A selector is a rule id (SG009), an area (SG) or a tag (hygiene,
	// cis-aws).
	selectorPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)
	idPattern       = regexp.MustCompile(`^[A-Z]+[0-9]+$`)
	accountPattern  = regexp.MustCompile(`^[0-9]{12}$`)
)

// Find looks for the config file in the scanned directory start (a
// file's directory, for a file) and its parents up to root, the scan root
// (the git work tree holding start, else start's own directory), and
// returns "" when there is none. It never looks above root, nor in the
// file-system root or the system's temporary directory, where anyone
// could plant a config that turns every rule off.
func Find(start, root string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("find config: %w", err)
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		abs = filepath.Dir(abs)
	}
	if root == "" {
		root = abs
	}
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("find config: %w", err)
	}
	forbidden := map[string]bool{}
	for _, d := range []string{os.TempDir(), string(filepath.Separator)} {
		if a, err := filepath.Abs(d); err == nil {
			forbidden[resolved(a)] = true
		}
	}
	rootAbs = resolved(rootAbs)
	for dir := resolved(abs); ; {
		if !forbidden[dir] {
			for _, name := range []string{FileName, altFileName} {
				p := filepath.Join(dir, name)
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					return p, nil
				}
			}
		}
		parent := filepath.Dir(dir)
		if dir == rootAbs || parent == dir || !below(rootAbs, parent) {
			return "", nil
		}
		dir = parent
	}
}

// resolved follows p's symbolic links when it can.
func resolved(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// below reports whether p is dir or lies below it.
func below(dir, p string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// Load reads and validates a config file.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, b)
}

// Parse validates the config text; path is used in messages and to
// resolve relative directories.
func Parse(path string, src []byte) (*Config, error) {
	cfg := &Config{File: path, Params: map[string]any{}, Rules: Rules{Severity: map[string]model.Severity{}}, Lines: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, &Error{File: path, Line: yamlErrLine(err), Msg: "not valid YAML: " + err.Error()}
	}
	if len(doc.Content) == 0 {
		return cfg, nil // an empty file is a valid, empty config
	}
	root := doc.Content[0]
	p := &parser{file: path, cfg: cfg}
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root, "the config must be a mapping of keys (fail_on, rules, params, exclude, custom_rules, baseline)")
	}
	err := p.mapping(root, "", map[string]func(*yaml.Node, string) error{
		"fail_on": func(n *yaml.Node, k string) error {
			s, err := p.str(n, k)
			if err != nil {
				return err
			}
			s = strings.ToLower(s)
			if s != "none" {
				if _, err := model.ParseSeverity(s); err != nil {
					return p.errf(n, "%s: %q is not critical, high, medium, low, info or none", k, s)
				}
			}
			cfg.FailOn = s
			return nil
		},
		"rules": func(n *yaml.Node, k string) error {
			return p.mapping(n, k, map[string]func(*yaml.Node, string) error{
				"disable": func(n *yaml.Node, k string) error {
					l, err := p.selectors(n, k)
					cfg.Rules.Disable = l
					return err
				},
				"enable": func(n *yaml.Node, k string) error {
					l, err := p.selectors(n, k)
					cfg.Rules.Enable = l
					return err
				},
				"only": func(n *yaml.Node, k string) error {
					l, err := p.selectors(n, k)
					cfg.Rules.Only = l
					return err
				},
				"severity": func(n *yaml.Node, k string) error {
					if n.Kind != yaml.MappingNode {
						return p.errf(n, "%s must be a mapping of rule id to severity", k)
					}
					for i := 0; i+1 < len(n.Content); i += 2 {
						id := strings.ToUpper(n.Content[i].Value)
						if !idPattern.MatchString(id) {
							return p.errf(n.Content[i], "%s: %q is not a rule id", k, n.Content[i].Value)
						}
						s, err := p.str(n.Content[i+1], k+"."+id)
						if err != nil {
							return err
						}
						sev, err := model.ParseSeverity(s)
						if err != nil {
							return p.errf(n.Content[i+1], "%s.%s: %v", k, id, err)
						}
						cfg.Rules.Severity[id] = sev
						cfg.Lines[k+"."+id] = n.Content[i].Line
					}
					return nil
				},
			})
		},
		"params": func(n *yaml.Node, k string) error {
			if n.Kind != yaml.MappingNode {
				return p.errf(n, "%s must be a mapping of parameter names to values", k)
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				name := n.Content[i].Value
				v, err := p.paramValue(name, n.Content[i+1])
				if err != nil {
					return err
				}
				cfg.Params[name] = v
				cfg.Lines[k+"."+name] = n.Content[i].Line
			}
			return nil
		},
		"exclude": func(n *yaml.Node, k string) error {
			l, err := p.strList(n, k)
			cfg.Exclude = l
			return err
		},
		"custom_rules": func(n *yaml.Node, k string) error {
			l, err := p.strList(n, k)
			for _, d := range l {
				cfg.CustomRules = append(cfg.CustomRules, resolve(path, d))
			}
			return err
		},
		"baseline": func(n *yaml.Node, k string) error {
			s, err := p.str(n, k)
			if s != "" {
				cfg.Baseline = resolve(path, s)
			}
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

func resolve(cfgPath, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(cfgPath), p)
}

// MatchSelector reports whether a selector (an id or an area such as SG)
// names the rule id.
func MatchSelector(sel, id string) bool {
	sel, id = strings.ToUpper(sel), strings.ToUpper(id)
	if sel == id {
		return true
	}
	// An area is letters only and matches ids that are the area followed
	// by digits (SG matches SG001, not SGX001).
	if strings.IndexFunc(sel, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0 {
		return false
	}
	rest, ok := strings.CutPrefix(id, sel)
	return ok && rest != "" && strings.Trim(rest, "0123456789") == ""
}

// CheckSelectors reports, with their lines, the selectors that name no
// rule id, area or tag of the catalogue and the severity overrides that
// name no rule id: a typo must never silently leave a rule on or off.
func (c *Config) CheckSelectors(cat []model.RuleInfo) error {
	var errs []error
	names := func(sel string, minimum int) bool {
		for _, r := range cat {
			if model.MatchRule(sel, r) >= minimum {
				return true
			}
		}
		return false
	}
	for _, g := range []struct {
		key  string
		sels []string
	}{{"rules.only", c.Rules.Only}, {"rules.enable", c.Rules.Enable}, {"rules.disable", c.Rules.Disable}} {
		for i, s := range g.sels {
			if !names(s, model.SelectorTag) {
				path := fmt.Sprintf("%s[%d]", g.key, i)
				errs = append(errs, &Error{File: c.File, Line: c.Lines[path], Msg: fmt.Sprintf("%s: %q names no rule id, area or tag (see `vpclint rules`)", path, s)})
			}
		}
	}
	ids := make([]string, 0, len(c.Rules.Severity))
	for id := range c.Rules.Severity {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if !names(id, model.SelectorID) {
			path := "rules.severity." + id
			errs = append(errs, &Error{File: c.File, Line: c.Lines[path], Msg: fmt.Sprintf("%s: %q names no rule (see `vpclint rules`)", path, id)})
		}
	}
	return errors.Join(errs...)
}

type parser struct {
	file string
	cfg  *Config
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: p.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// mapping walks a mapping node, calling the handler of each key and
// refusing unknown and duplicate keys.
func (p *parser) mapping(n *yaml.Node, prefix string, handlers map[string]func(*yaml.Node, string) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errf(n, "%s must be a mapping", prefix)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		full := key.Value
		if prefix != "" {
			full = prefix + "." + key.Value
		}
		if line, dup := seen[key.Value]; dup {
			return p.errf(key, "duplicate key %s (first on line %d)", full, line)
		}
		seen[key.Value] = key.Line
		h, ok := handlers[key.Value]
		if !ok {
			names := make([]string, 0, len(handlers))
			for k := range handlers {
				names = append(names, k)
			}
			sort.Strings(names)
			return p.errf(key, "unknown key %s (expected one of: %s)", full, strings.Join(names, ", "))
		}
		p.cfg.Lines[full] = key.Line
		if err := h(n.Content[i+1], full); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) str(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errf(n, "%s must be a string", key)
	}
	return n.Value, nil
}

func (p *parser) strList(n *yaml.Node, key string) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errf(n, "%s must be a list of strings", key)
	}
	out := make([]string, 0, len(n.Content))
	for i, e := range n.Content {
		if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
			return nil, p.errf(e, "%s[%d] must be a string", key, i)
		}
		p.cfg.Lines[fmt.Sprintf("%s[%d]", key, i)] = e.Line
		out = append(out, e.Value)
	}
	return out, nil
}

func (p *parser) selectors(n *yaml.Node, key string) ([]string, error) {
	l, err := p.strList(n, key)
	if err != nil {
		return nil, err
	}
	for i, s := range l {
		t := strings.TrimSpace(s)
		if !selectorPattern.MatchString(t) {
			return nil, p.errf(n.Content[i], "%s[%d]: %q is not a rule id, area or tag", key, i, s)
		}
		l[i] = t
	}
	return l, nil
}

// paramTypes gives the expected shape of the known parameters; others are
// passed to rules as written (custom rules may read their own).
var paramTypes = map[string]string{
	"admin_ports":        "ports",
	"sensitive_ports":    "ports",
	"endpoint_ports":     "ports",
	"max_port_range":     "int",
	"trusted_accounts":   "accounts",
	"organization_id":    "string",
	"required_endpoints": "strings",
	"required_tags":      "strings",
	"quotas":             "map",
}

func (p *parser) paramValue(name string, n *yaml.Node) (any, error) {
	key := "params." + name
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, p.errf(n, "%s: %v", key, err)
	}
	switch paramTypes[name] {
	case "ports":
		l, ok := v.([]any)
		if !ok {
			return nil, p.errf(n, "%s must be a list of port numbers", key)
		}
		for i, e := range l {
			port, ok := e.(int)
			if !ok || port < 0 || port > 65535 {
				return nil, p.errf(n, "%s[%d]: %v is not a port number (0-65535)", key, i, e)
			}
		}
	case "int":
		if i, ok := v.(int); !ok || i < 0 {
			return nil, p.errf(n, "%s must be a non-negative integer", key)
		}
	case "string":
		if _, ok := v.(string); !ok {
			return nil, p.errf(n, "%s must be a string", key)
		}
	case "strings", "accounts":
		l, ok := v.([]any)
		if !ok {
			return nil, p.errf(n, "%s must be a list of strings", key)
		}
		for i, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, p.errf(n, "%s[%d] must be a string (quote account ids: \"111122223333\")", key, i)
			}
			if paramTypes[name] == "accounts" && !accountPattern.MatchString(s) {
				return nil, p.errf(n, "%s[%d]: %q is not a 12-digit account id", key, i, s)
			}
		}
	case "map":
		if _, ok := v.(map[string]any); !ok {
			return nil, p.errf(n, "%s must be a mapping", key)
		}
	}
	return v, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlErrLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscanf(m[1], "%d", &n)
	return n
}
