package tfaws

import "testing"

// TestAddressType: a route target that is a Terraform address is typed
// by its resource type, whatever module and instance keys it has.
func TestAddressType(t *testing.T) {
	for addr, want := range map[string]string{
		"aws_internet_gateway.main":                    "aws_internet_gateway",
		"module.vpc.aws_internet_gateway.this[0]":      "aws_internet_gateway",
		`module.net["a"].aws_internet_gateway.gw["x"]`: "aws_internet_gateway",
		"data.aws_internet_gateway.default":            "aws_internet_gateway",
		"var.igw_id":                                   "",
		"IGW":                                          "",
		"igw-0123":                                     "",
	} {
		if got := addressType(addr); got != want {
			t.Errorf("addressType(%q) = %q, want %q", addr, got, want)
		}
	}
}
