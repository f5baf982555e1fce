// Package analysis computes exact network facts in Go (port and address
// interval sets, security-group exposure, network ACL first-match semantics
// and anomalies, endpoint reachability, AZ coverage) and stores them in
// model.Facts for rules to read.
package analysis

import "github.com/vpclint/vpclint/model"

// Analyze fills m.Facts.
func Analyze(m *model.Model) {
	m.Facts = &model.Facts{
		SecurityGroups: map[string]*model.SGFacts{},
		NetworkACLs:    map[string]*model.NACLFacts{},
		Endpoints:      map[string]*model.EndpointFacts{},
	}
}
