package awssim

import (
	"net/http"
	"slices"
	"strconv"
)

// Classic Load Balancing (elasticloadbalancing 2012-06-01): the technology
// elb. awsQuery. It shares its signing name with ELBv2 (elbv2.go): requests
// are told apart by their Version (service.apiVersion).
//
// Load balancer i lives in the region of index i and uses security group i
// of ec2.go (same region) and instance i. Variants (elbVariant(i)), aligned
// with the security-group kinds:
//
//	0 internet-facing, ssh-open group, listeners TCP 22 and HTTP 80: the
//	  group's open port 22 is linked; access logs off
//	1 internet-facing, web-ipv6 group (443 open), HTTPS 443 with a policy
//	  from the insecure reference policy ELBSecurityPolicy-2011-08
//	2 internal, HTTPS 443 on ELBSecurityPolicy-2016-08, access logs on
//	  (benign; the bulk of large accounts)
//	3 internet-facing EC2-Classic (no VPC, no groups), HTTPS 443 with a
//	  custom policy: SSLv3, client cipher order, export, deprecated and
//	  not-recommended ciphers; access logs off
//	4 internet-facing, app-internal group, SSL 8443 on
//	  ELBSecurityPolicy-2015-05 and HTTP 8080
//	5 internal, no group, HTTP 80 with an LB cookie stickiness policy;
//	  access logs off
//
// Mutations add the tag "sim:mutation" = g.

const (
	techELB = "elb"
	elbNS   = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"
)

func elbService() *service {
	return &service{
		name:       "elasticloadbalancing",
		apiVersion: "2012-06-01",
		protocol:   awsQuery{xmlns: elbNS},
		ops: map[string]operation{
			"DescribeLoadBalancers":          {handle: (*Server).describeELBs},
			"DescribeLoadBalancerAttributes": {handle: (*Server).describeELBAttributes},
			"DescribeLoadBalancerPolicies":   {handle: (*Server).describeELBPolicies},
			"DescribeTags":                   {handle: (*Server).describeELBTags},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "User is not authorized to perform: elasticloadbalancing:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "Could not find operation {op} for version 2012-06-01"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech: techELB,
			arn: func(s *Server, a *account, i int) string {
				return "arn:aws:elasticloadbalancing:" + s.itemRegion(i) + ":" + a.id + ":loadbalancer/" + elbName(i)
			},
			mutates: `one more tag: "sim:mutation" = g (g: the mutation generation)`,
		}},
	}
}

func elbVariant(i int) int {
	if bulkBenign(i) {
		return 2
	}
	return i % 6
}

func elbName(i int) string {
	return "sim-elb-" + [...]string{"ssh", "tls2011", "internal", "classic", "tls2015", "sticky"}[elbVariant(i)] + "-" + strconv.Itoa(i)
}

// elbListener is one listener of a load balancer.
type elbListener struct {
	proto, instProto string
	port, instPort   int
	cert             bool
	policies         []string
}

func elbListeners(i int) []elbListener {
	switch elbVariant(i) {
	case 0:
		return []elbListener{{proto: "TCP", instProto: "TCP", port: 22, instPort: 22}, {proto: "HTTP", instProto: "HTTP", port: 80, instPort: 80}}
	case 1:
		return []elbListener{{proto: "HTTPS", instProto: "HTTP", port: 443, instPort: 80, cert: true, policies: []string{"sim-tls-2011-08"}}}
	case 2:
		return []elbListener{{proto: "HTTPS", instProto: "HTTP", port: 443, instPort: 8080, cert: true, policies: []string{"sim-tls-2016-08"}}}
	case 3:
		return []elbListener{{proto: "HTTPS", instProto: "HTTP", port: 443, instPort: 80, cert: true, policies: []string{"sim-custom-tls"}}}
	case 4:
		return []elbListener{{proto: "SSL", instProto: "TCP", port: 8443, instPort: 8443, cert: true, policies: []string{"sim-tls-2015-05"}},
			{proto: "HTTP", instProto: "HTTP", port: 8080, instPort: 8080}}
	}
	return []elbListener{{proto: "HTTP", instProto: "HTTP", port: 80, instPort: 80, policies: []string{"sim-sticky"}}}
}

func elbHasVPC(i int) bool { return elbVariant(i) != 3 }

func elbHasGroup(i int) bool { v := elbVariant(i); return v != 3 && v != 5 }

func elbScheme(i int) string {
	if v := elbVariant(i); v == 2 || v == 5 {
		return "internal"
	}
	return "internet-facing"
}

// elbLookup finds the live load balancer named name in the request's
// region.
func (s *Server) elbLookup(req *request, name string) (int, *apiError) {
	if i, ok := s.itemByName(req, techELB, name, elbName); ok {
		return i, nil
	}
	return 0, errf(http.StatusBadRequest, "LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", name)
}

// formList reads the members <prefix>.member.1, .2, … of a query list.
func formList(req *request, prefix string) []string {
	var out []string
	for k := 1; ; k++ {
		v := req.form.Get(prefix + ".member." + strconv.Itoa(k))
		if v == "" {
			return out
		}
		out = append(out, v)
	}
}

// elbPage reads PageSize (1..400, default 400) and Marker.
func elbPage(req *request, kind string) (max, start int, err *apiError) {
	v := req.form.Get("PageSize")
	max, ok := pageSize(v, 400, 400)
	if !ok {
		return 0, 0, errf(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value '%s' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400", v)
	}
	tok := req.form.Get("Marker")
	if start, ok = pageStart(tok, kind); !ok {
		return 0, 0, errf(http.StatusBadRequest, "InvalidParameterValue", "Invalid Marker: %s", tok)
	}
	return max, start, nil
}

func (s *Server) describeELBs(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := elbPage(req, techELB)
	if aerr != nil {
		return result{}, aerr
	}
	r := s.regionIndex(req.region)
	ts := a.tech(techELB)
	x := newXWSize(max * 2000)
	x.open("LoadBalancerDescriptions")
	count := 0
	next, more := s.regionItems(ts, r, start, nil, func(i int) bool {
		if count == max {
			return false
		}
		s.writeELB(x, a, i, r)
		count++
		return true
	})
	x.close("LoadBalancerDescriptions")
	if more {
		x.elem("NextMarker", pageToken(techELB, next))
	}
	return xmlResult(x), nil
}

func (s *Server) writeELB(x *xw, a *account, i, region int) {
	name := elbName(i)
	rname := s.opts.Regions[region]
	dns := name + "-" + strconv.Itoa(int(s.h(salt("elb/dns"), uint64(a.idx), uint64(i))%1_000_000_000)) + "." + rname + ".elb.amazonaws.com"
	if elbScheme(i) == "internal" {
		dns = "internal-" + dns
	}
	x.open("member")
	x.elem("LoadBalancerName", name)
	x.elem("DNSName", dns)
	if elbScheme(i) == "internet-facing" {
		x.elem("CanonicalHostedZoneName", dns)
	}
	x.elem("CanonicalHostedZoneNameID", "Z35SXDOTRQ7X7K")
	x.open("ListenerDescriptions")
	for _, l := range elbListeners(i) {
		x.open("member")
		x.open("Listener")
		x.elem("Protocol", l.proto)
		x.elemInt("LoadBalancerPort", l.port)
		x.elem("InstanceProtocol", l.instProto)
		x.elemInt("InstancePort", l.instPort)
		if l.cert {
			x.elem("SSLCertificateId", "arn:aws:iam::"+a.id+":server-certificate/sim-cert")
		}
		x.close("Listener")
		x.open("PolicyNames")
		for _, p := range l.policies {
			x.elem("member", p)
		}
		x.close("PolicyNames")
		x.close("member")
	}
	x.close("ListenerDescriptions")
	x.open("Policies")
	x.open("AppCookieStickinessPolicies")
	x.close("AppCookieStickinessPolicies")
	x.open("LBCookieStickinessPolicies")
	if elbVariant(i) == 5 {
		x.raw("<member><PolicyName>sim-sticky</PolicyName><CookieExpirationPeriod>3600</CookieExpirationPeriod></member>")
	}
	x.close("LBCookieStickinessPolicies")
	x.open("OtherPolicies")
	for _, l := range elbListeners(i) {
		for _, p := range l.policies {
			if p != "sim-sticky" {
				x.elem("member", p)
			}
		}
	}
	x.close("OtherPolicies")
	x.close("Policies")
	x.raw("<BackendServerDescriptions/>")
	x.open("AvailabilityZones")
	x.elem("member", rname+"a")
	x.elem("member", rname+"b")
	x.close("AvailabilityZones")
	x.open("Subnets")
	if elbHasVPC(i) {
		x.elem("member", s.subnetID(a.idx, region))
	}
	x.close("Subnets")
	if elbHasVPC(i) {
		x.elem("VPCId", s.vpcID(a.idx, region))
	}
	x.open("Instances")
	x.open("member")
	x.elem("InstanceId", s.instanceID(a.idx, i))
	x.close("member")
	x.close("Instances")
	x.open("HealthCheck")
	x.elem("Target", "HTTP:80/health")
	x.elemInt("Interval", 30)
	x.elemInt("Timeout", 5)
	x.elemInt("UnhealthyThreshold", 2)
	x.elemInt("HealthyThreshold", 10)
	x.close("HealthCheck")
	x.open("SourceSecurityGroup")
	if elbHasGroup(i) {
		x.elem("OwnerAlias", a.id)
		x.elem("GroupName", sgName(i))
	} else {
		x.elem("OwnerAlias", "amazon-elb")
		x.elem("GroupName", "amazon-elb-sg")
	}
	x.close("SourceSecurityGroup")
	x.open("SecurityGroups")
	if elbHasGroup(i) {
		x.elem("member", s.sgID(a.idx, i))
	}
	x.close("SecurityGroups")
	x.elemTime("CreatedTime", s.created(techELB, i))
	x.elem("Scheme", elbScheme(i))
	x.close("member")
}

func (s *Server) describeELBAttributes(req *request) (result, *apiError) {
	i, aerr := s.elbLookup(req, req.form.Get("LoadBalancerName"))
	if aerr != nil {
		return result{}, aerr
	}
	logs := elbVariant(i) == 1 || elbVariant(i) == 2 || elbVariant(i) == 4
	x := newXW()
	x.open("LoadBalancerAttributes")
	x.open("CrossZoneLoadBalancing")
	x.elemBool("Enabled", true)
	x.close("CrossZoneLoadBalancing")
	x.open("AccessLog")
	x.elemBool("Enabled", logs)
	if logs {
		x.elem("S3BucketName", "sim-elb-logs-"+req.acct.id)
		x.elemInt("EmitInterval", 60)
		x.elem("S3BucketPrefix", elbName(i))
	}
	x.close("AccessLog")
	x.open("ConnectionDraining")
	x.elemBool("Enabled", true)
	x.elemInt("Timeout", 300)
	x.close("ConnectionDraining")
	x.open("ConnectionSettings")
	x.elemInt("IdleTimeout", 60)
	x.close("ConnectionSettings")
	x.open("AdditionalAttributes")
	x.raw("<member><Key>elb.http.desyncmitigationmode</Key><Value>defensive</Value></member>")
	x.close("AdditionalAttributes")
	x.close("LoadBalancerAttributes")
	return xmlResult(x), nil
}

func (s *Server) describeELBTags(req *request) (result, *apiError) {
	names := formList(req, "LoadBalancerNames")
	if len(names) == 0 || len(names) > 20 {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "LoadBalancerNames: want 1 to 20 names, got %d", len(names))
	}
	x := newXWSize(200 * len(names))
	x.open("TagDescriptions")
	for _, name := range names {
		i, aerr := s.elbLookup(req, name)
		if aerr != nil {
			return result{}, aerr
		}
		tags := []tag{{"env", [...]string{"prod", "dev"}[i%2]}}
		for g := 1; g <= req.acct.tech(techELB).generation(i); g++ {
			tags = append(tags, tag{"sim:mutation", strconv.Itoa(g)})
		}
		x.open("member")
		x.elem("LoadBalancerName", name)
		writeTagList(x, "Tags", "member", "Key", "Value", tags)
		x.close("member")
	}
	x.close("TagDescriptions")
	return xmlResult(x), nil
}

// elbPolicyAttrs are the attributes of the simulated policy named name.
func elbPolicyAttrs(name string) (typ string, attrs [][2]string) {
	protocols := func(ssl3, tls1, tls11, tls12 bool) [][2]string {
		b := func(v bool) string { return strconv.FormatBool(v) }
		return [][2]string{{"Protocol-SSLv2", "false"}, {"Protocol-SSLv3", b(ssl3)}, {"Protocol-TLSv1", b(tls1)},
			{"Protocol-TLSv1.1", b(tls11)}, {"Protocol-TLSv1.2", b(tls12)}}
	}
	switch name {
	case "sim-sticky":
		return "LBCookieStickinessPolicyType", [][2]string{{"CookieExpirationPeriod", "3600"}}
	case "sim-custom-tls":
		attrs = protocols(true, true, false, false)
		attrs = append(attrs, [][2]string{{"Server-Defined-Cipher-Order", "false"}, {"ECDHE-RSA-AES128-GCM-SHA256", "true"},
			{"RC4-SHA", "true"}, {"EXP-RC4-MD5", "true"}, {"PSK-RC4-SHA", "true"}, {"DES-CBC3-SHA", "false"}}...)
		return "SSLNegotiationPolicyType", attrs
	}
	ref := map[string]string{"sim-tls-2011-08": "ELBSecurityPolicy-2011-08", "sim-tls-2015-05": "ELBSecurityPolicy-2015-05"}[name]
	if ref == "" {
		ref = "ELBSecurityPolicy-2016-08"
	}
	old := ref == "ELBSecurityPolicy-2011-08"
	attrs = protocols(old, true, !old, !old)
	attrs = append(attrs, [][2]string{{"Server-Defined-Cipher-Order", strconv.FormatBool(!old)}, {"Reference-Security-Policy", ref},
		{"ECDHE-RSA-AES128-GCM-SHA256", "true"}, {"AES128-SHA", "true"}, {"RC4-SHA", strconv.FormatBool(old)},
		{"DES-CBC3-SHA", strconv.FormatBool(ref != "ELBSecurityPolicy-2016-08")}}...)
	return "SSLNegotiationPolicyType", attrs
}

func (s *Server) describeELBPolicies(req *request) (result, *apiError) {
	i, aerr := s.elbLookup(req, req.form.Get("LoadBalancerName"))
	if aerr != nil {
		return result{}, aerr
	}
	var own []string
	for _, l := range elbListeners(i) {
		own = append(own, l.policies...)
	}
	names := formList(req, "PolicyNames")
	if names == nil {
		names = own
	}
	x := newXW()
	x.open("PolicyDescriptions")
	for _, name := range names {
		if !slices.Contains(own, name) {
			return result{}, errf(http.StatusBadRequest, "PolicyNotFound", "There is no policy with name %s for load balancer %s", name, elbName(i))
		}
		typ, attrs := elbPolicyAttrs(name)
		x.open("member")
		x.elem("PolicyName", name)
		x.elem("PolicyTypeName", typ)
		x.open("PolicyAttributeDescriptions")
		for _, kv := range attrs {
			x.open("member")
			x.elem("AttributeName", kv[0])
			x.elem("AttributeValue", kv[1])
			x.close("member")
		}
		x.close("PolicyAttributeDescriptions")
		x.close("member")
	}
	x.close("PolicyDescriptions")
	return xmlResult(x), nil
}
