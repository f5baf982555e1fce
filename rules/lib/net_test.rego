package vpclint.lib.net_test

import data.vpclint.lib.net

ssh := {"all_protocols": false, "tcp": [{"from": 22, "to": 22}], "udp": null, "icmp": false, "icmpv6": false, "other": [], "empty": false}

split_all := {"all_protocols": false, "tcp": [{"from": 1000, "to": 65535}, {"from": 0, "to": 80}, {"from": 81, "to": 999}], "udp": [], "icmp": false, "icmpv6": false, "other": [], "empty": false}

gap := {"all_protocols": false, "tcp": [{"from": 0, "to": 80}, {"from": 82, "to": 65535}], "udp": [], "icmp": false, "icmpv6": false, "other": [], "empty": false}

everything := {"all_protocols": true, "tcp": [], "udp": [], "icmp": false, "icmpv6": false, "other": [], "empty": false}

nothing := {"all_protocols": false, "tcp": [], "udp": null, "icmp": false, "icmpv6": false, "other": null, "empty": true}

test_port_in if {
	net.port_in(ssh, "tcp", 22)
	not net.port_in(ssh, "udp", 22)
	not net.port_in(ssh, "tcp", 23)
	net.port_in(everything, "udp", 53)
	net.port_reached(ssh, 22)
	not net.port_reached(nothing, 22)
}

test_reached if {
	net.reached(ssh, [22, 3389]) == [22]
	net.reached(everything, [22, 3389]) == [22, 3389]
	net.reached(nothing, [22, 3389]) == []
}

# Each port once, in the order asked, whichever protocol reaches it and
# however many ranges hold it; a port set without ranges or with null
# lists reaches none.
test_reached_protocols_and_overlaps if {
	dns := {"all_protocols": false, "tcp": [{"from": 20, "to": 25}], "udp": [{"from": 53, "to": 53}, {"from": 22, "to": 22}]}
	net.reached(dns, [3389, 53, 22, 21, 80]) == [53, 22, 21]
	net.reached({"tcp": null, "udp": null}, [22]) == []
	net.reached({}, [22]) == []
	net.reached(split_all, [80, 81, 999, 1000]) == [80, 81, 999, 1000]
	net.reached(gap, [80, 81, 82]) == [80, 82]
}

# count_in counts the listed ports a range holds: a one-port range (a
# membership test) and wider ones alike.
test_count_in if {
	ports := [22, 80, 443, 3389]
	net.count_in(ports, {"from": 443, "to": 443}) == 1
	net.count_in(ports, {"from": 444, "to": 444}) == 0
	net.count_in(ports, {"from": 0, "to": 65535}) == 4
	net.count_in(ports, {"from": 23, "to": 443}) == 2
	net.count_in([], {"from": 22, "to": 22}) == 0
	net.ranges_beyond([{"from": 443, "to": 443}, {"from": 22, "to": 22}, {"from": 80, "to": 81}], [80, 443]) == [{"from": 22, "to": 22}, {"from": 80, "to": 81}]
}

test_all_traffic if {
	net.all_traffic(everything)
	net.all_traffic(split_all)
	not net.all_traffic(gap)
	not net.all_traffic(ssh)
	not net.all_traffic(nothing)
}

test_port_zero_is_not_all_ports if {
	not net.all_traffic({"tcp": [{"from": 0, "to": 0}]})
}

test_port_count if {
	net.port_count(ssh) == 1
	net.port_count(everything) == 131072
	net.port_count({"tcp": [{"from": 1000, "to": 1999}], "udp": [{"from": 53, "to": 53}]}) == 1001
}

test_beyond_parts if {
	net.beyond_parts(ssh, [22]) == []
	net.beyond_parts(ssh, [443]) == ["tcp 22"]
	net.beyond_parts({"tcp": [{"from": 443, "to": 443}], "udp": [{"from": 53, "to": 53}], "icmp": true}, [443]) == ["udp 53", "icmp"]
	net.beyond_parts(everything, [443]) == ["all protocols"]
	net.beyond_parts({"tcp": [{"from": 80, "to": 443}]}, [80, 443]) == ["tcp 80-443"]
}

test_ranges_text if {
	net.ranges_text(ssh) == "tcp 22"
	net.ranges_text(everything) == "all protocols and ports"
	net.ranges_text(nothing) == "nothing"
	net.ranges_text({"tcp": [{"from": 8000, "to": 8100}, {"from": 22, "to": 22}], "udp": [{"from": 53, "to": 53}], "icmp": true, "other": ["47"]}) == "tcp 22, 8000-8100; udp 53; icmp; protocol 47"
}

test_named_ports if {
	net.named_ports_text([22, 3389, 4000]) == "22 (SSH), 3389 (RDP), 4000"
}

test_proto if {
	net.proto("6") == "tcp"
	net.proto("TCP") == "tcp"
	net.proto("-1") == "all"
	net.proto(-1) == "all"
	net.proto("47") == "47"
	net.all_ports_protocol("47")
	net.all_ports_protocol("all")
	not net.all_ports_protocol("tcp")
	not net.all_ports_protocol("icmp")
}

test_rule_text if {
	net.rule_text({"protocol": "tcp", "from_port": 22, "to_port": 22}) == "tcp 22"
	net.rule_text({"protocol": "udp", "from_port": 0, "to_port": 65535}) == "udp 0-65535"
	net.rule_text({"protocol": "all", "from_port": 0, "to_port": 0}) == "all traffic"
	net.rule_text({"protocol": "icmp", "from_port": -1, "to_port": -1}) == "icmp"
	net.rule_text({"protocol": "47"}) == "protocol 47"
	net.rule_text({}) == "an unknown protocol"
	net.rule_text(json.unmarshal(`{"protocol": "tcp", "from_port": 22}`)) == "tcp"
	net.rule_text(json.unmarshal(`{"protocol": "udp"}`)) == "udp"
}

test_entry if {
	e := {"rule_number": 100, "egress": false, "protocol": "6", "action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 22, "to_port": 22}
	net.entry_text(e) == "rule 100 (allow tcp 22 from 0.0.0.0/0)"
	net.entry_matches_port(e, 22)
	not net.entry_matches_port(e, 23)
	net.entry_matches_port({"protocol": "-1"}, 3389)
	net.entry_text({"rule_number": 5, "egress": true, "protocol": "all", "action": "deny", "ipv6_cidr_block": "::/0"}) == "rule 5 (deny all traffic to ::/0)"
}

test_is_unknown if {
	r := {"unknown": ["ingress[0].cidr_blocks", "egress"]}
	net.is_unknown(r, "ingress[0].cidr_blocks")
	net.is_unknown(r, "ingress[0].cidr_blocks[1]")
	net.is_unknown(r, "egress[2].description")
	not net.is_unknown(r, "ingress[0].description")
	not net.is_unknown({}, "description")
}

test_written if {
	net.written({"protocol": "tcp"})
	not net.written({"implicit": true}) with input as {"inventory": {"complete": false}}
	net.written({"implicit": true}) with input as {"inventory": {"complete": true}}
}

test_config_defaults if {
	net.admin_ports == [22, 3389]
	22 in net.admin_ports
	3306 in net.sensitive_ports
	net.endpoint_ports == [443]
	net.max_port_range == 100
	net.admin_ports == [2222] with data.config.admin_ports as [2222]
}

test_rule_summary if {
	net.rule_summary("ingress", {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/16"], "prefix_list_ids": ["pl-1"]}) == "tcp 443 from 10.0.0.0/16, pl-1"
	net.rule_summary("egress", {"protocol": "all", "from_port": 0, "to_port": 0, "self": true}) == "all traffic to itself"
	net.rule_summary("ingress", {"protocol": "udp", "from_port": 53, "to_port": 53}) == "udp 53 from unknown peers"
}

test_endpoint_label_uses_the_pattern_when_the_name_is_unknown if {
	net.endpoint_label({"address": "a", "service_name": "com.amazonaws.eu-west-1.kms"}) == "a (com.amazonaws.eu-west-1.kms)"
	net.endpoint_label({"address": "a", "service_name_pattern": "com.amazonaws.*.kms"}) == "a (com.amazonaws.*.kms)"
	net.endpoint_label({"address": "a"}) == "a"
}
