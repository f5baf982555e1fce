package loader

import "testing"

func TestPartitionOf(t *testing.T) {
	tests := []struct {
		region, name, dns, reverse string
	}{
		{"us-east-1", "aws", "amazonaws.com", "com.amazonaws"},
		{"", "aws", "amazonaws.com", "com.amazonaws"},
		{"cn-north-1", "aws-cn", "amazonaws.com.cn", "cn.com.amazonaws"},
		{"us-gov-west-1", "aws-us-gov", "amazonaws.com", "com.amazonaws"},
		{"us-iso-east-1", "aws-iso", "c2s.ic.gov", "gov.ic.c2s"},
		{"us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov", "gov.sgov.sc2s"},
		{"us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov", "gov.ic.hci.csp"},
		{"eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk", "uk.adc-e.cloud"},
		{"eusc-de-east-1", "aws-eusc", "amazonaws.eu", "eu.amazonaws"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			p := PartitionOf(tt.region)
			if p.Name != tt.name || p.DNSSuffix != tt.dns || p.ReverseDNSPrefix() != tt.reverse {
				t.Errorf("PartitionOf(%q) = %+v, %q; want %s %s %s", tt.region, p, p.ReverseDNSPrefix(), tt.name, tt.dns, tt.reverse)
			}
		})
	}
}
