package awssim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Elastic Load Balancing v2 (elasticloadbalancing 2015-12-01): the
// technology alb (application and network load balancers). awsQuery; it
// shares its signing name with Classic Load Balancing (elb.go) and is told
// apart by the Version of its requests.
//
// Load balancer i lives in the region of index i, uses security group i of
// ec2.go (same region) and has one target group (sim-tg-<i>) whose target
// is instance i. Variants (albVariant(i)), aligned with the security-group
// kinds:
//
//	0 internet-facing, ssh-open group, HTTP 80: no listener match; access
//	  logs and deletion protection off
//	1 internet-facing, web-ipv6 group (443 and 80 open to the internet),
//	  HTTPS 443 on ELBSecurityPolicy-TLS-1-0-2015-04 and HTTP 80: the
//	  linked Internet Accessible
//	2 internal, HTTPS 443 on ELBSecurityPolicy-2016-08 (benign; bulk)
//	3 internet-facing network load balancer, cross-account group (443 from
//	  the next account), TLS 443 on an unknown (newer) policy
//	4 internet-facing, app-internal group, HTTP 8080 and HTTPS 8443 on
//	  ELBSecurityPolicy-2015-05
//	5 internal, the EC2-Classic group, HTTP 80; deletion protection off
//
// Mutations add the tag "sim:mutation" = g.

const (
	techALB   = "alb"
	elbv2NS   = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
	elbARNPre = "arn:aws:elasticloadbalancing:"
)

func elbv2Service() *service {
	return &service{
		name:       "elasticloadbalancing",
		id:         "elasticloadbalancingv2",
		apiVersion: "2015-12-01",
		protocol:   awsQuery{xmlns: elbv2NS},
		ops: map[string]operation{
			"DescribeLoadBalancers":          {handle: (*Server).describeALBs},
			"DescribeListeners":              {handle: (*Server).describeALBListeners},
			"DescribeRules":                  {handle: (*Server).describeALBRules},
			"DescribeLoadBalancerAttributes": {handle: (*Server).describeALBAttributes},
			"DescribeTags":                   {handle: (*Server).describeALBTags},
			"DescribeTargetGroups":           {handle: (*Server).describeTargetGroups},
			"DescribeTargetGroupAttributes":  {handle: (*Server).describeTargetGroupAttributes},
			"DescribeTargetHealth":           {handle: (*Server).describeTargetHealth},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "User is not authorized to perform: elasticloadbalancing:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "Could not find operation {op} for version 2015-12-01"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:    techALB,
			arn:     func(s *Server, a *account, i int) string { return s.albARN(a, i) },
			mutates: `one more tag: "sim:mutation" = g (g: the mutation generation)`,
		}},
	}
}

func albVariant(i int) int {
	if bulkBenign(i) {
		return 2
	}
	return i % 6
}

func albName(i int) string {
	return "sim-alb-" + [...]string{"ssh", "web", "internal", "nlb", "app", "classic"}[albVariant(i)] + "-" + strconv.Itoa(i)
}

func albType(i int) string {
	if albVariant(i) == 3 {
		return "network"
	}
	return "application"
}

func albScheme(i int) string {
	if v := albVariant(i); v == 2 || v == 5 {
		return "internal"
	}
	return "internet-facing"
}

// albPath is "app/<name>/<id>" (or net/…), the resource path of its ARNs.
func (s *Server) albPath(a *account, i int) string {
	kind := "app/"
	if albType(i) == "network" {
		kind = "net/"
	}
	return kind + albName(i) + "/" + s.resourceID("", 16, hexDigits, "alb/id", a, i)
}

func (s *Server) albARN(a *account, i int) string {
	return elbARNPre + s.itemRegion(i) + ":" + a.id + ":loadbalancer/" + s.albPath(a, i)
}

func tgName(i int) string { return "sim-tg-" + strconv.Itoa(i) }

func (s *Server) tgARN(a *account, i int) string {
	return elbARNPre + s.itemRegion(i) + ":" + a.id + ":targetgroup/" + tgName(i) + "/" + s.resourceID("", 16, hexDigits, "alb/tg", a, i)
}

// albListener is one listener of a load balancer.
type albListener struct {
	proto  string
	port   int
	policy string
	rules  int // rules besides the default one
}

func albListeners(i int) []albListener {
	switch albVariant(i) {
	case 1:
		return []albListener{{proto: "HTTPS", port: 443, policy: "ELBSecurityPolicy-TLS-1-0-2015-04", rules: 1}, {proto: "HTTP", port: 80}}
	case 2:
		return []albListener{{proto: "HTTPS", port: 443, policy: "ELBSecurityPolicy-2016-08", rules: 1}}
	case 3:
		return []albListener{{proto: "TLS", port: 443, policy: "ELBSecurityPolicy-TLS13-1-2-2021-06"}}
	case 4:
		return []albListener{{proto: "HTTP", port: 8080}, {proto: "HTTPS", port: 8443, policy: "ELBSecurityPolicy-2015-05"}}
	}
	return []albListener{{proto: "HTTP", port: 80}}
}

func (s *Server) listenerARN(a *account, i, k int) string {
	return elbARNPre + s.itemRegion(i) + ":" + a.id + ":listener/" + s.albPath(a, i) + "/" + s.resourceID("", 16, hexDigits, "alb/listener", a, 8*i+k)
}

// albOf finds the live load balancer i of an ARN of kind (loadbalancer,
// listener, listener-rule) in the request's region: the name is the second
// element of its resource path.
func (s *Server) albOf(req *request, arn, kind string) (int, *apiError) {
	notFound := errf(http.StatusBadRequest, "LoadBalancerNotFound", "One or more load balancers not found")
	if kind == "listener" {
		notFound = errf(http.StatusBadRequest, "ListenerNotFound", "One or more listeners not found")
	}
	_, rest, ok := strings.Cut(arn, ":"+kind+"/")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) < 3 || !strings.HasPrefix(arn, elbARNPre+req.region+":"+req.acct.id+":") {
		return 0, notFound
	}
	i, found := s.itemByName(req, techALB, parts[1], albName)
	if !found || !strings.HasPrefix(rest, s.albPath(req.acct, i)) {
		return 0, notFound
	}
	return i, nil
}

// listenerOf finds load balancer i and listener k of a listener ARN.
func (s *Server) listenerOf(req *request, arn string) (int, int, *apiError) {
	i, aerr := s.albOf(req, arn, "listener")
	if aerr != nil {
		return 0, 0, aerr
	}
	for k := range albListeners(i) {
		if s.listenerARN(req.acct, i, k) == arn {
			return i, k, nil
		}
	}
	return 0, 0, errf(http.StatusBadRequest, "ListenerNotFound", "One or more listeners not found")
}

// tgOf finds target group i of an ARN.
func (s *Server) tgOf(req *request, arn string) (int, *apiError) {
	notFound := errf(http.StatusBadRequest, "TargetGroupNotFound", "One or more target groups not found")
	_, rest, ok := strings.Cut(arn, ":targetgroup/")
	name, _, _ := strings.Cut(rest, "/")
	if !ok {
		return 0, notFound
	}
	i, found := s.itemByName(req, techALB, name, tgName)
	if !found || s.tgARN(req.acct, i) != arn {
		return 0, notFound
	}
	return i, nil
}

func (s *Server) describeALBs(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := elbPage(req, techALB)
	if aerr != nil {
		return result{}, aerr
	}
	r := s.regionIndex(req.region)
	ts := a.tech(techALB)
	x := newXWSize(max * 1200)
	x.open("LoadBalancers")
	count := 0
	next, more := s.regionItems(ts, r, start, nil, func(i int) bool {
		if count == max {
			return false
		}
		s.writeALB(x, a, i, r)
		count++
		return true
	})
	x.close("LoadBalancers")
	if more {
		x.elem("NextMarker", pageToken(techALB, next))
	}
	return xmlResult(x), nil
}

func (s *Server) writeALB(x *xw, a *account, i, region int) {
	name := albName(i)
	rname := s.opts.Regions[region]
	dns := name + "-" + strconv.Itoa(int(s.h(salt("alb/dns"), uint64(a.idx), uint64(i))%1_000_000_000)) + ".elb." + rname + ".amazonaws.com"
	if albScheme(i) == "internal" {
		dns = "internal-" + dns
	}
	x.open("member")
	x.elem("LoadBalancerArn", s.albARN(a, i))
	x.elem("DNSName", dns)
	x.elem("CanonicalHostedZoneId", "Z35SXDOTRQ7X7K")
	x.elemTime("CreatedTime", s.created(techALB, i))
	x.elem("LoadBalancerName", name)
	x.elem("Scheme", albScheme(i))
	x.elem("VpcId", s.vpcID(a.idx, region))
	x.raw("<State><Code>active</Code></State>")
	x.elem("Type", albType(i))
	x.open("AvailabilityZones")
	x.open("member")
	x.elem("ZoneName", rname+"a")
	x.elem("SubnetId", s.subnetID(a.idx, region))
	x.raw("<LoadBalancerAddresses/>")
	x.close("member")
	x.close("AvailabilityZones")
	x.open("SecurityGroups")
	x.elem("member", s.sgID(a.idx, i))
	x.close("SecurityGroups")
	x.elem("IpAddressType", "ipv4")
	x.close("member")
}

func (s *Server) describeALBListeners(req *request) (result, *apiError) {
	i, aerr := s.albOf(req, req.form.Get("LoadBalancerArn"), "loadbalancer")
	if aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	x := newXW()
	x.open("Listeners")
	for k, l := range albListeners(i) {
		x.open("member")
		x.elem("ListenerArn", s.listenerARN(a, i, k))
		x.elem("LoadBalancerArn", s.albARN(a, i))
		x.elemInt("Port", l.port)
		x.elem("Protocol", l.proto)
		x.open("Certificates")
		if l.policy != "" {
			x.raw("<member><CertificateArn>arn:aws:acm:" + s.itemRegion(i) + ":" + a.id + ":certificate/sim-cert</CertificateArn></member>")
			x.close("Certificates")
			x.elem("SslPolicy", l.policy)
		} else {
			x.close("Certificates")
		}
		x.open("DefaultActions")
		s.writeForward(x, a, i)
		x.close("DefaultActions")
		x.close("member")
	}
	x.close("Listeners")
	return xmlResult(x), nil
}

func (s *Server) writeForward(x *xw, a *account, i int) {
	x.open("member")
	x.elem("Type", "forward")
	x.elem("TargetGroupArn", s.tgARN(a, i))
	x.close("member")
}

func (s *Server) describeALBRules(req *request) (result, *apiError) {
	i, k, aerr := s.listenerOf(req, req.form.Get("ListenerArn"))
	if aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	l := albListeners(i)[k]
	x := newXW()
	x.open("Rules")
	prefix := strings.Replace(s.listenerARN(a, i, k), ":listener/", ":listener-rule/", 1) + "/"
	for r := 0; r <= l.rules; r++ {
		x.open("member")
		x.elem("RuleArn", prefix+s.resourceID("", 16, hexDigits, "alb/rule", a, 64*i+8*k+r))
		if r == l.rules {
			x.elem("Priority", "default")
			x.raw("<Conditions/>")
		} else {
			x.elem("Priority", strconv.Itoa(10*(r+1)))
			x.raw("<Conditions><member><Field>path-pattern</Field><Values><member>/api/*</member></Values></member></Conditions>")
		}
		x.open("Actions")
		s.writeForward(x, a, i)
		x.close("Actions")
		x.elemBool("IsDefault", r == l.rules)
		x.close("member")
	}
	x.close("Rules")
	return xmlResult(x), nil
}

func writeKeyValues(x *xw, list string, kv [][2]string) {
	x.open(list)
	for _, e := range kv {
		x.open("member")
		x.elem("Key", e[0])
		x.elem("Value", e[1])
		x.close("member")
	}
	x.close(list)
}

func (s *Server) describeALBAttributes(req *request) (result, *apiError) {
	i, aerr := s.albOf(req, req.form.Get("LoadBalancerArn"), "loadbalancer")
	if aerr != nil {
		return result{}, aerr
	}
	v := albVariant(i)
	logs := strconv.FormatBool(v != 0)
	protect := strconv.FormatBool(v != 0 && v != 5)
	bucket := ""
	if v != 0 {
		bucket = "sim-alb-logs-" + req.acct.id
	}
	x := newXW()
	writeKeyValues(x, "Attributes", [][2]string{
		{"access_logs.s3.enabled", logs}, {"access_logs.s3.bucket", bucket},
		{"access_logs.s3.prefix", ""}, {"deletion_protection.enabled", protect}, {"idle_timeout.timeout_seconds", "60"},
		{"routing.http2.enabled", "true"},
	})
	return xmlResult(x), nil
}

func (s *Server) describeALBTags(req *request) (result, *apiError) {
	arns := formList(req, "ResourceArns")
	if len(arns) == 0 || len(arns) > 20 {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "ResourceArns: want 1 to 20 ARNs, got %d", len(arns))
	}
	x := newXWSize(300 * len(arns))
	x.open("TagDescriptions")
	for _, arn := range arns {
		i, aerr := s.albOf(req, arn, "loadbalancer")
		if aerr != nil {
			return result{}, aerr
		}
		tags := []tag{{"env", [...]string{"prod", "dev"}[i%2]}}
		for g := 1; g <= req.acct.tech(techALB).generation(i); g++ {
			tags = append(tags, tag{"sim:mutation", strconv.Itoa(g)})
		}
		x.open("member")
		x.elem("ResourceArn", arn)
		writeTagList(x, "Tags", "member", "Key", "Value", tags)
		x.close("member")
	}
	x.close("TagDescriptions")
	return xmlResult(x), nil
}

// describeTargetGroups lists the target groups of one load balancer
// (LoadBalancerArn) or of the region, paged by PageSize (1..400) and Marker.
func (s *Server) describeTargetGroups(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := elbPage(req, "tg")
	if aerr != nil {
		return result{}, aerr
	}
	keep := func(int) bool { return true }
	if arn := req.form.Get("LoadBalancerArn"); arn != "" {
		i, aerr := s.albOf(req, arn, "loadbalancer")
		if aerr != nil {
			return result{}, aerr
		}
		keep = func(j int) bool { return j == i }
	}
	r := s.regionIndex(req.region)
	x := newXWSize(max * 900)
	x.open("TargetGroups")
	count := 0
	next, more := s.regionItems(a.tech(techALB), r, start, keep, func(i int) bool {
		if count == max {
			return false
		}
		s.writeTargetGroup(x, a, i, r)
		count++
		return true
	})
	x.close("TargetGroups")
	if more {
		x.elem("NextMarker", pageToken("tg", next))
	}
	return xmlResult(x), nil
}

func (s *Server) writeTargetGroup(x *xw, a *account, i, region int) {
	proto := "HTTP"
	if albType(i) == "network" {
		proto = "TCP"
	}
	x.open("member")
	x.elem("TargetGroupArn", s.tgARN(a, i))
	x.elem("TargetGroupName", tgName(i))
	x.elem("Protocol", proto)
	x.elemInt("Port", 80)
	x.elem("VpcId", s.vpcID(a.idx, region))
	x.elem("HealthCheckProtocol", proto)
	x.elem("HealthCheckPort", "traffic-port")
	x.elemBool("HealthCheckEnabled", true)
	x.elemInt("HealthCheckIntervalSeconds", 30)
	x.elemInt("HealthCheckTimeoutSeconds", 5)
	x.elemInt("HealthyThresholdCount", 5)
	x.elemInt("UnhealthyThresholdCount", 2)
	if proto == "HTTP" {
		x.elem("HealthCheckPath", "/health")
		x.raw("<Matcher><HttpCode>200</HttpCode></Matcher>")
	}
	x.open("LoadBalancerArns")
	x.elem("member", s.albARN(a, i))
	x.close("LoadBalancerArns")
	x.elem("TargetType", "instance")
	x.elem("IpAddressType", "ipv4")
	x.close("member")
}

func (s *Server) describeTargetGroupAttributes(req *request) (result, *apiError) {
	if _, aerr := s.tgOf(req, req.form.Get("TargetGroupArn")); aerr != nil {
		return result{}, aerr
	}
	x := newXW()
	writeKeyValues(x, "Attributes", [][2]string{{"deregistration_delay.timeout_seconds", "300"}, {"stickiness.enabled", "false"},
		{"stickiness.type", "lb_cookie"}})
	return xmlResult(x), nil
}

func (s *Server) describeTargetHealth(req *request) (result, *apiError) {
	i, aerr := s.tgOf(req, req.form.Get("TargetGroupArn"))
	if aerr != nil {
		return result{}, aerr
	}
	state := "healthy"
	if slices.Contains([]int{0, 5}, albVariant(i)) {
		state = "unhealthy"
	}
	x := newXW()
	x.open("TargetHealthDescriptions")
	x.open("member")
	x.open("Target")
	x.elem("Id", s.instanceID(req.acct.idx, i))
	x.elemInt("Port", 80)
	x.close("Target")
	x.elem("HealthCheckPort", "80")
	x.open("TargetHealth")
	x.elem("State", state)
	if state == "unhealthy" {
		x.elem("Reason", "Target.FailedHealthChecks")
		x.elem("Description", "Health checks failed")
	}
	x.close("TargetHealth")
	x.close("member")
	x.close("TargetHealthDescriptions")
	return xmlResult(x), nil
}
