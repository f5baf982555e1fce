package vpclint.lib.supersede_test

import data.vpclint.lib.supersede

test_superseding_inverts_supersedes if {
	supersede.superseding.SG011 == "SG002"
	supersede.superseding.EP004 == "EP002"
	supersede.superseding.NACL001 == "NACL002"
	not supersede.superseding.SG002
	count(supersede.superseding) == count({id | some _, weak in supersede.supersedes; some id in weak})
}

test_superseded_asks_the_strong_rule if {
	doc := {"facts": {"index": {"internet_ingress": ["sg-1", "sg-2"]}, "security_groups": {
		"sg-1": {"ingress": {"internet": {"all_protocols": true}}},
		"sg-2": {"ingress": {"internet": {"tcp": [{"from": 22, "to": 22}]}}},
	}}}
	supersede.superseded("SG001", "sg-1") with input as doc
	supersede.superseded("SG011", "sg-1") with input as doc
	not supersede.superseded("SG001", "sg-2") with input as doc
	not supersede.superseded("SG009", "sg-1") with input as doc
}
