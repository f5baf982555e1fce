package evaluator

import (
	"fmt"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// Selection is one layer of rule selection: the config file's rules
// section, or the command line's --only, --enable and --disable. Each
// selector is a rule id (SG009), an area (SG) or a tag (hygiene).
type Selection struct {
	// Only, when non-empty, starts the selection over: only the rules it
	// names run, opt-in rules included.
	Only []string
	// Enable adds rules to those that run, opt-in rules included.
	Enable []string
	// Disable removes rules.
	Disable []string
}

// Selects reports whether a rule runs under layers of selection applied
// in order (the config file's, then the command line's) over the rule's
// default (off for RuleInfo.OptIn). Within a layer, Only (when set) decides
// first; then, when Enable and Disable both name the rule, the more
// specific selector wins (an id over an area, an area over a tag), and
// Disable on a tie.
func Selects(layers []Selection, r model.RuleInfo) bool {
	on := !r.OptIn
	for _, l := range layers {
		if len(l.Only) > 0 {
			on = best(l.Only, r) > model.SelectorNone
		}
		en, dis := best(l.Enable, r), best(l.Disable, r)
		switch {
		case dis > model.SelectorNone && dis >= en:
			on = false
		case en > model.SelectorNone:
			on = true
		}
	}
	return on
}

// best is the most specific way one of sels names r.
func best(sels []string, r model.RuleInfo) int {
	b := model.SelectorNone
	for _, s := range sels {
		b = max(b, model.MatchRule(s, r))
	}
	return b
}

// Names reports whether a selector names at least one rule of cat.
func Names(cat []model.RuleInfo, sel string) bool {
	for _, r := range cat {
		if model.MatchRule(sel, r) > model.SelectorNone {
			return true
		}
	}
	return false
}

// CheckSelectors reports the selectors of a layer that name no rule of
// the catalogue; source names the layer's origin in the message (for
// flags: "--enable").
func CheckSelectors(cat []model.RuleInfo, l Selection, flagPrefix string) error {
	var bad []string
	for _, g := range []struct {
		name string
		sels []string
	}{{"only", l.Only}, {"enable", l.Enable}, {"disable", l.Disable}} {
		for _, s := range g.sels {
			if !Names(cat, s) {
				bad = append(bad, fmt.Sprintf("%s%s %s", flagPrefix, g.name, s))
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s: names no rule id, area or tag (see `vpclint rules`)", strings.Join(bad, ", "))
	}
	return nil
}
