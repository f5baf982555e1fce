package vpclint.rules.sg_all_egress_to_internet_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_all_egress_to_internet as rule

egress_all(g) := fx.sg_input([g], {g.id: fx.sg_facts(fx.quiet, fx.direction(fx.everything, [fx.contrib("egress", 0, "0.0.0.0/0", fx.everything)]))})

test_written_allow_all_fires if {
	findings := rule.deny with input as egress_all(fx.group("app", [], [fx.rule("all", 0, 0, ["0.0.0.0/0"])]))
	count(findings) == 1
	some f in findings
	f.attribute == "egress[0].cidr_blocks[0]"
	contains(f.message, "all traffic to the internet (egress[0] to 0.0.0.0/0)")
	not contains(f.message, "added when")
}

# CloudFormation's implicit allow-all egress is a real rule.
test_implicit_egress_fires if {
	r := object.union(fx.rule("all", 0, 0, ["0.0.0.0/0"]), {"implicit": true})
	some f in rule.deny with input as egress_all(fx.group("cfn", [], [r]))
	contains(f.message, "added when no egress rule is written")
}

# In code, an unmanaged default group's own egress is not reported.
test_unmanaged_default_group_is_quiet if {
	r := object.union(fx.rule("all", 0, 0, ["0.0.0.0/0"]), {"implicit": true})
	g := object.union(fx.group("default", [], [r]), {"is_default": true})
	count(rule.deny) == 0 with input as egress_all(g)
}

test_live_default_group_fires if {
	r := object.union(fx.rule("all", 0, 0, ["0.0.0.0/0"]), {"implicit": true})
	g := object.union(fx.group("default", [], [r]), {"is_default": true})
	inp := object.union(egress_all(g), {"inventory": {"complete": true}})
	count(rule.deny) == 1 with input as inp
}

test_all_tcp_fires if {
	inp := fx.sg_input([fx.group("t", [], [fx.rule("tcp", 0, 65535, ["::/0"])])], {"t": fx.sg_facts(fx.quiet, fx.direction(fx.tcp(0, 65535), [fx.contrib("egress", 0, "::/0", fx.tcp(0, 65535))]))})
	count(rule.deny) == 1 with input as inp
}

test_https_only_is_quiet if {
	inp := fx.sg_input([fx.group("h", [], [fx.rule("tcp", 443, 443, ["0.0.0.0/0"])])], {"h": fx.sg_facts(fx.quiet, fx.direction(fx.tcp(443, 443), [fx.contrib("egress", 0, "0.0.0.0/0", fx.tcp(443, 443))]))})
	count(rule.deny) == 0 with input as inp
}

test_ingress_is_quiet if {
	inp := fx.sg_input([fx.group("i", [fx.rule("all", 0, 0, ["0.0.0.0/0"])], [])], {"i": fx.sg_facts(fx.direction(fx.everything, [fx.contrib("ingress", 0, "0.0.0.0/0", fx.everything)]), fx.quiet)})
	count(rule.deny) == 0 with input as inp
}

test_unknown_is_quiet if {
	inp := fx.sg_input([fx.group("u", [], [{"protocol": "all", "self": false}])], {"u": fx.sg_facts(fx.quiet, object.union(fx.quiet, {"known": false}))})
	count(rule.deny) == 0 with input as inp
}

# The wording helpers answer through an else.
test_wording_helpers if {
	rule.traffic({"all_protocols": true}) == "all traffic"
	rule.traffic({"all_protocols": false}) == "all TCP or UDP ports"
	rule.traffic({}) == "all TCP or UDP ports"
	rule.implicit_note([true, false]) == "; this is the allow-all egress added when no egress rule is written"
	rule.implicit_note([false]) == ""
	rule.implicit_note([]) == ""
}

# A default group with a written egress rule beside an implicit one is
# managed: reported, without the note when the written rule is the cause.
test_default_group_with_written_rule_fires if {
	r := object.union(fx.rule("all", 0, 0, ["0.0.0.0/0"]), {"implicit": true})
	g := object.union(fx.group("default", [], [r, fx.rule("all", 0, 0, ["0.0.0.0/0"])]), {"is_default": true})
	inp := fx.sg_input([g], {"default": fx.sg_facts(fx.quiet, fx.direction(fx.everything, [fx.contrib("egress", 1, "0.0.0.0/0", fx.everything)]))})
	some f in rule.deny with input as inp
	not contains(f.message, "added when no egress rule is written")
}

# A contribution naming a rule the group does not have is neither written
# nor implicit: a default group with only such contributions stays quiet,
# another group is reported without the note.
test_contribution_without_rule if {
	d := object.union(fx.group("default", [], [fx.rule("all", 0, 0, ["0.0.0.0/0"])]), {"is_default": true})
	count(rule.deny) == 0 with input as ruleless(d)
	some f in rule.deny with input as ruleless(fx.group("plain", [], [fx.rule("all", 0, 0, ["0.0.0.0/0"])]))
	not contains(f.message, "added when no egress rule is written")
}

ruleless(g) := fx.sg_input([g], {g.id: fx.sg_facts(fx.quiet, fx.direction(fx.everything, [fx.contrib("egress", 5, "0.0.0.0/0", fx.everything)]))})
