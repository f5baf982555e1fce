# METADATA
# title: VPC has no flow log
# description: >-
#   No flow log in the scanned inventory is attached to the VPC. Without
#   flow logs there is no record of accepted and rejected traffic to
#   investigate an incident, detect exfiltration through endpoints, or
#   debug security group and network ACL rules. The rule stays silent when
#   a flow log it cannot see may target the VPC: a flow log whose target is
#   unknown, a VPC whose `unknown` lists `flow_logs` (handed to a module that
#   is not installed, or exported to another template), or a live read that
#   could not list the flow logs (`inventory.lists.flow_logs` not true).
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
# custom:
#   id: GOV001
#   severity: medium
#   subjects: [vpcs]
#   remediation: >-
#     Add a flow log for the VPC (aws_flow_log with vpc_id, or
#     AWS::EC2::FlowLog with ResourceType VPC), capturing at least REJECT
#     traffic, to CloudWatch Logs or S3.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6
#   frameworks: {securityhub: ["EC2.6"]}
#   peers: {checkov: [CKV2_AWS_11], trivy: [AVD-AWS-0178, aws-ec2-require-vpc-flow-logs-for-all-vpcs], tfsec: [aws-ec2-require-vpc-flow-logs-for-all-vpcs]}
#   tags: [logging, governance]
#   examples:
#     terraform: |
#       resource "aws_flow_log" "main" {
#         vpc_id               = aws_vpc.main.id
#         traffic_type         = "ALL"
#         log_destination_type = "s3"
#         log_destination      = aws_s3_bucket.flow_logs.arn
#       }
#     cloudformation: |
#       FlowLog:
#         Type: AWS::EC2::FlowLog
#         Properties:
#           ResourceId: !Ref VPC
#           ResourceType: VPC
#           TrafficType: ALL
#           LogDestinationType: s3
#           LogDestination: !GetAtt FlowLogBucket.Arn
package vpclint.rules.gov_no_flow_log

import data.vpclint.lib.inventory

logged := {fl.resource_id | some fl in input.flow_logs; fl.resource_id}

# A flow log whose target is unknown may be this VPC's.
some_target_unknown if {
	some fl in input.flow_logs
	not fl.resource_id
}

deny contains finding if {
	# A live read that could not list every flow log cannot tell.
	inventory.decided("GOV001")
	not some_target_unknown
	some vpc in input.vpcs
	not vpc.placeholder
	not vpc.id in logged
	not vpc.address in logged

	# Something the scan cannot see may attach a flow log to this VPC (an
	# uninstalled module given the VPC, an import of its export in another
	# template): the loader lists the pseudo-path flow_logs as unknown.
	not "flow_logs" in object.get(vpc, "unknown", [])
	finding := {
		"resource": vpc.address,
		"message": sprintf("VPC %s has no flow log in the scanned inventory, so its accepted and rejected traffic is not recorded", [vpc.address]),
	}
}
