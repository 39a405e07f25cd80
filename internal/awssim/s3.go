package awssim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

// s3 sub-resources (query keys) of bucket GET requests and their operations.
func s3SubresourceOp(q map[string][]string) string {
	has := func(k string) bool { _, ok := q[k]; return ok }
	list := func(k, single, lst string) string {
		if has("id") {
			return single
		}
		return lst
	}
	switch {
	case has("location"):
		return "GetBucketLocation"
	case has("acl"):
		return "GetBucketAcl"
	case has("policy"):
		return "GetBucketPolicy"
	case has("lifecycle"):
		return "GetBucketLifecycleConfiguration"
	case has("logging"):
		return "GetBucketLogging"
	case has("tagging"):
		return "GetBucketTagging"
	case has("versioning"):
		return "GetBucketVersioning"
	case has("website"):
		return "GetBucketWebsite"
	case has("cors"):
		return "GetBucketCors"
	case has("notification"):
		return "GetBucketNotificationConfiguration"
	case has("accelerate"):
		return "GetBucketAccelerateConfiguration"
	case has("replication"):
		return "GetBucketReplication"
	case has("analytics"):
		return list("analytics", "GetBucketAnalyticsConfiguration", "ListBucketAnalyticsConfigurations")
	case has("metrics"):
		return list("metrics", "GetBucketMetricsConfiguration", "ListBucketMetricsConfigurations")
	case has("inventory"):
		return list("inventory", "GetBucketInventoryConfiguration", "ListBucketInventoryConfigurations")
	}
	return ""
}

// s3Operation names the S3 operation of a path-style request.
func s3Operation(method, path string, q map[string][]string) string {
	if xs := q["x-id"]; len(xs) > 0 && xs[0] != "" && xs[0] != "ListBuckets" {
		return xs[0]
	}
	bucket := s3BucketName(path)
	hasKey := strings.Count(strings.Trim(path, "/"), "/") > 0
	switch {
	case bucket == "" && method == http.MethodGet:
		return "ListBuckets"
	case bucket != "" && !hasKey && method == http.MethodHead:
		return "HeadBucket"
	case bucket != "" && !hasKey && method == http.MethodGet:
		if op := s3SubresourceOp(q); op != "" {
			return op
		}
		return "ListObjects"
	case hasKey && method == http.MethodGet:
		return "GetObject"
	case hasKey && method == http.MethodPut:
		return "PutObject"
	}
	return method + "Unknown"
}

func s3BucketName(path string) string {
	b, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return b
}

func bucketKind(i int) string {
	return [...]string{"public", "logs", "versioned", "authread", "private"}[i%5]
}

func (s *Server) bucketName(a *account, i int) string {
	return fmt.Sprintf("sim-%s-%s-%d", bucketKind(i), a.id, i)
}

// bucketIndex resolves a simulated bucket name: owning account and index.
func (s *Server) bucketIndex(name string) (*account, int, bool) {
	parts := strings.Split(name, "-")
	if len(parts) != 4 || parts[0] != "sim" {
		return nil, 0, false
	}
	a := s.byID[parts[2]]
	i, err := strconv.Atoi(parts[3])
	if a == nil || err != nil || s.bucketName(a, i) != name || !a.techs[techS3].exists(i) {
		return nil, 0, false
	}
	return a, i, true
}

func (s *Server) canonicalID(a *account) string {
	return idString(s.h(20, uint64(a.idx)), 64, hexDigits)
}

// locationConstraint is the GetBucketLocation value: empty for us-east-1,
// the legacy "EU" for every other eu-west-1 bucket.
func (s *Server) locationConstraint(i int) string {
	r := s.sgRegion(i)
	switch {
	case r == "us-east-1":
		return ""
	case r == "eu-west-1" && (i/len(s.opts.Regions))%2 == 0:
		return "EU"
	}
	return r
}

func (s *Server) bucketTags(i, gen int) []tag {
	var tags []tag
	if k := i % 5; k == 0 || k == 2 {
		tags = append(tags, tag{"env", "prod"}, tag{"owner", fmt.Sprintf("team-%d", i%4)})
	}
	if gen > 0 {
		tags = append(tags, tag{"sim:mutation", strconv.Itoa(gen)})
	}
	return tags
}

func bucketVersioning(i, gen int) string {
	base := map[int]string{2: "Enabled", 3: "Suspended"}[i%5]
	if gen%2 == 1 {
		if base == "Enabled" {
			return "Suspended"
		}
		return "Enabled"
	}
	return base
}

func (s *Server) bucketPolicy(a *account, i int) string {
	name := s.bucketName(a, i)
	switch i % 5 {
	case 0:
		return `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + name + `/*"}]}`
	case 2:
		return `{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::` + name + `","arn:aws:s3:::` + name + `/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	case 3:
		other := s.accounts[(a.idx+1)%len(s.accounts)].id
		return `{"Version":"2012-10-17","Statement":[{"Sid":"CrossAccountRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::` + name + `","arn:aws:s3:::` + name + `/*"]}]}`
	}
	return ""
}

func (s *Server) serveS3(req *request) *apiError {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if req.op == "ListBuckets" {
		return s.listBuckets(req)
	}
	name := s3BucketName(req.r.URL.Path)
	switch req.op {
	case "HeadBucket", "GetBucketLocation", "GetBucketAcl", "GetBucketPolicy", "GetBucketLifecycleConfiguration",
		"GetBucketLogging", "GetBucketTagging", "GetBucketVersioning", "GetBucketWebsite", "GetBucketCors",
		"GetBucketNotificationConfiguration", "GetBucketAccelerateConfiguration", "GetBucketReplication",
		"ListBucketAnalyticsConfigurations", "ListBucketMetricsConfigurations", "ListBucketInventoryConfigurations":
	default:
		return errf(http.StatusNotImplemented, "NotImplemented", "A header or query you provided implies functionality that is not implemented (%s).", req.op)
	}
	owner, i, ok := s.bucketIndex(name)
	if !ok {
		return errf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
	}
	if owner != req.acct {
		return errf(http.StatusForbidden, "AccessDenied", "Access Denied")
	}
	a := req.acct
	gen := a.techs[techS3].generation(i)
	x := newXWSize(2048)
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	switch req.op {
	case "HeadBucket":
		req.w.Header().Set("X-Amz-Bucket-Region", s.sgRegion(i))
		req.w.WriteHeader(http.StatusOK)
		return nil
	case "GetBucketLocation":
		if lc := s.locationConstraint(i); lc != "" {
			x.raw(`<LocationConstraint xmlns="` + s3NS + `">` + lc + `</LocationConstraint>`)
		} else {
			x.raw(`<LocationConstraint xmlns="` + s3NS + `"/>`)
		}
	case "GetBucketAcl":
		s.writeACL(x, a, i)
	case "GetBucketPolicy":
		doc := s.bucketPolicy(a, i)
		if doc == "" {
			return errf(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
		}
		h := req.w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Amz-Request-Id", req.reqID)
		req.w.WriteHeader(http.StatusOK)
		_, _ = req.w.Write([]byte(doc))
		return nil
	case "GetBucketLifecycleConfiguration":
		if i%5 != 4 {
			return errf(http.StatusNotFound, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")
		}
		x.raw(`<LifecycleConfiguration xmlns="` + s3NS + `"><Rule><ID>expire-tmp</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>`)
	case "GetBucketLogging":
		x.raw(`<BucketLoggingStatus xmlns="` + s3NS + `">`)
		if k := i % 5; k == 1 || k == 2 {
			x.open("LoggingEnabled")
			x.elem("TargetBucket", s.bucketName(a, i-(i%5)+1))
			x.elem("TargetPrefix", "access/"+s.bucketName(a, i)+"/")
			x.close("LoggingEnabled")
		}
		x.raw(`</BucketLoggingStatus>`)
	case "GetBucketTagging":
		tags := s.bucketTags(i, gen)
		if len(tags) == 0 {
			return errf(http.StatusNotFound, "NoSuchTagSet", "The TagSet does not exist")
		}
		x.raw(`<Tagging xmlns="` + s3NS + `"><TagSet>`)
		for _, t := range tags {
			x.open("Tag")
			x.elem("Key", t.key)
			x.elem("Value", t.value)
			x.close("Tag")
		}
		x.raw(`</TagSet></Tagging>`)
	case "GetBucketVersioning":
		x.raw(`<VersioningConfiguration xmlns="` + s3NS + `">`)
		x.elemOpt("Status", bucketVersioning(i, gen))
		x.raw(`</VersioningConfiguration>`)
	case "GetBucketWebsite":
		return errf(http.StatusNotFound, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration")
	case "GetBucketCors":
		return errf(http.StatusNotFound, "NoSuchCORSConfiguration", "The CORS configuration does not exist")
	case "GetBucketReplication":
		return errf(http.StatusNotFound, "ReplicationConfigurationNotFoundError", "The replication configuration was not found")
	case "GetBucketNotificationConfiguration":
		x.raw(`<NotificationConfiguration xmlns="` + s3NS + `"/>`)
	case "GetBucketAccelerateConfiguration":
		x.raw(`<AccelerateConfiguration xmlns="` + s3NS + `"/>`)
	case "ListBucketAnalyticsConfigurations":
		x.raw(`<ListBucketAnalyticsConfigurationResult xmlns="` + s3NS + `"><IsTruncated>false</IsTruncated></ListBucketAnalyticsConfigurationResult>`)
	case "ListBucketMetricsConfigurations":
		x.raw(`<ListMetricsConfigurationsResult xmlns="` + s3NS + `"><IsTruncated>false</IsTruncated></ListMetricsConfigurationsResult>`)
	case "ListBucketInventoryConfigurations":
		x.raw(`<ListInventoryConfigurationsResult xmlns="` + s3NS + `"><IsTruncated>false</IsTruncated></ListInventoryConfigurationsResult>`)
	}
	s.writeXML(req, x)
	return nil
}

const (
	allUsersURI    = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsersURI   = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	logDeliveryURI = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

func (s *Server) writeACL(x *xw, a *account, i int) {
	grant := func(typ, who, name, perm string) {
		x.raw(`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="` + typ + `">`)
		if typ == "Group" {
			x.elem("URI", who)
		} else {
			x.elem("ID", who)
			x.elemOpt("DisplayName", name)
		}
		x.raw(`</Grantee>`)
		x.elem("Permission", perm)
		x.raw(`</Grant>`)
	}
	x.raw(`<AccessControlPolicy xmlns="` + s3NS + `"><Owner>`)
	x.elem("ID", s.canonicalID(a))
	x.elem("DisplayName", "sim-"+a.id)
	x.raw(`</Owner><AccessControlList>`)
	grant("CanonicalUser", s.canonicalID(a), "sim-"+a.id, "FULL_CONTROL")
	switch i % 5 {
	case 0:
		grant("Group", allUsersURI, "", "READ")
	case 1:
		grant("Group", logDeliveryURI, "", "WRITE")
		grant("Group", logDeliveryURI, "", "READ_ACP")
	case 3:
		grant("Group", authUsersURI, "", "READ")
		other := s.accounts[(a.idx+1)%len(s.accounts)]
		grant("CanonicalUser", s.canonicalID(other), "", "READ")
	}
	x.raw(`</AccessControlList></AccessControlPolicy>`)
}

func (s *Server) listBuckets(req *request) *apiError {
	a := req.acct
	max := 10000
	if v := req.form.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return errf(http.StatusBadRequest, "InvalidArgument", "max-buckets %q: want 1..10000", v)
		}
		max = n
	}
	start := 0
	if tok := req.form.Get("continuation-token"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		n, ok := strings.CutPrefix(string(raw), "b.")
		i, aerr := strconv.Atoi(n)
		if err != nil || !ok || aerr != nil || i < 0 {
			return errf(http.StatusBadRequest, "InvalidArgument", "The continuation token provided is incorrect")
		}
		start = i
	}
	prefix := req.form.Get("prefix")
	ts := &a.techs[techS3]
	x := newXWSize(256 + 160*min(max, ts.n))
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ListAllMyBucketsResult xmlns="` + s3NS + `"><Owner>`)
	x.elem("ID", s.canonicalID(a))
	x.elem("DisplayName", "sim-"+a.id)
	x.raw(`</Owner><Buckets>`)
	count, i := 0, start
	more := false
	for ; i < ts.n; i++ {
		if !ts.exists(i) {
			continue
		}
		name := s.bucketName(a, i)
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		if count == max {
			more = true
			break
		}
		x.open("Bucket")
		x.elem("Name", name)
		x.elemTime("CreationDate", s.created(techS3, i))
		x.elem("BucketRegion", s.sgRegion(i))
		x.close("Bucket")
		count++
	}
	x.raw(`</Buckets>`)
	if more {
		x.elem("ContinuationToken", base64.RawURLEncoding.EncodeToString([]byte("b."+strconv.Itoa(i))))
	}
	x.elemOpt("Prefix", prefix)
	x.raw(`</ListAllMyBucketsResult>`)
	s.writeXML(req, x)
	return nil
}
