package awssim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

// S3: ListBuckets and the bucket configuration calls of the technology s3.
// REST-XML, path-style only (/bucket?acl). A bucket of another simulated
// account answers AccessDenied; bucket regions are not enforced.

const techS3 = "s3"

func s3Service() *service {
	bucket := func(h func(s *Server, req *request, a *account, i, gen int) (result, *apiError)) func(*Server, *request) (result, *apiError) {
		return func(s *Server, req *request) (result, *apiError) {
			a, i, aerr := s.requestBucket(req)
			if aerr != nil {
				return result{}, aerr
			}
			return h(s, req, a, i, a.tech(techS3).generation(i))
		}
	}
	return &service{
		name:     "s3",
		protocol: restXML{noErrorWrapping: true},
		ops: map[string]operation{
			"ListBuckets":                        {http: "GET /", handle: (*Server).listBuckets},
			"HeadBucket":                         {http: "HEAD /{Bucket}", handle: bucket((*Server).headBucket)},
			"GetBucketLocation":                  {http: "GET /{Bucket}?location", handle: bucket((*Server).getBucketLocation)},
			"GetBucketAcl":                       {http: "GET /{Bucket}?acl", handle: bucket((*Server).getBucketACL)},
			"GetBucketPolicy":                    {http: "GET /{Bucket}?policy", handle: bucket((*Server).getBucketPolicy)},
			"GetBucketLifecycleConfiguration":    {http: "GET /{Bucket}?lifecycle", handle: bucket((*Server).getBucketLifecycle)},
			"GetBucketLogging":                   {http: "GET /{Bucket}?logging", handle: bucket((*Server).getBucketLogging)},
			"GetBucketTagging":                   {http: "GET /{Bucket}?tagging", handle: bucket((*Server).getBucketTagging)},
			"GetBucketVersioning":                {http: "GET /{Bucket}?versioning", handle: bucket((*Server).getBucketVersioning)},
			"GetBucketWebsite":                   {http: "GET /{Bucket}?website", handle: bucket(s3NotFound("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"))},
			"GetBucketCors":                      {http: "GET /{Bucket}?cors", handle: bucket(s3NotFound("NoSuchCORSConfiguration", "The CORS configuration does not exist"))},
			"GetBucketReplication":               {http: "GET /{Bucket}?replication", handle: bucket(s3NotFound("ReplicationConfigurationNotFoundError", "The replication configuration was not found"))},
			"GetBucketNotificationConfiguration": {http: "GET /{Bucket}?notification", handle: bucket(s3Document(`<NotificationConfiguration xmlns="` + s3NS + `"/>`))},
			"GetBucketAccelerateConfiguration":   {http: "GET /{Bucket}?accelerate", handle: bucket(s3Document(`<AccelerateConfiguration xmlns="` + s3NS + `"/>`))},
			"ListBucketAnalyticsConfigurations": {http: "GET /{Bucket}?analytics", handle: bucket(s3Document(
				`<ListBucketAnalyticsConfigurationResult xmlns="` + s3NS + `"><IsTruncated>false</IsTruncated></ListBucketAnalyticsConfigurationResult>`))},
			"ListBucketMetricsConfigurations": {http: "GET /{Bucket}?metrics", handle: bucket(s3Document(
				`<ListMetricsConfigurationsResult xmlns="` + s3NS + `"><IsTruncated>false</IsTruncated></ListMetricsConfigurationsResult>`))},
			"ListBucketInventoryConfigurations": {http: "GET /{Bucket}?inventory", handle: bucket(s3Document(
				`<ListInventoryConfigurationsResult xmlns="` + s3NS + `"><IsTruncated>false</IsTruncated></ListInventoryConfigurationsResult>`))},
		},
		throttle: errorShape{http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate."},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "Access Denied"},
		unknown:  errorShape{http.StatusNotImplemented, "NotImplemented", "A header or query you provided implies functionality that is not implemented ({op})."},
		resources: []resource{{
			tech:        techS3,
			createdHour: 29,
			arn:         func(s *Server, a *account, i int) string { return "arn:aws:s3:::" + s.bucketName(a, i) },
			mutates:     `tag "sim:mutation" = <generation>, versioning toggled`,
		}},
	}
}

// requestBucket resolves the bucket of a request: NoSuchBucket, or
// AccessDenied for a bucket of another account.
func (s *Server) requestBucket(req *request) (*account, int, *apiError) {
	owner, i, ok := s.bucketIndex(req.label("Bucket"))
	if !ok {
		return nil, 0, errf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
	}
	if owner != req.acct {
		return nil, 0, errf(http.StatusForbidden, "AccessDenied", "Access Denied")
	}
	return owner, i, nil
}

// s3NotFound answers a configuration every simulated bucket lacks.
func s3NotFound(code, message string) func(*Server, *request, *account, int, int) (result, *apiError) {
	return func(*Server, *request, *account, int, int) (result, *apiError) {
		return result{}, errf(http.StatusNotFound, code, "%s", message)
	}
}

// s3Document answers the same document for every simulated bucket.
func s3Document(doc string) func(*Server, *request, *account, int, int) (result, *apiError) {
	return func(*Server, *request, *account, int, int) (result, *apiError) {
		x := newXWSize(len(doc))
		x.raw(doc)
		return xmlResult(x), nil
	}
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
	if a == nil || err != nil || s.bucketName(a, i) != name || !a.tech(techS3).exists(i) {
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
	r := s.itemRegion(i)
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
		other := s.nextAccount(a).id
		return `{"Version":"2012-10-17","Statement":[{"Sid":"CrossAccountRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::` + name + `","arn:aws:s3:::` + name + `/*"]}]}`
	}
	return ""
}

func (s *Server) headBucket(_ *request, _ *account, i, _ int) (result, *apiError) {
	return result{header: map[string]string{"X-Amz-Bucket-Region": s.itemRegion(i)}}, nil
}

func (s *Server) getBucketLocation(_ *request, _ *account, i, _ int) (result, *apiError) {
	x := newXWSize(128)
	if lc := s.locationConstraint(i); lc != "" {
		x.raw(`<LocationConstraint xmlns="` + s3NS + `">` + lc + `</LocationConstraint>`)
	} else {
		x.raw(`<LocationConstraint xmlns="` + s3NS + `"/>`)
	}
	return xmlResult(x), nil
}

func (s *Server) getBucketPolicy(_ *request, a *account, i, _ int) (result, *apiError) {
	doc := s.bucketPolicy(a, i)
	if doc == "" {
		return result{}, errf(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	return result{raw: []byte(doc), rawType: "application/json"}, nil
}

func (s *Server) getBucketLifecycle(_ *request, _ *account, i, _ int) (result, *apiError) {
	if i%5 != 4 {
		return result{}, errf(http.StatusNotFound, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")
	}
	x := newXWSize(256)
	x.raw(`<LifecycleConfiguration xmlns="` + s3NS + `"><Rule><ID>expire-tmp</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>`)
	return xmlResult(x), nil
}

func (s *Server) getBucketLogging(_ *request, a *account, i, _ int) (result, *apiError) {
	x := newXWSize(512)
	x.raw(`<BucketLoggingStatus xmlns="` + s3NS + `">`)
	if k := i % 5; k == 1 || k == 2 {
		x.open("LoggingEnabled")
		x.elem("TargetBucket", s.bucketName(a, i-(i%5)+1))
		x.elem("TargetPrefix", "access/"+s.bucketName(a, i)+"/")
		x.close("LoggingEnabled")
	}
	x.raw(`</BucketLoggingStatus>`)
	return xmlResult(x), nil
}

func (s *Server) getBucketTagging(_ *request, _ *account, i, gen int) (result, *apiError) {
	tags := s.bucketTags(i, gen)
	if len(tags) == 0 {
		return result{}, errf(http.StatusNotFound, "NoSuchTagSet", "The TagSet does not exist")
	}
	x := newXWSize(512)
	x.raw(`<Tagging xmlns="` + s3NS + `">`)
	writeTagList(x, "TagSet", "Tag", "Key", "Value", tags)
	x.raw(`</Tagging>`)
	return xmlResult(x), nil
}

func (s *Server) getBucketVersioning(_ *request, _ *account, i, gen int) (result, *apiError) {
	x := newXWSize(128)
	x.raw(`<VersioningConfiguration xmlns="` + s3NS + `">`)
	x.elemOpt("Status", bucketVersioning(i, gen))
	x.raw(`</VersioningConfiguration>`)
	return xmlResult(x), nil
}

const (
	allUsersURI    = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsersURI   = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	logDeliveryURI = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

func (s *Server) getBucketACL(_ *request, a *account, i, _ int) (result, *apiError) {
	x := newXWSize(2048)
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
		grant("CanonicalUser", s.canonicalID(s.nextAccount(a)), "", "READ")
	}
	x.raw(`</AccessControlList></AccessControlPolicy>`)
	return xmlResult(x), nil
}

func (s *Server) listBuckets(req *request) (result, *apiError) {
	a := req.acct
	v := req.form.Get("max-buckets")
	max, ok := pageSize(v, 10000, 10000)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidArgument", "max-buckets %q: want 1..10000", v)
	}
	start, ok := pageStart(req.form.Get("continuation-token"), "b")
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidArgument", "The continuation token provided is incorrect")
	}
	prefix := req.form.Get("prefix")
	ts := a.tech(techS3)
	x := newXWSize(256 + 160*min(max, ts.n))
	x.raw(`<ListAllMyBucketsResult xmlns="` + s3NS + `"><Owner>`)
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
		x.elem("BucketRegion", s.itemRegion(i))
		x.close("Bucket")
		count++
	}
	x.raw(`</Buckets>`)
	if more {
		x.elem("ContinuationToken", pageToken("b", i))
	}
	x.elemOpt("Prefix", prefix)
	x.raw(`</ListAllMyBucketsResult>`)
	return xmlResult(x), nil
}
