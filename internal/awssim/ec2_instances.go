package awssim

import (
	"fmt"
	"strconv"
	"strings"
)

// EC2 instances: the technology ec2instance, DescribeInstances (read by the
// ec2instance and securitygroup watchers: one set of instances) and
// DescribeTags (instance tags: the elasticip watcher's Name tags).

const techInstance = "ec2instance"

func ec2InstanceResource() resource {
	return resource{
		tech: techInstance,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":instance/" + s.instanceID(a.idx, k)
		},
		mutates: `one more tag: "sim:mutation" = g (g: the mutation generation)`,
	}
}

func (s *Server) instanceID(acct, k int) string {
	return "i-" + idString(s.h(12, uint64(acct), uint64(k)), 17, hexDigits)
}

// instanceGroup is the security group of instance k: instances live in
// Regions[k % R] like every regional item; the m-th instance of a region
// (m = k / R) runs in the group of local index m - m%3 of that region, so
// a third of the groups (local index ≡ 0 mod 3) hold up to three instances
// each and the others none.
func (s *Server) instanceGroup(k int) int {
	r := len(s.opts.Regions)
	m := k / r
	return k%r + r*(m-m%3)
}

// instanceRunning: every fifth instance is stopped (no public address).
func instanceRunning(k int) bool { return k%5 != 4 }

// instancePrivateIP is the private address of instance k.
func instancePrivateIP(k int) string { return fmt.Sprintf("10.0.%d.%d", (k/250)%250, k%250+2) }

// instancePublicIP is the public address of a running instance (every
// other one), "" when none.
func (s *Server) instancePublicIP(a *account, k int) string {
	if !instanceRunning(k) || k%2 != 0 {
		return ""
	}
	h := s.h(salt("ec2instance/public-ip"), uint64(a.idx), uint64(k))
	return fmt.Sprintf("3.%d.%d.%d", 80+h%48, (h>>8)%256, 1+(h>>16)%254)
}

// instanceTags: Name and env, none on every seventh instance (its item is
// named by its id), plus sim:mutation once mutated.
func instanceTags(k, gen int) []tag {
	var tags []tag
	if k%7 != 6 {
		tags = []tag{{"Name", "web-" + strconv.Itoa(k)}, {"env", [...]string{"prod", "dev"}[k%2]}}
	}
	if gen > 0 {
		tags = append(tags, tag{"sim:mutation", strconv.Itoa(gen)})
	}
	return tags
}

// zone is the availability zone of the n-th resource of a region.
func zone(region string, n int) string { return region + string(rune('a'+n%3)) }

func (s *Server) subnetID(acct, region int) string {
	return "subnet-" + idString(s.h(15, uint64(acct), uint64(region)), 17, hexDigits)
}

func privateDNS(region, ip string) string {
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}

func publicDNS(region, ip string) string {
	host := "ec2-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".compute-1.amazonaws.com"
	}
	return host + "." + region + ".compute.amazonaws.com"
}

func (s *Server) describeInstances(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "i")
	if aerr != nil {
		return result{}, aerr
	}
	r := s.regionIndex(req.region)
	ts := a.tech(techInstance)
	x := newXWSize(max * 1600)
	x.open("reservationSet")
	count := 0
	next, more := s.regionItems(ts, r, start, nil, func(k int) bool {
		if count == max {
			return false
		}
		s.writeReservation(x, a, k, r, ts.generation(k))
		count++
		return true
	})
	x.close("reservationSet")
	if more {
		x.elem("nextToken", pageToken("i", next))
	}
	return xmlResult(x), nil
}

// writeReservation writes instance k in a reservation of its own.
func (s *Server) writeReservation(x *xw, a *account, k, region, gen int) {
	regionName := s.opts.Regions[region]
	g := s.instanceGroup(k)
	x.open("item")
	x.elem("reservationId", "r-"+idString(s.h(13, uint64(a.idx), uint64(k)), 17, hexDigits))
	x.elem("ownerId", a.id)
	x.raw("<groupSet/>")
	x.open("instancesSet")
	x.open("item")
	x.elem("instanceId", s.instanceID(a.idx, k))
	x.elem("imageId", "ami-"+idString(s.h(14, uint64(k%4)), 17, hexDigits))
	if instanceRunning(k) {
		x.raw("<instanceState><code>16</code><name>running</name></instanceState>")
	} else {
		x.raw("<instanceState><code>80</code><name>stopped</name></instanceState>")
	}
	ip := instancePrivateIP(k)
	x.elem("privateDnsName", privateDNS(regionName, ip))
	pub := s.instancePublicIP(a, k)
	if pub != "" {
		x.elem("dnsName", publicDNS(regionName, pub))
	} else {
		x.raw("<dnsName/>")
	}
	x.elem("keyName", "sim-key-"+strconv.Itoa(k))
	x.elemInt("amiLaunchIndex", 0)
	x.elem("instanceType", [...]string{"t3.micro", "m5.large", "c5.xlarge"}[k%3])
	x.elemTime("launchTime", s.created(techInstance, k))
	x.open("placement")
	x.elem("availabilityZone", zone(regionName, k/len(s.opts.Regions)))
	x.raw("<groupName/>")
	x.elem("tenancy", "default")
	x.close("placement")
	x.raw("<monitoring><state>disabled</state></monitoring>")
	if sgHasVPC(g) {
		x.elem("subnetId", s.subnetID(a.idx, region))
		x.elem("vpcId", s.vpcID(a.idx, region))
	}
	x.elem("privateIpAddress", ip)
	x.elemOpt("ipAddress", pub)
	x.open("groupSet")
	x.open("item")
	x.elem("groupId", s.sgID(a.idx, g))
	x.elem("groupName", sgName(g))
	x.close("item")
	x.close("groupSet")
	x.elem("architecture", "x86_64")
	x.elem("rootDeviceType", "ebs")
	x.elem("rootDeviceName", "/dev/xvda")
	x.elem("virtualizationType", "hvm")
	x.elem("hypervisor", "xen")
	if tags := instanceTags(k, gen); len(tags) > 0 {
		writeTagList(x, "tagSet", "item", "key", "value", tags)
	}
	x.close("item")
	x.close("instancesSet")
	x.close("item")
}

// describeTags serves the tags of the instances of the region (the only
// tagged resources DescribeTags knows here), filtered by resource-id, key
// and resource-type, 5..1000 tags a page.
func (s *Server) describeTags(req *request) (result, *apiError) {
	a := req.acct
	max, start, aerr := ec2Page(req, "tag")
	if aerr != nil {
		return result{}, aerr
	}
	f := ec2Filters(req)
	set := func(name string) map[string]bool {
		vals, ok := f[name]
		if !ok {
			return nil
		}
		m := map[string]bool{}
		for _, v := range vals {
			m[v] = true
		}
		return m
	}
	ids, keys, types := set("resource-id"), set("key"), set("resource-type")
	r := s.regionIndex(req.region)
	ts := a.tech(techInstance)
	x := newXWSize(4096)
	x.open("tagSet")
	count := 0
	var next int
	var more bool
	if types == nil || types["instance"] {
		next, more = s.regionItems(ts, r, start, nil, func(k int) bool {
			id := s.instanceID(a.idx, k)
			if ids != nil && !ids[id] {
				return true
			}
			var tags []tag
			for _, t := range instanceTags(k, ts.generation(k)) {
				if keys == nil || keys[t.key] {
					tags = append(tags, t)
				}
			}
			if count > 0 && count+len(tags) > max {
				return false
			}
			for _, t := range tags {
				x.open("item")
				x.elem("resourceId", id)
				x.elem("resourceType", "instance")
				x.elem("key", t.key)
				x.elem("value", t.value)
				x.close("item")
			}
			count += len(tags)
			return true
		})
	}
	x.close("tagSet")
	if more {
		x.elem("nextToken", pageToken("tag", next))
	}
	return xmlResult(x), nil
}
