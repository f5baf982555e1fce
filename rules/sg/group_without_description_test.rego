package vpclint.rules.sg_group_without_description_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_group_without_description as rule

with_desc(d) := object.union(fx.group("g", [], []), {"description": d})

no_desc := object.remove(fx.group("g", [], []), ["description"])

test_terraform_default_fires if {
	findings := rule.deny with input as fx.sg_input([with_desc("Managed by Terraform")], {})
	count(findings) == 1
	some f in findings
	f.attribute == "description"
	contains(f.message, "Managed by Terraform")
}

test_absent_fires if {
	some f in rule.deny with input as fx.sg_input([no_desc], {})
	contains(f.message, "has no description")
}

test_empty_fires if {
	count(rule.deny) == 1 with input as fx.sg_input([with_desc("")], {})
}

test_unknown_is_quiet if {
	g := object.union(no_desc, {"unknown": ["description"]})
	count(rule.deny) == 0 with input as fx.sg_input([g], {})
}

test_placeholder_is_quiet if {
	g := object.union(no_desc, {"placeholder": true})
	count(rule.deny) == 0 with input as fx.sg_input([g], {})
}

test_default_group_is_quiet if {
	g := object.union(no_desc, {"is_default": true})
	count(rule.deny) == 0 with input as fx.sg_input([g], {})
}

test_meaningful_is_quiet if {
	count(rule.deny) == 0 with input as fx.sg_input([with_desc("Interface endpoints: HTTPS from the VPC")], {})
}
