# METADATA
# title: Security group has no meaningful description
# description: >-
#   The group has no description, or keeps Terraform's default "Managed by
#   Terraform". The description is shown wherever the group is chosen and
#   cannot be changed without replacing the group, so a meaningful one written
#   at creation is the cheapest documentation of what the group is for. A
#   VPC's default group (described by AWS) and groups only referenced by the
#   scan are not reported. Off by default (tag hygiene): turn it on with
#   `--enable SG010` (or `hygiene`) or `rules: enable: [SG010]` in
#   .vpclint.yaml.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/creating-security-groups.html
# custom:
#   id: SG010
#   severity: low
#   subjects: [security_groups]
#   remediation: >-
#     Give the group a description saying what it protects and who may reach
#     it (Terraform `description`, CloudFormation `GroupDescription`). Changing
#     it replaces the group, so plan the change with create_before_destroy.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/creating-security-groups.html
#     - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
#   default: false
#   peers: {checkov: [CKV_AWS_23], trivy: [AVD-AWS-0099, aws-ec2-add-description-to-security-group], tfsec: [aws-ec2-add-description-to-security-group, aws-vpc-add-description-to-security-group]}
#   tags: [hygiene, security-group]
#   examples:
#     terraform: |
#       resource "aws_security_group" "endpoints" {
#         name        = "vpc-endpoints"
#         description = "Interface endpoints: HTTPS from the VPC"
#         vpc_id      = aws_vpc.main.id
#       }
#     cloudformation: |
#       EndpointSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: "Interface endpoints: HTTPS from the VPC"
#           VpcId: !Ref VPC
package vpclint.rules.sg_group_without_description

import data.vpclint.lib.net

deny contains finding if {
	some sg in net.groups_at("undescribed_groups")
	not meaningful(sg)
	not sg.placeholder == true
	not sg.is_default == true
	why := problem(sg)
	finding := {
		"resource": sg.address,
		"attribute": "description",
		"message": sprintf("Security group %s %s.", [sg.address, why]),
	}
}

# problem says what is wrong with the description. An unknown description
# (absent and listed in unknown) is not a problem.
problem(sg) := "has no description" if {
	object.get(sg, "description", null) == null
	not "description" in object.get(sg, "unknown", [])
}

problem(sg) := "has an empty description" if trim_space(sg.description) == ""

problem(sg) := "keeps Terraform's default description \"Managed by Terraform\"" if {
	trim_space(sg.description) == "Managed by Terraform"
}

# meaningful: the common case, decided in one step.
meaningful(sg) if {
	is_string(sg.description)
	not trim_space(sg.description) in {"", "Managed by Terraform"}
}
