package evaluator

import "github.com/vpclint/vpclint/model"

// SeverityOverride returns the severity the options force on a rule id,
// for findings made outside Rego (suppression reports).
func (e *Engine) SeverityOverride(id string) (model.Severity, bool) {
	s, ok := e.opts.Severity[id]
	return s, ok && s.Valid()
}
