package awssim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

const ec2NS = "http://ec2.amazonaws.com/doc/2016-11-15/"

func (s *Server) serveEC2(req *request) *apiError {
	if !slices.Contains(s.opts.Regions, req.region) {
		if slices.Contains(s.opts.OptInRegions, req.region) {
			return errf(http.StatusUnauthorized, "OptInRequired", "You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.")
		}
		return errf(http.StatusUnauthorized, "AuthFailure", "AWS was not able to validate the provided access credentials")
	}
	var x *xw
	var err *apiError
	s.mu.RLock()
	switch req.op {
	case "DescribeRegions":
		x, err = s.describeRegions(req)
	case "DescribeSecurityGroups":
		x, err = s.describeSecurityGroups(req)
	case "DescribeInstances":
		x, err = s.describeInstances(req)
	default:
		err = errf(http.StatusBadRequest, "InvalidAction", "The action %s is not valid for this web service.", req.op)
	}
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	out := newXWSize(x.len() + 256)
	out.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<" + req.op + `Response xmlns="` + ec2NS + `">`)
	out.elem("requestId", req.reqID)
	out.buf.Write(x.bytes())
	out.raw("</" + req.op + "Response>")
	s.writeXML(req, out)
	return nil
}

func (s *Server) describeRegions(req *request) (*xw, *apiError) {
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
	return x, nil
}

// ec2Page reads MaxResults (5..1000; 1000 when absent: unlike AWS, which
// returns everything when MaxResults is absent) and NextToken.
func ec2Page(req *request, kind string) (max, start int, err *apiError) {
	max = 1000
	if v := req.form.Get("MaxResults"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 5 || n > 1000 {
			return 0, 0, errf(http.StatusBadRequest, "InvalidParameterValue", "Value ( %s ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.", v)
		}
		max = n
	}
	if tok := req.form.Get("NextToken"); tok != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(tok)
		k, n, ok := strings.Cut(string(raw), ".")
		i, aerr := strconv.Atoi(n)
		if derr != nil || !ok || k != kind || aerr != nil || i < 0 {
			return 0, 0, errf(http.StatusBadRequest, "InvalidParameterValue", "The token '%s' is invalid.", tok)
		}
		start = i
	}
	return max, start, nil
}

func ec2Token(kind string, i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "." + strconv.Itoa(i)))
}

func (s *Server) regionIndex(region string) int { return slices.Index(s.opts.Regions, region) }

func (s *Server) sgRegion(i int) string { return s.opts.Regions[i%len(s.opts.Regions)] }

func (s *Server) sgID(acct, i int) string {
	return "sg-" + idString(s.h(10, uint64(acct), uint64(i)), 17, hexDigits)
}

func (s *Server) vpcID(acct, region int) string {
	return "vpc-" + idString(s.h(11, uint64(acct), uint64(region)), 17, hexDigits)
}

func (s *Server) instanceID(acct, i int) string {
	return "i-" + idString(s.h(12, uint64(acct), uint64(i)), 17, hexDigits)
}

func sgKind(i int) string {
	return [...]string{"ssh-open", "web-ipv6", "db-private", "cross-account", "app-internal", "classic-dns"}[i%6]
}

func sgName(i int) string    { return fmt.Sprintf("%s-%d", sgKind(i), i) }
func sgHasVPC(i int) bool    { return i%6 != 5 }
func hasInstance(i int) bool { return i%3 == 0 }

// regionItems iterates the indices of technology-t items living in region
// r (index i lives in region i % len(Regions)) from start, calling fn for each
// live one until fn returns false. It returns the next index to visit and
// whether a live item remains.
func (s *Server) regionItems(ts *techState, r, start int, keep func(int) bool, fn func(int) bool) (next int, more bool) {
	step := len(s.opts.Regions)
	i := r
	if start > r {
		i = r + (start-r+step-1)/step*step
	}
	for ; i < ts.n; i += step {
		if !ts.exists(i) || (keep != nil && !keep(i)) {
			continue
		}
		if !fn(i) {
			return i, true
		}
	}
	return i, false
}

func (s *Server) describeSecurityGroups(req *request) (*xw, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "sg")
	if aerr != nil {
		return nil, aerr
	}
	r := s.regionIndex(req.region)
	ts := &a.techs[techSG]
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
		x.elem("nextToken", ec2Token("sg", next))
	}
	return x, nil
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
		other := s.accounts[(a.idx+1)%len(s.accounts)]
		ingress = []sgRule{{proto: "tcp", from: 443, to: 443, pairUser: other.id, pairGroup: s.sgID(other.idx, i)}}
	case 4:
		ingress = []sgRule{
			{proto: "tcp", from: 8080, to: 8080, pairUser: a.id, pairGroup: s.sgID(a.idx, i), pairName: sgName(i)},
			{proto: "icmp", from: -1, to: -1, cidrs: []string{"192.168.0.0/16"}},
		}
	default:
		ingress = []sgRule{{proto: "udp", from: 53, to: 53, cidrs: []string{"0.0.0.0/0"}}}
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
	x.open("tagSet")
	if i%2 == 0 {
		x.raw("<item><key>Name</key><value>")
		x.text(sgName(i))
		x.raw("</value></item>")
	}
	x.close("tagSet")
	x.elem("securityGroupArn", "arn:aws:ec2:"+s.opts.Regions[region]+":"+a.id+":security-group/"+id)
	x.close("item")
}

func (s *Server) describeInstances(req *request) (*xw, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "i")
	if aerr != nil {
		return nil, aerr
	}
	r := s.regionIndex(req.region)
	ts := &a.techs[techSG]
	x := newXWSize(max * 1200)
	x.open("reservationSet")
	count := 0
	next, more := s.regionItems(ts, r, start, hasInstance, func(i int) bool {
		if count == max {
			return false
		}
		s.writeReservation(x, a, i, r)
		count++
		return true
	})
	x.close("reservationSet")
	if more {
		x.elem("nextToken", ec2Token("i", next))
	}
	return x, nil
}

func (s *Server) writeReservation(x *xw, a *account, i, region int) {
	vpc := s.vpcID(a.idx, region)
	x.open("item")
	x.elem("reservationId", "r-"+idString(s.h(13, uint64(a.idx), uint64(i)), 17, hexDigits))
	x.elem("ownerId", a.id)
	x.raw("<groupSet/>")
	x.open("instancesSet")
	x.open("item")
	x.elem("instanceId", s.instanceID(a.idx, i))
	x.elem("imageId", "ami-"+idString(s.h(14, uint64(i%4)), 17, hexDigits))
	x.raw("<instanceState><code>16</code><name>running</name></instanceState>")
	x.elem("instanceType", "t3.micro")
	x.elemTime("launchTime", s.created(techSG, i))
	x.elem("vpcId", vpc)
	x.elem("subnetId", "subnet-"+idString(s.h(15, uint64(a.idx), uint64(region)), 17, hexDigits))
	x.elem("privateIpAddress", fmt.Sprintf("10.0.%d.%d", (i/250)%250, i%250+2))
	x.open("groupSet")
	x.open("item")
	x.elem("groupId", s.sgID(a.idx, i))
	x.elem("groupName", sgName(i))
	x.close("item")
	x.close("groupSet")
	x.open("tagSet")
	x.raw("<item><key>Name</key><value>web-" + strconv.Itoa(i) + "</value></item>")
	x.raw("<item><key>env</key><value>" + [...]string{"prod", "dev"}[i%2] + "</value></item>")
	x.close("tagSet")
	x.close("item")
	x.close("instancesSet")
	x.close("item")
}
