package awssim

import (
	"net/http"
	"strconv"
	"strings"
)

const route53NS = "https://route53.amazonaws.com/doc/2013-04-01/"

// Route 53: ListHostedZones, ListResourceRecordSets, and the technology
// route53 (one item per record set). REST-XML, global.
//
// Record set i lives in hosted zone z = i / 10, zone-<z>.sim.example.com.
// (private when z%3 == 1; without Config when z%4 == 3, which the stored
// shape renders "Unknown"); a zone is listed while one of its record sets
// exists. Record set i is r<i>.zone-<z>.sim.example.com. (names are unique
// in an account: no apex NS/SOA). Variants (i%6 for the first 50 indices
// and every 20th after them, 0 otherwise): 0 A with a public address; 1 A
// with a private (RFC 1918) address; 2 CNAME to an internal- load balancer
// name; 3 an alias A record (no records, no TTL); 4 TXT; 5 MX. Mutations
// set the TTL to 300 + 60 × generation (an alias becomes a plain A record).

const (
	techRoute53    = "route53"
	route53PerZone = 10
)

func route53Service() *service {
	return &service{
		name:     "route53",
		protocol: restXML{xmlns: route53NS},
		ops: map[string]operation{
			"ListHostedZones":        {http: "GET /2013-04-01/hostedzone", handle: (*Server).r53ListHostedZones},
			"ListResourceRecordSets": {http: "GET /2013-04-01/hostedzone/{Id}/rrset", handle: (*Server).r53ListResourceRecordSets},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "User is not authorized to perform: route53:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "Operation {op} is not supported by the simulator"},
		resources: []resource{{
			tech:        techRoute53,
			createdHour: 113,
			arn: func(s *Server, a *account, i int) string {
				return "arn:aws:route53:::hostedzone/" + s.r53ZoneID(a, i/route53PerZone) + "/recordset/" + r53RecordName(i) + "/" + r53Type(i)
			},
			mutates: "the TTL becomes 300 + 60 × generation (an alias record becomes a plain A record)",
		}},
	}
}

func r53ZoneName(z int) string { return "zone-" + strconv.Itoa(z) + ".sim.example.com." }

func r53RecordName(i int) string { return "r" + strconv.Itoa(i) + "." + r53ZoneName(i/route53PerZone) }

// r53ZoneID is the id of zone z (without the /hostedzone/ prefix).
func (s *Server) r53ZoneID(a *account, z int) string {
	return "Z" + strings.ToUpper(s.indexedID("", "route53/zone", a, z))
}

func (s *Server) r53ZoneIndex(a *account, id string) int {
	id = strings.TrimPrefix(id, "/hostedzone/")
	rest, ok := strings.CutPrefix(id, "Z")
	if !ok {
		return -1
	}
	z := s.indexOfID("", "route53/zone", a, strings.ToLower(rest))
	if z < 0 || s.r53ZoneID(a, z) != id {
		return -1
	}
	return z
}

func r53Variant(i int) int {
	if bulkBenign(i) {
		return 0
	}
	return i % 6
}

// r53Type is the record type of record set i.
func r53Type(i int) string {
	switch r53Variant(i) {
	case 2:
		return "CNAME"
	case 4:
		return "TXT"
	case 5:
		return "MX"
	}
	return "A"
}

// r53ZoneLive reports whether zone z has a live record set.
func r53ZoneLive(ts *techState, z int) bool {
	for i := z * route53PerZone; i < (z+1)*route53PerZone && i < ts.n; i++ {
		if ts.exists(i) {
			return true
		}
	}
	return false
}

func (s *Server) r53ZoneXML(x *xw, a *account, z int) {
	ts := a.tech(techRoute53)
	count := 0
	for i := z * route53PerZone; i < (z+1)*route53PerZone && i < ts.n; i++ {
		if ts.exists(i) {
			count++
		}
	}
	x.open("HostedZone")
	x.elem("Id", "/hostedzone/"+s.r53ZoneID(a, z))
	x.elem("Name", r53ZoneName(z))
	x.elem("CallerReference", "sim-"+strconv.Itoa(z))
	if z%4 != 3 {
		x.open("Config")
		x.elem("Comment", "simulated zone "+strconv.Itoa(z))
		x.elemBool("PrivateZone", z%3 == 1)
		x.close("Config")
	}
	x.elemInt("ResourceRecordSetCount", count)
	x.close("HostedZone")
}

func (s *Server) r53ListHostedZones(req *request) (result, *apiError) {
	a := req.acct
	v := req.form.Get("maxitems")
	size, ok := pageSize(v, 100, 100)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidInput", "1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint", v)
	}
	marker := req.form.Get("marker")
	start := 0
	if marker != "" {
		if start = s.r53ZoneIndex(a, marker); start < 0 {
			return result{}, errf(http.StatusBadRequest, "InvalidInput", "Invalid marker %s", marker)
		}
	}
	ts := a.tech(techRoute53)
	zones := (ts.n + route53PerZone - 1) / route53PerZone
	x := newXWSize(256 + 300*size)
	x.raw(`<ListHostedZonesResponse xmlns="` + route53NS + `"><HostedZones>`)
	count, z := 0, start
	for ; z < zones && count < size; z++ {
		if r53ZoneLive(ts, z) {
			s.r53ZoneXML(x, a, z)
			count++
		}
	}
	x.raw(`</HostedZones>`)
	for ; z < zones && !r53ZoneLive(ts, z); z++ {
	}
	x.elemBool("IsTruncated", z < zones)
	x.elemOpt("Marker", marker)
	if z < zones {
		x.elem("NextMarker", s.r53ZoneID(a, z))
	}
	x.elemInt("MaxItems", size)
	x.raw(`</ListHostedZonesResponse>`)
	return xmlResult(x), nil
}

func (s *Server) r53RecordXML(x *xw, a *account, i int) {
	gen := a.tech(techRoute53).generation(i)
	v := r53Variant(i)
	z := i / route53PerZone
	x.open("ResourceRecordSet")
	x.elem("Name", r53RecordName(i))
	x.elem("Type", r53Type(i))
	if v == 3 && gen == 0 {
		x.open("AliasTarget")
		x.elem("HostedZoneId", "Z35SXDOTRQ7X7K")
		x.elem("DNSName", "sim-lb-"+strconv.Itoa(i)+"-1234567890.us-east-1.elb.amazonaws.com.")
		x.elemBool("EvaluateTargetHealth", false)
		x.close("AliasTarget")
		x.close("ResourceRecordSet")
		return
	}
	ttl := 300
	if gen > 0 {
		ttl = 300 + 60*gen
	}
	x.elemInt("TTL", ttl)
	var values []string
	switch v {
	case 1:
		values = []string{"10." + strconv.Itoa(z%256) + ".0." + strconv.Itoa(i%250+1)}
	case 2:
		values = []string{"internal-sim-lb-" + strconv.Itoa(i) + "-1234567890.us-east-1.elb.amazonaws.com"}
	case 4:
		values = []string{`"v=spf1 include:amazonses.com ~all"`}
	case 5:
		values = []string{"10 mail." + r53ZoneName(z)}
	default:
		values = []string{"52." + strconv.Itoa(z%256) + "." + strconv.Itoa(i/256%256) + "." + strconv.Itoa(i%256)}
	}
	x.open("ResourceRecords")
	for _, val := range values {
		x.open("ResourceRecord")
		x.elem("Value", val)
		x.close("ResourceRecord")
	}
	x.close("ResourceRecords")
	x.close("ResourceRecordSet")
}

// r53RecordIndex is the index of the record set named name in zone z (-1
// when none).
func r53RecordIndex(z int, name string) int {
	num, ok := strings.CutPrefix(name, "r")
	num, _, ok2 := strings.Cut(num, ".")
	i, err := strconv.Atoi(num)
	if !ok || !ok2 || err != nil || i < 0 || i/route53PerZone != z || r53RecordName(i) != name {
		return -1
	}
	return i
}

func (s *Server) r53ListResourceRecordSets(req *request) (result, *apiError) {
	a := req.acct
	id := req.label("Id")
	z := s.r53ZoneIndex(a, id)
	ts := a.tech(techRoute53)
	if z < 0 || !r53ZoneLive(ts, z) {
		return result{}, errf(http.StatusNotFound, "NoSuchHostedZone", "No hosted zone found with ID: %s", id)
	}
	v := req.form.Get("maxitems")
	size, ok := pageSize(v, 300, 300)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidInput", "1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint", v)
	}
	start := z * route53PerZone
	if name := req.form.Get("name"); name != "" {
		if !strings.HasSuffix(name, ".") {
			name += "."
		}
		if start = r53RecordIndex(z, name); start < 0 {
			return result{}, errf(http.StatusBadRequest, "InvalidInput", "Invalid name %s", name)
		}
	}
	end := min((z+1)*route53PerZone, ts.n)
	x := newXWSize(256 + 300*min(size, route53PerZone))
	x.raw(`<ListResourceRecordSetsResponse xmlns="` + route53NS + `"><ResourceRecordSets>`)
	count, i := 0, start
	for ; i < end && count < size; i++ {
		if ts.exists(i) {
			s.r53RecordXML(x, a, i)
			count++
		}
	}
	x.raw(`</ResourceRecordSets>`)
	for ; i < end && !ts.exists(i); i++ {
	}
	x.elemBool("IsTruncated", i < end)
	if i < end {
		x.elem("NextRecordName", r53RecordName(i))
		x.elem("NextRecordType", r53Type(i))
	}
	x.elemInt("MaxItems", size)
	x.raw(`</ListResourceRecordSetsResponse>`)
	return xmlResult(x), nil
}
