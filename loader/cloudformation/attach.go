package cloudformation

import "github.com/vpclint/vpclint/model"

// attachment is a property of a resource that names another resource,
// found by target, and the attributes of that resource it sets.
type attachment struct {
	prop   string
	target func(b *build, id string) *model.Meta
	paths  []string
}

func vpcTarget(b *build, id string) *model.Meta     { return metaOf(b.vpcs, id) }
func subnetTarget(b *build, id string) *model.Meta  { return metaOf(b.subnets, id) }
func groupTarget(b *build, id string) *model.Meta   { return metaOf(b.groups, id) }
func aclTarget(b *build, id string) *model.Meta     { return metaOf(b.acls, id) }
func tableTarget(b *build, id string) *model.Meta   { return metaOf(b.tables, id) }
func serviceTarget(b *build, id string) *model.Meta { return metaOf(b.services, id) }

// attachmentsByType lists what resources that are folded into others set
// on the resources they name. When such a resource may or may not exist
// (its Condition cannot be decided), or names its target through a value
// that is not one resource of the unit (an undecided Fn::If, an
// Fn::ImportValue of another template's export), those attributes are
// unknown on every resource it could name: a rule may not conclude that
// a VPC has no flow log, or that an ACL applies to no subnet, when
// something the scan cannot pin down may change it.
var attachmentsByType = map[string][]attachment{
	typeSGIngress:      {{"GroupId", groupTarget, []string{"ingress"}}},
	typeSGEgress:       {{"GroupId", groupTarget, []string{"egress"}}},
	typeNACLEntry:      {{"NetworkAclId", aclTarget, []string{"entries"}}},
	typeSubnetACLAssoc: {{"NetworkAclId", aclTarget, []string{"subnet_ids"}}, {"SubnetId", subnetTarget, []string{"network_acl_id"}}},
	typeSubnetRTAssoc:  {{"RouteTableId", tableTarget, []string{"subnet_ids"}}, {"SubnetId", subnetTarget, []string{"route_table_id"}}},
	typeRoute:          {{"RouteTableId", tableTarget, []string{"routes"}}},
	typeServicePerms:   {{"ServiceId", serviceTarget, []string{"allowed_principals"}}},
	typeVPCCidrBlock:   {{"VpcId", vpcTarget, []string{"cidr_blocks", "ipv6_cidr_blocks"}}},
	// The pseudo-path flow_logs: a flow log the scan cannot pin down may
	// record this VPC (docs/model.md).
	typeFlowLog: {{"ResourceId", vpcTarget, []string{"flow_logs"}}},
}

// attachmentOf returns the attachment of a resource type through prop.
func attachmentOf(typ, prop string) *attachment {
	for i, a := range attachmentsByType[typ] {
		if a.prop == prop {
			return &attachmentsByType[typ][i]
		}
	}
	return nil
}

// possibleValues calls visit with each value v may stand for: the
// branches of an Fn::If whose condition cannot be decided, else v itself.
func possibleValues(v *node, visit func(*node)) {
	if v == nil {
		return
	}
	if v.kind == kindUnknown && v.sym != nil && len(v.sym.alts) > 0 {
		for _, a := range v.sym.alts {
			possibleValues(a, visit)
		}
		return
	}
	visit(v)
}

// mayAttach records that a resource may set a's attributes on whatever v
// names: a resource of this unit becomes unknown there now; an export of
// another template once the scan's exports are known. A value from a
// parameter names nothing the template creates.
func (b *build) mayAttach(v *node, a *attachment) {
	possibleValues(v, func(p *node) {
		switch {
		case p.kind == kindScalar:
			b.markTarget(a, p.value)
		case p.info().imported != "":
			b.set.links.addImport(p.info().imported, a)
		}
	})
}

// targetID reads the property of a part (a route, an association) that
// names the resource it folds into. When the id cannot be resolved, the
// part may fold into any resource the property could name (mayAttach).
func (b *build) targetID(x *rb, typ, prop string) (string, bool) {
	id, ok := x.str(x.props, prop, "")
	if !ok {
		b.mayAttach(x.props.val(prop), attachmentOf(typ, prop))
	}
	return id, ok
}

// mayAttachAll is mayAttach for every target a resource of an undecided
// Condition names.
func (b *build) mayAttachAll(res *resource) {
	props := b.r.resolve(res.props)
	for i := range attachmentsByType[res.typ] {
		a := &attachmentsByType[res.typ][i]
		v := props.val(a.prop)
		if v == nil && a.prop == "GroupId" {
			v = props.val("GroupName")
		}
		b.mayAttach(v, a)
	}
}

// markTarget lists a's paths as unknown on the resource of the unit it
// names by id, if there is one. Lists keep what is known of them (the path
// says they may hold more); a subnet's single association becomes absent.
func (b *build) markTarget(a *attachment, id string) {
	m := a.target(b, id)
	if m == nil {
		return
	}
	m.Unknown = append(m.Unknown, a.paths...)
	if s := b.subnets[id]; s != nil && &s.Meta == m {
		for _, p := range a.paths {
			switch p {
			case "network_acl_id":
				s.NetworkACLID = ""
			case "route_table_id":
				s.RouteTableID = ""
			}
		}
	}
}

// metaOf is the Meta of the resource of an id, nil when there is none.
func metaOf[R model.Resource](byID map[string]R, id string) *model.Meta {
	if r, ok := byID[id]; ok {
		return r.GetMeta()
	}
	return nil
}
