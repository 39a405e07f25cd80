package awssim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

const ec2NS = "http://ec2.amazonaws.com/doc/2016-11-15/"

// EC2: DescribeRegions, DescribeSecurityGroups and the technology
// securitygroup; the other EC2 technologies live in ec2_<technology>.go
// files. ec2Query.

func ec2Service() *service {
	return &service{
		name:     "ec2",
		protocol: ec2Query{xmlns: ec2NS},
		ops: map[string]operation{
			"DescribeRegions":        {handle: (*Server).describeRegions},
			"DescribeSecurityGroups": {handle: (*Server).describeSecurityGroups},
			"DescribeInstances":      {handle: (*Server).describeInstances},

			// ec2instance, ec2image, ebssnapshot, ebsvolume, elasticip,
			// networkinterface, keypair (ec2_<technology>.go).
			"DescribeTags":              {handle: (*Server).describeTags},
			"DescribeImages":            {handle: (*Server).describeImages},
			"DescribeImageAttribute":    {handle: (*Server).describeImageAttribute},
			"DescribeSnapshots":         {handle: (*Server).describeSnapshots},
			"DescribeSnapshotAttribute": {handle: (*Server).describeSnapshotAttribute},
			"DescribeVolumes":           {handle: (*Server).describeVolumes},
			"DescribeAddresses":         {handle: (*Server).describeAddresses},
			"DescribeNetworkInterfaces": {handle: (*Server).describeNetworkInterfaces},
			"DescribeKeyPairs":          {handle: (*Server).describeKeyPairs},

			// vpc, subnet, routetable, networkacl, dhcp, peering, endpoint,
			// flowlog, natgateway, vpn, virtual_gateway (ec2_<technology>.go).
			"DescribeVpcs":                  {handle: (*Server).describeVpcs},
			"DescribeVpcAttribute":          {handle: (*Server).describeVpcAttribute},
			"DescribeInternetGateways":      {handle: (*Server).describeInternetGateways},
			"DescribeSubnets":               {handle: (*Server).describeSubnets},
			"DescribeRouteTables":           {handle: (*Server).describeRouteTables},
			"DescribeNetworkAcls":           {handle: (*Server).describeNetworkAcls},
			"DescribeDhcpOptions":           {handle: (*Server).describeDhcpOptions},
			"DescribeVpcPeeringConnections": {handle: (*Server).describeVpcPeeringConnections},
			"DescribeVpcEndpoints":          {handle: (*Server).describeVpcEndpoints},
			"DescribeFlowLogs":              {handle: (*Server).describeFlowLogs},
			"DescribeNatGateways":           {handle: (*Server).describeNatGateways},
			"DescribeVpnConnections":        {handle: (*Server).describeVpnConnections},
			"DescribeVpnGateways":           {handle: (*Server).describeVpnGateways},
		},
		throttle: errorShape{http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded."},
		denied:   errorShape{http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation."},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "The action {op} is not valid for this web service."},
		check: enabledRegion(
			errorShape{http.StatusUnauthorized, "OptInRequired", "You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe."},
			errorShape{http.StatusUnauthorized, "AuthFailure", "AWS was not able to validate the provided access credentials"}),
		resources: []resource{{
			tech:        techSG,
			createdHour: 36,
			arn: func(s *Server, a *account, i int) string {
				return "arn:aws:ec2:" + s.itemRegion(i) + ":" + a.id + ":security-group/" + s.sgID(a.idx, i)
			},
			mutates: "ingress open to the internet (0.0.0.0/0, ::/0) closed, and one more ingress rule: tcp 10000+g from 10.g.0.0/16 (g: the mutation generation)",
		},
			ec2InstanceResource(), ec2ImageResource(), ebsSnapshotResource(), ebsVolumeResource(),
			elasticIPResource(), networkInterfaceResource(), keyPairResource(),
			vpcResource(), subnetResource(), routeTableResource(), networkACLResource(), dhcpResource(),
			peeringResource(), endpointResource(), flowLogResource(), natGatewayResource(), vpnResource(), vgwResource(),
		},
	}
}

const techSG = "securitygroup"

func (s *Server) describeRegions(req *request) (result, *apiError) {
	all := strings.EqualFold(req.form.Get("AllRegions"), "true")
	var names []string
	for k := 1; ; k++ {
		v := req.form.Get("RegionName." + strconv.Itoa(k))
		if v == "" {
			break
		}
		names = append(names, v)
	}
	x := newXW()
	x.open("regionInfo")
	write := func(r, status string) {
		if len(names) > 0 && !slices.Contains(names, r) {
			return
		}
		x.open("item")
		x.elem("regionName", r)
		x.elem("regionEndpoint", "ec2."+r+".amazonaws.com")
		x.elem("optInStatus", status)
		x.close("item")
	}
	for _, r := range s.opts.Regions {
		write(r, "opt-in-not-required")
	}
	if all || len(names) > 0 {
		for _, r := range s.opts.OptInRegions {
			write(r, "not-opted-in")
		}
	}
	x.close("regionInfo")
	return xmlResult(x), nil
}

// ec2Page reads MaxResults (5..1000; 1000 when absent: unlike AWS, which
// returns everything when MaxResults is absent) and NextToken.
func ec2Page(req *request, kind string) (max, start int, err *apiError) {
	return ec2PageMax(req, kind, 1000)
}

// ec2PageMax is ec2Page for operations whose MaxResults is at most limit
// (DescribeVolumes: 500).
func ec2PageMax(req *request, kind string, limit int) (max, start int, err *apiError) {
	v := req.form.Get("MaxResults")
	max, ok := pageSize(v, limit, limit)
	if !ok || max < 5 {
		return 0, 0, errf(http.StatusBadRequest, "InvalidParameterValue", "Value ( %s ) for parameter maxResults is invalid. Expecting a value between 5 and %d.", v, limit)
	}
	tok := req.form.Get("NextToken")
	start, ok = pageStart(tok, kind)
	if !ok {
		return 0, 0, errf(http.StatusBadRequest, "InvalidParameterValue", "The token '%s' is invalid.", tok)
	}
	return max, start, nil
}

// ec2RegionList answers an EC2 listing of the items of technology tech in
// the request's region, written by write inside the element set. limit is
// the operation's largest page (MaxResults 5..limit, pages of kind's
// tokens); 0 means an unpaged operation that returns every item at once
// (DescribeVpnConnections…). itemBytes sizes the buffer.
func (s *Server) ec2RegionList(req *request, tech, kind, set string, limit, itemBytes int,
	write func(x *xw, a *account, i int, region string, gen int)) (result, *apiError) {
	a := req.acct
	max, start := int(^uint(0)>>1), 0
	if limit > 0 {
		var aerr *apiError
		if max, start, aerr = ec2PageMax(req, kind, limit); aerr != nil {
			return result{}, aerr
		}
	}
	ts := a.tech(tech)
	x := newXWSize(min(max, 1000) * itemBytes)
	x.open(set)
	count := 0
	next, more := s.regionItems(ts, s.regionIndex(req.region), start, nil, func(i int) bool {
		if count == max {
			return false
		}
		write(x, a, i, req.region, ts.generation(i))
		count++
		return true
	})
	x.close(set)
	if more {
		x.elem("nextToken", pageToken(kind, next))
	}
	return xmlResult(x), nil
}

// ec2List reads an ec2Query list parameter: name.1, name.2, … (Owner.N,
// ImageId.N…).
func ec2List(req *request, name string) []string {
	var out []string
	for k := 1; ; k++ {
		v, ok := req.form[name+"."+strconv.Itoa(k)]
		if !ok {
			return out
		}
		out = append(out, v...)
	}
}

// ec2Filters reads the Filter.N.Name / Filter.N.Value.M parameters: filter
// name → values (nil when no filter is given).
func ec2Filters(req *request) map[string][]string {
	var out map[string][]string
	for k := 1; ; k++ {
		p := "Filter." + strconv.Itoa(k) + "."
		name := req.form.Get(p + "Name")
		if name == "" {
			return out
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[name] = append(out[name], ec2List(req, p+"Value")...)
	}
}

func (s *Server) sgID(acct, i int) string {
	return "sg-" + idString(s.h(10, uint64(acct), uint64(i)), 17, hexDigits)
}

func (s *Server) vpcID(acct, region int) string {
	return "vpc-" + idString(s.h(11, uint64(acct), uint64(region)), 17, hexDigits)
}

func sgKind(i int) string {
	return [...]string{"ssh-open", "web-ipv6", "db-private", "cross-account", "app-internal", "classic-dns"}[i%6]
}

func sgName(i int) string { return fmt.Sprintf("%s-%d", sgKind(i), i) }
func sgHasVPC(i int) bool { return i%6 != 5 }

func (s *Server) describeSecurityGroups(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "sg")
	if aerr != nil {
		return result{}, aerr
	}
	r := s.regionIndex(req.region)
	ts := a.tech(techSG)
	x := newXWSize(max * 900)
	x.open("securityGroupInfo")
	count := 0
	next, more := s.regionItems(ts, r, start, nil, func(i int) bool {
		if count == max {
			return false
		}
		s.writeSecurityGroup(x, a, i, r, ts.generation(i))
		count++
		return true
	})
	x.close("securityGroupInfo")
	if more {
		x.elem("nextToken", pageToken("sg", next))
	}
	return xmlResult(x), nil
}

type sgRule struct {
	proto        string
	from, to     int
	cidrs, cidr6 []string
	pairUser     string
	pairGroup    string
	pairName     string
}

func (s *Server) sgRules(a *account, i, gen int) (ingress, egress []sgRule) {
	switch i % 6 {
	case 0:
		ingress = []sgRule{{proto: "tcp", from: 22, to: 22, cidrs: []string{"0.0.0.0/0"}}}
	case 1:
		ingress = []sgRule{
			{proto: "tcp", from: 443, to: 443, cidrs: []string{"0.0.0.0/0"}, cidr6: []string{"::/0"}},
			{proto: "tcp", from: 80, to: 80, cidr6: []string{"::/0"}},
		}
	case 2:
		ingress = []sgRule{{proto: "tcp", from: 3306, to: 3306, cidrs: []string{"10.0.0.0/8", "172.16.0.0/12"}}}
	case 3:
		other := s.nextAccount(a)
		ingress = []sgRule{{proto: "tcp", from: 443, to: 443, pairUser: other.id, pairGroup: s.sgID(other.idx, i)}}
	case 4:
		ingress = []sgRule{
			{proto: "tcp", from: 8080, to: 8080, pairUser: a.id, pairGroup: s.sgID(a.idx, i), pairName: sgName(i)},
			{proto: "icmp", from: -1, to: -1, cidrs: []string{"192.168.0.0/16"}},
		}
	default:
		ingress = []sgRule{{proto: "udp", from: 53, to: 53, cidrs: []string{"0.0.0.0/0"}}}
	}
	if gen > 0 {
		ingress = closeInternet(ingress)
	}
	for g := 1; g <= gen; g++ {
		ingress = append(ingress, sgRule{proto: "tcp", from: 10000 + g, to: 10000 + g, cidrs: []string{fmt.Sprintf("10.%d.0.0/16", g%256)}})
	}
	if sgHasVPC(i) {
		e := sgRule{proto: "-1", cidrs: []string{"0.0.0.0/0"}}
		if i%6 == 1 {
			e.cidr6 = []string{"::/0"}
		}
		egress = []sgRule{e}
	}
	return ingress, egress
}

// closeInternet removes the internet sources (0.0.0.0/0, ::/0) of rules
// and the rules left without a source: what a mutated group's owner did.
func closeInternet(rules []sgRule) []sgRule {
	open := func(c string) bool { return c == "0.0.0.0/0" || c == "::/0" }
	var out []sgRule
	for _, r := range rules {
		r.cidrs = slices.DeleteFunc(slices.Clone(r.cidrs), open)
		r.cidr6 = slices.DeleteFunc(slices.Clone(r.cidr6), open)
		if len(r.cidrs)+len(r.cidr6) > 0 || r.pairGroup != "" {
			out = append(out, r)
		}
	}
	return out
}

func writeRules(x *xw, name string, rules []sgRule) {
	x.open(name)
	for _, r := range rules {
		x.open("item")
		x.elem("ipProtocol", r.proto)
		if r.proto != "-1" {
			x.elemInt("fromPort", r.from)
			x.elemInt("toPort", r.to)
		}
		x.open("groups")
		if r.pairGroup != "" {
			x.open("item")
			x.elem("userId", r.pairUser)
			x.elem("groupId", r.pairGroup)
			x.elemOpt("groupName", r.pairName)
			x.close("item")
		}
		x.close("groups")
		x.open("ipRanges")
		for _, c := range r.cidrs {
			x.open("item")
			x.elem("cidrIp", c)
			x.close("item")
		}
		x.close("ipRanges")
		x.open("ipv6Ranges")
		for _, c := range r.cidr6 {
			x.open("item")
			x.elem("cidrIpv6", c)
			x.close("item")
		}
		x.close("ipv6Ranges")
		x.raw("<prefixListIds/>")
		x.close("item")
	}
	x.close(name)
}

func (s *Server) writeSecurityGroup(x *xw, a *account, i, region, gen int) {
	id := s.sgID(a.idx, i)
	x.open("item")
	x.elem("ownerId", a.id)
	x.elem("groupId", id)
	x.elem("groupName", sgName(i))
	x.elem("groupDescription", "simulated "+sgKind(i)+" group")
	if sgHasVPC(i) {
		x.elem("vpcId", s.vpcID(a.idx, region))
	}
	in, eg := s.sgRules(a, i, gen)
	writeRules(x, "ipPermissions", in)
	writeRules(x, "ipPermissionsEgress", eg)
	var tags []tag
	if i%2 == 0 {
		tags = []tag{{"Name", sgName(i)}}
	}
	writeTagList(x, "tagSet", "item", "key", "value", tags)
	x.elem("securityGroupArn", "arn:aws:ec2:"+s.opts.Regions[region]+":"+a.id+":security-group/"+id)
	x.close("item")
}
