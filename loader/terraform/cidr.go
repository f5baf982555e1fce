package terraform

import (
	"fmt"
	"math/big"
	"net"

	"github.com/apparentlymart/go-cidr/cidr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"
)

// The cidr* functions follow Terraform's documented behaviour, written on
// apparentlymart/go-cidr.

func parseCIDRArg(s string) (*net.IPNet, error) {
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		return nil, fmt.Errorf("invalid CIDR expression: %w", err)
	}
	return n, nil
}

func bigArg(v cty.Value) (*big.Int, error) {
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return nil, fmt.Errorf("number %s is not a whole number", bf.Text('f', -1))
	}
	i, _ := bf.Int(nil)
	return i, nil
}

var cidrHostFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseCIDRArg(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		num, err := bigArg(args[1])
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		ip, err := cidr.HostBig(n, num)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		return cty.StringVal(ip.String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseCIDRArg(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		if n.IP.To4() == nil {
			return cty.UnknownVal(cty.String), fmt.Errorf("IPv6 addresses cannot have a netmask: %s", args[0].AsString())
		}
		return cty.StringVal(net.IP(n.Mask).String()), nil
	},
})

var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseCIDRArg(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		var newbits int
		if err := gocty.FromCtyValue(args[1], &newbits); err != nil {
			return cty.UnknownVal(cty.String), fmt.Errorf("invalid newbits: %w", err)
		}
		num, err := bigArg(args[2])
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		ones, bits := n.Mask.Size()
		if newbits < 0 || ones+newbits > bits {
			return cty.UnknownVal(cty.String), fmt.Errorf("insufficient address space to extend prefix of %d by %d", ones, newbits)
		}
		limit := new(big.Int).Lsh(big.NewInt(1), uint(newbits))
		if num.Sign() < 0 || num.Cmp(limit) >= 0 {
			return cty.UnknownVal(cty.String), fmt.Errorf("prefix extension of %d does not accommodate a subnet numbered %s", newbits, num)
		}
		sub, err := cidr.SubnetBig(n, newbits, num)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		return cty.StringVal(sub.String()), nil
	},
})

// cidrSubnetsFunc allocates consecutive subnets of the given sizes, each
// aligned to its own size, as Terraform's cidrsubnets does.
var cidrSubnetsFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseCIDRArg(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.List(cty.String)), err
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		ones, bits := n.Mask.Size()
		total := new(big.Int).Lsh(big.NewInt(1), uint(bits-ones))
		next := new(big.Int)
		out := make([]cty.Value, 0, len(args)-1)
		for i, a := range args[1:] {
			var nb int
			if err := gocty.FromCtyValue(a, &nb); err != nil {
				return cty.UnknownVal(cty.List(cty.String)), fmt.Errorf("invalid newbits #%d: %w", i+1, err)
			}
			if nb < 1 || ones+nb > bits {
				return cty.UnknownVal(cty.List(cty.String)), fmt.Errorf("would extend prefix to %d bits, which is too long for an IPv%d address", ones+nb, map[int]int{32: 4, 128: 6}[bits])
			}
			size := new(big.Int).Lsh(big.NewInt(1), uint(bits-ones-nb))
			// align next up to a multiple of size
			rem := new(big.Int).Mod(next, size)
			if rem.Sign() != 0 {
				next.Add(next, new(big.Int).Sub(size, rem))
			}
			if new(big.Int).Add(next, size).Cmp(total) > 0 {
				return cty.UnknownVal(cty.List(cty.String)), fmt.Errorf("not enough remaining address space for a subnet with a prefix of %d bits after %s", ones+nb, outString(out))
			}
			num := new(big.Int).Div(next, size)
			sub, err := cidr.SubnetBig(n, nb, num)
			if err != nil {
				return cty.UnknownVal(cty.List(cty.String)), err
			}
			out = append(out, cty.StringVal(sub.String()))
			next.Add(next, size)
		}
		return cty.ListVal(out), nil
	},
})

func outString(vals []cty.Value) string {
	if len(vals) == 0 {
		return "the start"
	}
	return vals[len(vals)-1].AsString()
}
