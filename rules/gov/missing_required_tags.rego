# METADATA
# title: Resource lacks a required tag
# description: >-
#   config.required_tags lists tag keys every VPC, subnet, security group,
#   network ACL, endpoint, endpoint service, route table and flow log must
#   carry (owner, cost centre, data classification ...), and this resource
#   lacks one. Untagged network resources cannot be attributed, billed or
#   matched by tag-based policies.
# related_resources:
#   - ref: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
# custom:
#   id: GOV004
#   severity: low
#   subjects: [vpcs, subnets, security_groups, network_acls, vpc_endpoints, vpc_endpoint_services, route_tables, flow_logs]
#   remediation: >-
#     Add the missing tags (in Terraform, the provider's default_tags adds
#     them to every resource).
#   references:
#     - https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
#     - https://registry.terraform.io/providers/hashicorp/aws/latest/docs#default_tags-configuration-block
#   tags: [governance, tagging]
#   examples:
#     terraform: |
#       provider "aws" {
#         default_tags {
#           tags = { Owner = "network-team", CostCenter = "1234" }
#         }
#       }
#     cloudformation: |
#       VPC:
#         Type: AWS::EC2::VPC
#         Properties:
#           CidrBlock: 10.0.0.0/16
#           Tags:
#             - Key: Owner
#               Value: network-team
#             - Key: CostCenter
#               Value: "1234"
package vpclint.rules.gov_missing_required_tags

required := {k | some r in data.config.required_tags; k := tag_key(r)}

tag_key(r) := r if is_string(r)

tag_key(r) := r.key if is_object(r)

collections := ["vpcs", "subnets", "security_groups", "network_acls", "vpc_endpoints", "vpc_endpoint_services", "route_tables", "flow_logs"]

# tags_unknown(res, k): the tags, or this tag, could not be decided.
tags_unknown(res, _) if "tags" in object.get(res, "unknown", [])

tags_unknown(res, k) if sprintf("tags.%s", [k]) in object.get(res, "unknown", [])

tags_unknown(res, k) if sprintf("tags[%q]", [k]) in object.get(res, "unknown", [])

deny contains finding if {
	count(required) > 0
	some coll in collections
	some res in object.get(input, coll, [])
	not res.placeholder
	missing := sort({k | some k in required; not has_tag(res, k); not tags_unknown(res, k)})
	count(missing) > 0
	finding := {
		"resource": res.address,
		"attribute": "tags",
		"message": sprintf("%s lacks the required tag%s %s", [res.address, plural(missing), concat(", ", missing)]),
	}
}

has_tag(res, k) if object.get(res, ["tags", k], null) != null

plural(l) := "s" if count(l) > 1

plural(l) := "" if count(l) == 1
