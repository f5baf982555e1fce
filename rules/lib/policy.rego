# Package vpclint.lib.policy holds what the endpoint-policy rules (EP*)
# share: which endpoints they apply to, the service knowledge of
# rules/data/services.json, and the statement helpers (public principal,
# all actions, all resources) and the data-perimeter condition logic that
# decides whether a condition really restricts a statement.
#
# Policies are read in the normalized form of model/policy.go: Statement is
# a list; Action/NotAction/Resource/NotResource are lists; principal_star is
# the bare "*", Principal the typed map with list values; `conditions` is
# the Condition block flattened (operator, base, set_operator, if_exists,
# lower-cased key, values).
package vpclint.lib.policy

# ---------------------------------------------------------------------------
# Service knowledge

services := data.vpclint.data.services.services

# service(ep) is the endpoint's short service name ("s3", "ecr.api"): the
# loader's `service`, else derived from service_name. Undefined when the
# endpoint is not for an AWS service or its service is unknown. A name with
# an unknown part and a known service (com.amazonaws.${region}.kms) has
# `service` set, `service_name` absent (and in `unknown`) and
# `service_name_pattern` "com.amazonaws.*.kms" (docs/model.md): rules that
# need only the service read it here and decide.
# (else: the derivation runs only when the loader left `service` empty.)
service(ep) := ep.service if {
	ep.service != ""
} else := s if {
	s := service_from_name(ep.service_name)
}

# com.amazonaws.<region>.<svc> (svc may hold dots: ecr.api).
service_from_name(name) := concat(".", array.slice(parts, 3, count(parts))) if {
	parts := split(name, ".")
	count(parts) > 3
	parts[0] == "com"
	parts[1] == "amazonaws"
	parts[2] != "vpce"
	regex.match(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$`, parts[2])
}

# com.amazonaws.<svc>: global services without a region (com.amazonaws.iam).
service_from_name(name) := parts[2] if {
	parts := split(name, ".")
	count(parts) == 3
	parts[0] == "com"
	parts[1] == "amazonaws"
	parts[2] != "vpce"
}

# aws.api.<region>.<svc> and aws.sagemaker.<region>.<svc>: newer AWS names.
service_from_name(name) := concat(".", array.slice(parts, 3, count(parts))) if {
	parts := split(name, ".")
	count(parts) > 3
	parts[0] == "aws"
	parts[1] in {"api", "sagemaker"}
}

# not_aws_service(ep): the service name, or the known part of it, names no
# AWS service.
not_aws_service(ep) if name_kind(ep) == "customer"

# name_kind(ep) says whose service the endpoint reaches: "aws" for an AWS
# service (com.amazonaws.<region>.<service>, cn.com.amazonaws...,
# aws.api.<region>.<service>), "customer" for an endpoint service of an
# account or a partner (com.amazonaws.vpce.<region>.vpce-svc-..., or any
# other name); undefined when the name is unknown and its known parts do
# not settle it. When the name is unknown, its pattern decides
# (COORDINATION 2): "com.amazonaws.vpce.*" is a customer's, "*" nobody
# knows whose.
name_kind(ep) := "aws" if {
	service(ep)
} else := kind if {
	kind := name_pattern_kind(name_or_pattern(ep))
}

# name_or_pattern(ep) is the service name, or when it is unknown the
# pattern of its known parts.
name_or_pattern(ep) := ep.service_name if {
	ep.service_name
} else := ep.service_name_pattern if {
	ep.service_name_pattern
}

aws_name_prefixes := ["com.amazonaws.", "cn.com.amazonaws.", "aws.api.", "aws.sagemaker."]

vpce_name_prefixes := ["com.amazonaws.vpce.", "cn.com.amazonaws.vpce."]

# name_pattern_kind(n) is the kind of a name or pattern: the text before
# its first "*" (all of it for a name) must settle it.
name_pattern_kind(n) := "customer" if {
	some p in vpce_name_prefixes
	startswith(known_start(n), p)
} else := "aws" if {
	some p in aws_name_prefixes
	startswith(known_start(n), p)
	not could_be_vpce(known_start(n))
	not contains(n, "*")
} else := "customer" if {
	lit := known_start(n)
	lit != ""
	not could_be_aws(lit)
}

# known_start(n) is n up to its first unknown part.
known_start(n) := substring(n, 0, indexof(n, "*")) if contains(n, "*")

known_start(n) := n if not contains(n, "*")

# could_be_aws(lit): a name starting with lit may be an AWS service's.
could_be_aws(lit) if {
	some p in aws_name_prefixes
	startswith(p, lit)
}

could_be_aws(lit) if {
	some p in aws_name_prefixes
	startswith(lit, p)
	not startswith_any(lit, vpce_name_prefixes)
}

# could_be_vpce(lit): a name starting with lit may be an endpoint
# service's (com.amazonaws. followed by an unknown part).
could_be_vpce(lit) if {
	some p in vpce_name_prefixes
	startswith(p, lit)
}

startswith_any(s, prefixes) if {
	some p in prefixes
	startswith(s, p)
}

# service_extra_ports(ep) are the TCP ports other than HTTPS that the
# endpoint's AWS service listens on (services.json ports: SES SMTP,
# Transfer Family SFTP, CodeCommit Git over SSH), [] for the others.
# Undefined when the service is not known.
service_extra_ports(ep) := object.get(services, [svc, "ports"], []) if svc := service(ep)

# service_info(ep) is the data entry of the endpoint's service.
service_info(ep) := services[service(ep)]

# action_prefixes(ep) are the IAM action prefixes the endpoint's service
# answers to; undefined when the service is not in the data.
action_prefixes(ep) := {lower(p) | some p in info.actions} if info := service_info(ep)

# policy_endpoint(ep): endpoint policies can apply to it. AWS supports them
# on Interface and Gateway endpoints only, and only for AWS services.
policy_types := {"Interface", "Gateway"}

policy_endpoint(ep) if {
	policy_type(ep)
	not not_aws_service(ep)
}

# policy_type(ep): an Interface or Gateway endpoint; or a placeholder (an
# endpoint only referenced, e.g. by aws_vpc_endpoint_policy) whose type is
# unknown: a policy was written for it, so it must take one. Findings on
# what was written for a placeholder name the placeholder (RULES.md).
policy_type(ep) if {
	ep.type in policy_types
	not ep.placeholder
}

policy_type(ep) if {
	ep.placeholder
	object.get(ep, "type", "Interface") in policy_types
}

# policy_rule_applies(ep): the content rules (EP002...EP011) read this
# endpoint's policy. A policy that is attached is read even when the service
# is unknown: AWS refuses a policy for a service that does not support one.
# (The EP rules use endpoint_policies below, which applies exactly this.)
policy_rule_applies(ep) if {
	within_limits(ep.policy)
	policy_type(ep)
	content_service_ok(ep, key_service(ep))
}

# within_limits(p): AWS accepts the policy's length, and vpclint read all
# its statements (model.MaxPolicyLength, model.MaxPolicyStatements). The
# content rules judge only such policies: AWS rejects a longer one, so it
# never takes effect; EP006 reports it.
max_policy_length := 20480

within_limits(p) if {
	object.get(p, "length", 0) <= max_policy_length
	not p.truncated
}


# ---------------------------------------------------------------------------
# Statement helpers

allows(st) if st.Effect == "Allow"

denies(st) if st.Effect == "Deny"

# principal_is_public(st): the statement applies to every principal.
principal_is_public(st) if st.principal_star

principal_is_public(st) if "*" in object.get(st, ["Principal", "AWS"], [])

# A statement with no Principal at all is invalid in an endpoint policy
# (EP006) and is not treated as public here.

# is_star_action(a): "*" (every action of every service).
is_star_action(a) if a == "*"

# action_prefix(a) is the lower-cased service prefix of "s3:GetObject".
action_prefix(a) := lower(substring(a, 0, indexof(a, ":"))) if indexof(a, ":") > 0

# action_name(a) is the part after the prefix.
action_name(a) := substring(a, indexof(a, ":") + 1, -1) if indexof(a, ":") > 0

# service_wide_action(a): "s3:*" (every action of one service).
service_wide_action(a) if {
	action_prefix(a)
	regex.match(`^[*]+$`, action_name(a))
}

# wildcard_action(a): a prefix wildcard like "s3:Get*" or "s3:*Object".
wildcard_action(a) if {
	action_prefix(a)
	not service_wide_action(a)
	regex.match(`[*?]`, action_name(a))
}

# allows_all_actions(st, ep): the statement's Action is "*" or every action
# of the endpoint's service.
allows_all_actions(st, _) if {
	some a in object.get(st, "Action", [])
	is_star_action(a)
}

allows_all_actions(st, ep) if {
	some a in object.get(st, "Action", [])
	service_wide_action(a)
	action_prefix(a) in action_prefixes(ep)
}

# With the service unknown, a service-wide action still means "all of it"
# unless the data tells us it belongs to another service.
allows_all_actions(st, ep) if {
	some a in object.get(st, "Action", [])
	service_wide_action(a)
	not action_prefixes(ep)
}

# is_all_resources(r): "*", or an ARN whose resource part is only a
# wildcard ("arn:aws:s3:::*").
is_all_resources(r) if r == "*"

is_all_resources(r) if regex.match(`^arn:[^:]*:[^:]*:[^:]*:[^:*]*:\*(/\*)?$`, r)

all_resources(st) if {
	some r in object.get(st, "Resource", [])
	is_all_resources(r)
}

has_condition(st) if count(object.get(st, "conditions", [])) > 0

has_condition(st) if count(object.get(st, "Condition", {})) > 0

# ---------------------------------------------------------------------------
# Conditions
#
# A data perimeter is a condition that a request from outside the trusted
# boundary cannot satisfy. We accept it only when:
# - the operator matches positively (StringEquals, StringLike, ArnEquals,
#   ArnLike, their IgnoreCase form, Bool "true" for aws:PrincipalIsAWSService),
#   optionally ForAnyValue: (a single-valued key is a one-element set;
#   ForAnyValue:StringLike is AWS's pattern for aws:PrincipalOrgPaths);
#   ForAllValues: is rejected because it is true when the key is absent;
# - no value is a match-all pattern ("*", "o-*", "arn:aws:iam::*:*");
# - IfExists is used only where the key's absence does not open the
#   perimeter: on aws:PrincipalAccount (present in every request) and on
#   the resource keys (absent only for actions that have no resource owner,
#   the exception AWS's own perimeter policies make). IfExists on
#   aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalArn or
#   aws:PrincipalIsAWSService lets anonymous and out-of-organization callers
#   through, so it is not a perimeter.

identity_keys := {
	"aws:principalorgid",
	"aws:principalorgpaths",
	"aws:principalaccount",
	"aws:principalarn",
}

resource_keys := {"aws:resourceorgid", "aws:resourceorgpaths", "aws:resourceaccount"}

# Keys whose value is always in the request context.
always_present_keys := {"aws:principalaccount"}

positive_string_ops := {
	"StringEquals",
	"StringLike",
	"StringEqualsIgnoreCase",
	"ArnEquals",
	"ArnLike",
}

negated_string_ops := {
	"StringNotEquals",
	"StringNotLike",
	"StringNotEqualsIgnoreCase",
	"ArnNotEquals",
	"ArnNotLike",
}

# trivial_value(v): a pattern that every real value of a perimeter key
# matches: only wildcards, possibly after a fixed prefix every value has.
trivial_value(v) if regex.match(`^(o-|arn:[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:|/|:)*[*?/:]*$`, v)

trivial_value(v) if regex.match(`^arn:[a-z*-]*:[a-z0-9*-]*:[a-z0-9*-]*:[*?]+:[*?]+$`, v)

nontrivial_values(c) if {
	count(c.values) > 0
	every v in c.values {
		not trivial_value(v)
	}
}

set_ok_positive(c) if object.get(c, "set_operator", "") in {"", "ForAnyValue"}

set_ok_negated(c) if object.get(c, "set_operator", "") in {"", "ForAllValues"}

if_exists_ok(c) if not c.if_exists

if_exists_ok(c) if {
	c.if_exists
	c.key in always_present_keys
}

# identity_condition(c): c limits the caller to trusted identities.
identity_condition(c) if {
	c.key in identity_keys
	c.base in positive_string_ops
	set_ok_positive(c)
	if_exists_ok(c)
	nontrivial_values(c)
}

identity_condition(c) if {
	c.key == "aws:principalisawsservice"
	c.base == "Bool"
	not c.if_exists
	set_ok_positive(c)
	count(c.values) > 0
	every v in c.values {
		lower(v) == "true"
	}
}

# resource_condition(c): c limits the target to trusted resources.
resource_condition(c) if {
	c.key in resource_keys
	c.base in positive_string_ops
	set_ok_positive(c)
	nontrivial_values(c)
}

# has_identity_perimeter(st): some condition of the statement is an
# identity perimeter. Conditions of one statement are ANDed, so one
# restricting condition restricts the whole statement.
has_identity_perimeter(st) if {
	some c in object.get(st, "conditions", [])
	identity_condition(c)
}

# has_resource_perimeter(st): a resource-perimeter condition, or explicit
# resources: every Resource names specific resources, not "*".
has_resource_perimeter(st) if {
	some c in object.get(st, "conditions", [])
	resource_condition(c)
}

has_resource_perimeter(st) if explicit_resources(st)

explicit_resources(st) if {
	count(object.get(st, "Resource", [])) > 0
	not all_resources(st)
}

# ---------------------------------------------------------------------------
# Deny statements that build a perimeter, or cancel Allows
#
# "Allow everything, then Deny what comes from outside" is the same
# perimeter written the other way round. A Deny counts only when it applies
# to every principal and every resource (broad_deny), to every action the
# Allow grants, and its condition is a negated perimeter test
# (StringNotEquals aws:PrincipalOrgID ...) whose other conditions are
# exceptions for AWS service principals or tagged principals. A Deny whose
# condition cannot tell trusted from untrusted callers restricts nothing.
# A broad Deny without condition cancels what it covers (EP010).
#
# Only a Deny's actions depend on the Allow it is checked against, so the
# Deny statements of a policy are summarized once per kind (deny_summary:
# the actions they name, the services they deny wholly, which deny "*"),
# and each Allow is checked against the summary: the cost follows the
# number of statements, where checking each Allow against each Deny cost
# their product (a policy of 1,000 statements took 27 s). An Allow is
# covered when each of its actions is denied by a Deny of the kind, by one
# Deny or by several.

# Keys a perimeter Deny may use for its exceptions.
exception_key(k) if k in {"aws:principalisawsservice", "aws:viaawsservice", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast"}

exception_key(k) if startswith(k, "aws:principaltag/")

exception_key(k) if k in identity_keys

exception_key(k) if k in resource_keys

negated_perimeter(c, keys) if {
	c.key in keys
	c.base in negated_string_ops
	set_ok_negated(c)
	nontrivial_values(c)
}

# broad_deny(d): a Deny of every principal on every resource, with no Not
# element.
broad_deny(d) if {
	denies(d)
	principal_is_public(d)
	not d.NotAction
	not d.NotResource
	not d.has_not_principal
	all_resources(d)
}

# deny_kind(d, kind): the broad Deny d is an "identity" or a "resource"
# perimeter, or "unconditional".
deny_kind(d, "identity") if perimeter_condition(d, identity_keys)

deny_kind(d, "resource") if perimeter_condition(d, resource_keys)

deny_kind(d, "unconditional") if not has_condition(d)

perimeter_condition(d, keys) if {
	some c in d.conditions
	negated_perimeter(c, keys)
	every o in d.conditions {
		exception_key(o.key)
	}
}

deny_kinds := ["identity", "resource", "unconditional"]

# deny_summary(p)[kind] summarizes the broad Deny statements of p of each
# kind: how many there are, their indexes, those of the ones that deny "*", and the
# first index denying each action and each service-wide prefix ("s3" for
# "s3:*"). It is computed once per policy.
deny_summary(p) := {kind: summarize(entries) |
	broad := [[j, d] | some j, d in p.Statement; broad_deny(d)]
	some kind in deny_kinds
	entries := [e | some e in broad; deny_kind(e[1], kind)]
}

summarize(entries) := {
	"count": count(entries),
	"indexes": {e[0] | some e in entries},
	"star": {e[0] | some e in entries; some a in object.get(e[1], "Action", []); is_star_action(a)},
	"actions": first_index([[a, e[0]] | some e in entries; some a in object.get(e[1], "Action", [])]),
	"prefixes": first_index([[action_prefix(a), e[0]] | some e in entries; some a in object.get(e[1], "Action", []); service_wide_action(a)]),
}

# first_index(pairs) maps each name of the [name, index] pairs, listed by
# increasing index, to its least index: the pairs merged from the last to
# the first, so the first one's index wins (in Go, once).
first_index(pairs) := object.union_n([{pairs[k][0]: pairs[k][1]} | some k in numbers.range(count(pairs) - 1, 0)])

# covered(s, st): the Deny statements summarized in s deny every request
# the Allow st grants, apart from their condition.
covered(s, _) if count(s.star) > 0

covered(s, st) if {
	s.count > 0
	not st.NotAction
	every a in object.get(st, "Action", []) {
		action_covered(s, a)
	}
}

action_covered(s, a) if s.actions[a] >= 0

action_covered(s, a) if s.prefixes[action_prefix(a)] >= 0

# first_covering(s, a) is the index of the first Deny of s that covers the
# action a.
first_covering(s, a) := min({i | some i in s.star} | {i | i := s.actions[a]} | {i | i := s.prefixes[action_prefix(a)]})

# identity_limited(p, st, ep): the statement of policy p is limited to
# trusted identities by its own condition or by perimeter Deny statements.
identity_limited(_, st, _) if has_identity_perimeter(st)

identity_limited(p, st, _) if covered(deny_summary(p).identity, st)

resource_limited(_, st, _) if has_resource_perimeter(st)

resource_limited(p, st, _) if covered(deny_summary(p).resource, st)

# ---------------------------------------------------------------------------
# Unconditional Deny (EP010)

# allow_cancelled(p, st, ep): unconditional Deny statements of p cancel st.
allow_cancelled(p, st, _) if covered(deny_summary(p).unconditional, st)

# cancelling(p, st) are the indexes of the unconditional Deny statements
# that cancel st: the first that denies "*", else for each of its actions
# the first that denies it (the first Deny when it has none).
cancelling(p, st) := {min(s.star)} if {
	s := deny_summary(p).unconditional
	count(s.star) > 0
} else := {first_covering(s, a) | some a in actions} if {
	s := deny_summary(p).unconditional
	covered(s, st)
	actions := object.get(st, "Action", [])
	count(actions) > 0
} else := {min(s.indexes)} if {
	s := deny_summary(p).unconditional
	covered(s, st)
}

# lets_nothing_through(p, ep): no Allow statement of p can match a request.
lets_nothing_through(p, ep) if {
	count(p.Statement) > 0
	every st in p.Statement {
		not live_allow(p, st, ep)
	}
}

live_allow(p, st, ep) if {
	allows(st)
	not allow_cancelled(p, st, ep)
}

# ---------------------------------------------------------------------------
# Formatting

# statement_label(p, i) names statement i for messages: its Sid or index.
statement_label(p, i) := sprintf("statement %d (Sid %q)", [i, p.Statement[i].Sid]) if {
	p.Statement[i].Sid != ""
} else := sprintf("statement %d", [i])

# service_label(ep) names the endpoint's service for messages.
service_label(ep) := s if {
	s := service(ep)
} else := "its service"

# ---------------------------------------------------------------------------
# Read-only access to named resources

read_prefixes := ["Get", "List", "Describe", "Head"]

read_action(a) if {
	name := action_name(a)
	not regex.match(`[*?]`, name)
	some pre in read_prefixes
	startswith(name, pre)
}

# reads_named_resources(st): the statement only reads explicitly named
# resources (AWS's AllowRequestsToAWSOwnedResources pattern).
reads_named_resources(st) if {
	explicit_resources(st)
	count(object.get(st, "Action", [])) > 0
	every a in st.Action {
		read_action(a)
	}
}

# full_access_statement(st, ep): the EP002 pattern: Allow, principal *,
# every action, every resource, no condition.
full_access_statement(st, ep) if {
	allows(st)
	principal_is_public(st)
	allows_all_actions(st, ep)
	all_resources(st)
	not has_condition(st)
}

# foreign_action(a, ep): an action of a service other than the endpoint's,
# and none of the actions of other services that AWS documents as needed
# through it (services.json cross_service_actions: CodeArtifact's
# sts:GetServiceBearerToken). A wildcard that covers a documented action
# ("sts:*") takes effect through it, so it is not foreign either.
foreign_action(a, ep) if {
	prefixes := action_prefixes(ep)
	not action_prefix(a) in prefixes
	action_prefix(a)
	not documented_cross_service(a, ep)
}

# documented_cross_service(a, ep): action a (or a pattern covering it) is
# a documented cross-service action of the endpoint's service.
documented_cross_service(a, ep) if {
	some x in object.get(service_info(ep), "cross_service_actions", [])
	glob.match(lower(a), [], lower(x.action))
}

# ---------------------------------------------------------------------------
# Endpoints by VPC (DNS, GW and GOV rules)

# vpc_ids is the set of VPC ids defined in the scan.
vpc_ids := {v.id | some v in input.vpcs; not v.placeholder}

# vpc_known(id): the VPC is in the scan, so "the VPC has no X" is decidable
# from the scan (or the inventory is complete).
vpc_known(id) if id in vpc_ids

vpc_known(id) if {
	input.inventory.complete == true
	id != ""
}

# gateway_pairs holds [vpc_id, service] for every gateway endpoint; a set
# built once, so a lookup is constant time.
gateway_pairs contains [ep.vpc_id, svc] if {
	some ep in input.vpc_endpoints
	ep.type == "Gateway"
	ep.vpc_id
	svc := service(ep)
}

# unknown_endpoint_in_vpc(vpc): some endpoint of the VPC (or with an unknown
# VPC) has an unknown type or service, so "the VPC has no X endpoint" is
# not decidable. Both sets are computed once, so the check is a lookup.
endpoint_with_unknown_vpc if {
	some ep in input.vpc_endpoints
	not ep.vpc_id
	not ep.placeholder
}

# An endpoint is undecided when its type is unknown, or when both its
# service and service name are (a service name that names no AWS service
# is decided: it is not one). Inline tests, no helper calls: every
# endpoint passes through here.
vpcs_with_unknown_endpoint := {ep.vpc_id |
	some ep in input.vpc_endpoints
	ep.vpc_id
	not ep.type
} | {ep.vpc_id |
	some ep in input.vpc_endpoints
	ep.vpc_id
	object.get(ep, "service", "") == ""
	not ep.service_name
}

unknown_endpoint_in_vpc(_) if endpoint_with_unknown_vpc

unknown_endpoint_in_vpc(vpc) if vpc in vpcs_with_unknown_endpoint

# has_gateway_endpoint(vpc, svc): decidably true.
has_gateway_endpoint(vpc, svc) if [vpc, svc] in gateway_pairs

# lacks_gateway_endpoint(vpc, svc): decidably false.
lacks_gateway_endpoint(vpc, svc) if {
	vpc_known(vpc)
	not has_gateway_endpoint(vpc, svc)
	not unknown_endpoint_in_vpc(vpc)
}

# full_access[key] are the statements of each distinct policy that allow
# everything to everyone (EP002), which supersedes EP003, EP004 and EP008 on
# them (see lib/supersede.rego).
full_access := {key: idx |
	some key in policy_keys
	kep := key_ep(key)
	idx := {i | some i, st in policies[key].Statement; full_access_statement(st, kep)}
	count(idx) > 0
}

# ---------------------------------------------------------------------------
# Evaluating each distinct policy once
#
# Large models repeat the same policy on many endpoints (one module, many
# services). The content rules therefore judge each distinct pair
# [service, policy] once, and look the endpoints' pairs up: these documents
# are computed once per evaluation and shared by every EP rule.

key_service(ep) := s if {
	s := service(ep)
} else := ""

# policy_id(p) identifies a policy cheaply: the digest the model computes
# (equal normalized policies have equal digests), else the policy itself.
policy_id(p) := p.digest if {
	p.digest
} else := p


# key_ep(key) stands for the endpoints of a key in the helpers above (they
# read only the endpoint's service).
key_ep(key) := {"service": key[0]}

# endpoint_policies lists every endpoint whose policy the content rules
# read, with its key. Rules that look for offending policies read
# policy_keys and key_entries(key) instead, and so visit only the
# endpoints of the keys they report.
endpoint_policies := array.concat(grouped_endpoint_policies, ungrouped_endpoint_policies)

# index is the analysis' index of rare facts, when the facts have one.
index := x if {
	x := input.facts.index
	is_object(x)
}

# grouped_positions[key] are the positions in input.vpc_endpoints of the
# endpoints analysis grouped under key [service, digest]
# (index.endpoint_policies), for the services that may take a policy.
grouped_positions := {[g.service, g.digest]: g.endpoints |
	svcs := services
	some g in index.endpoint_policies
	not svcs[g.service].policy == false
	within_limits(input.vpc_endpoints[g.endpoints[0]].policy)
}

grouped_endpoint_policies := [{"ep": input.vpc_endpoints[i], "key": key} |
	some key, positions in grouped_positions
	some i in positions
]

# unindexed_endpoints are the endpoints analysis did not group: those it
# lists as others, or every endpoint when the facts have no index.
unindexed_endpoints := [input.vpc_endpoints[i] | some i in index.other_policy_endpoints] if {
	is_array(index.other_policy_endpoints)
} else := input.vpc_endpoints

ungrouped_endpoint_policies := array.concat(array.concat(fast_endpoint_policies, slow_endpoint_policies), placeholder_endpoint_policies)

# Policies written for endpoints that are only referenced (placeholders).
placeholder_endpoint_policies := [{"ep": ep, "key": [svc, policy_id(ep.policy)]} |
	some ep in unindexed_endpoints
	ep.placeholder
	within_limits(ep.policy)
	policy_type(ep)
	svc := key_service(ep)
	content_service_ok(ep, svc)
]

# The loader's endpoints have a digest and a service: no function call,
# and the package documents bound locally once, outside the loop. (With
# an index, analysis has grouped all of these.)
fast_endpoint_policies := list if {
	types := policy_types
	svcs := services
	list := [{"ep": ep, "key": [ep.service, ep.policy.digest]} |
		some ep in unindexed_endpoints
		ep.policy.digest
		within_limits(ep.policy)
		ep.type in types
		not ep.placeholder
		ep.service != ""
		not svcs[ep.service].policy == false
	]
}

# Hand-written inputs (tests, custom tools) may lack either.
slow_endpoint_policies := array.concat(
	[{"ep": ep, "key": [svc, ep.policy]} |
		some ep in unindexed_endpoints
		within_limits(ep.policy)
		not ep.policy.digest
		ep.type in policy_types
		not ep.placeholder
		svc := key_service(ep)
		content_service_ok(ep, svc)
	],
	[{"ep": ep, "key": [svc, ep.policy.digest]} |
		some ep in unindexed_endpoints
		ep.policy.digest
		within_limits(ep.policy)
		object.get(ep, "service", "") == ""
		ep.type in policy_types
		not ep.placeholder
		svc := key_service(ep)
		content_service_ok(ep, svc)
	],
)

# content_service_ok(ep, svc): svc ("" when none) lets the content rules
# read the endpoint's policy: an AWS service that may take a policy, or a
# service name that is unknown.
content_service_ok(ep, "") if not ep.service_name

content_service_ok(_, svc) if {
	svc != ""
	not services[svc].policy == false
}

# policies[key] is the policy of a key; policy_keys the distinct keys.
# (object.union_n merges in Go: equal keys carry equal policies, so no
# value needs comparing.)
policies := object.union_n(array.concat(
	[{key: input.vpc_endpoints[positions[0]].policy} | some key, positions in grouped_positions],
	[{e.key: e.ep.policy} | some e in ungrouped_endpoint_policies],
))

policy_keys := object.keys(policies)

# key_entries(key) are the entries of endpoint_policies with that key: a
# rule that found a few offending keys visits only their endpoints. (The
# comprehension over the ungrouped entries is indexed on key: grouped once.)
key_entries(key) := array.concat(
	[{"ep": input.vpc_endpoints[i], "key": key} | some i in grouped_positions[key]],
	[e | some e in ungrouped_endpoint_policies; e.key == key],
)

# key_endpoints(key) are the endpoints of key_entries(key), without an
# entry object built for each.
key_endpoints(key) := array.concat(
	[input.vpc_endpoints[i] | some i in grouped_positions[key]],
	[e.ep | some e in ungrouped_endpoint_policies; e.key == key],
)

# endpoint_policies_by_key[key] is key_entries(key) for every key.
endpoint_policies_by_key := {key: key_entries(key) | some key in policy_keys}
