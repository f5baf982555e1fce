package evaluator_test

import (
	"context"
	"fmt"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/model"
)

// Compile the rules once, then evaluate one model unit: each deny result
// becomes a finding located at the line of the offending attribute.
func ExampleEngine_Evaluate() {
	ctx := context.Background()
	eng, err := evaluator.New(ctx, evaluator.Options{RuleDirs: []string{"testdata/rules"}, NoBuiltin: true, Select: []evaluator.Selection{{Only: []string{"TST001"}}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := model.New("infra", model.FormatTerraform)
	m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{
		Meta: model.Meta{
			ID: "aws_security_group.bastion", Address: "aws_security_group.bastion", Type: "aws_security_group",
			Source:         model.Source{Format: model.FormatTerraform, File: "infra/main.tf", StartLine: 1, EndLine: 12},
			AttributeLines: map[string]int{"ingress[0].cidr_blocks[0]": 9},
		},
		Ingress: []*model.SGRule{{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{"0.0.0.0/0"}}},
	})
	findings, err := eng.Evaluate(ctx, m)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		fmt.Printf("%s:%d %s %s: %s\n", f.Location.File, f.Location.StartLine, f.Severity, f.RuleID, f.Message)
	}
	// Output:
	// infra/main.tf:9 high TST001: aws_security_group.bastion allows SSH from 0.0.0.0/0
}
