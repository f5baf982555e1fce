package loader

import (
	"slices"
	"strings"
)

// Partition is the AWS partition of a region: the name ARNs carry
// (AWS::Partition, aws_partition.partition) and the DNS suffix of its
// endpoints (AWS::URLSuffix, aws_partition.dns_suffix). Both front ends
// resolve these pseudo values, so the table is kept here, once.
type Partition struct {
	Name, DNSSuffix string
}

// partitions are the partitions other than aws, by the prefix of their
// region names, as the AWS SDKs' partition table (partitions.json)
// matches them; the SDK keeps its table internal.
var partitions = []struct {
	prefix string
	Partition
}{
	{"cn-", Partition{"aws-cn", "amazonaws.com.cn"}},
	{"us-gov-", Partition{"aws-us-gov", "amazonaws.com"}},
	{"us-iso-", Partition{"aws-iso", "c2s.ic.gov"}},
	{"us-isob-", Partition{"aws-iso-b", "sc2s.sgov.gov"}},
	{"us-isof-", Partition{"aws-iso-f", "csp.hci.ic.gov"}},
	{"eu-isoe-", Partition{"aws-iso-e", "cloud.adc-e.uk"}},
	{"eusc-", Partition{"aws-eusc", "amazonaws.eu"}},
}

// PartitionOf is the partition of a region; a region of no other
// partition is in aws.
func PartitionOf(region string) Partition {
	for _, p := range partitions {
		if strings.HasPrefix(region, p.prefix) {
			return p.Partition
		}
	}
	return Partition{"aws", "amazonaws.com"}
}

// ReverseDNSPrefix is the DNS suffix read backwards ("com.amazonaws"),
// the prefix of the partition's endpoint service names.
func (p Partition) ReverseDNSPrefix() string {
	labels := strings.Split(p.DNSSuffix, ".")
	slices.Reverse(labels)
	return strings.Join(labels, ".")
}
