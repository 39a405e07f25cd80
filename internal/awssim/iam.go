package awssim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"

// IAM: the technologies iamrole, iamuser, iamgroup and policy (customer
// managed policies; three AWS managed policies are always present), served
// by GetAccountAuthorizationDetails and the per-user calls. awsQuery. The
// seeded catalogue is in iam_data.go.

const (
	techRole   = "iamrole"
	techUser   = "iamuser"
	techGroup  = "iamgroup"
	techPolicy = "policy"
)

func iamService() *service {
	return &service{
		name:     "iam",
		protocol: awsQuery{xmlns: iamNS},
		ops: map[string]operation{
			"GetAccountAuthorizationDetails": {handle: (*Server).gaad},
			"ListUsers":                      {handle: (*Server).listUsers},
			"GetGroup":                       {handle: (*Server).getGroup},
			"ListAccessKeys":                 {handle: (*Server).listAccessKeys},
			"GetAccessKeyLastUsed":           {handle: (*Server).getAccessKeyLastUsed},
			"ListMFADevices":                 {handle: (*Server).listMFADevices},
			"GetLoginProfile":                {handle: (*Server).getLoginProfile},
			"ListSigningCertificates":        {handle: (*Server).listSigningCertificates},
			"ListEntitiesForPolicy":          {handle: (*Server).listEntitiesForPolicy},
			"GenerateCredentialReport":       {handle: (*Server).generateCredentialReport, writes: true},
			"GetCredentialReport":            {handle: (*Server).getCredentialReport},

			// iamssl (iam_ssl.go), samlprovider (iam_saml.go).
			"ListServerCertificates": {handle: (*Server).listServerCertificates},
			"GetServerCertificate":   {handle: (*Server).getServerCertificate},
			"ListSAMLProviders":      {handle: (*Server).listSAMLProviders},
			"GetSAMLProvider":        {handle: (*Server).getSAMLProvider},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "User is not authorized to perform: iam:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "Could not find operation {op} for version 2010-05-08"},
		resources: []resource{
			{tech: techRole, createdHour: 1, arn: (*Server).roleARN,
				mutates: `tag "sim:mutation" = <generation>`},
			{tech: techUser, createdHour: 8, arn: (*Server).userARN,
				mutates: `inline policy "sim-mutations" with one more statement`},
			{tech: techGroup, createdHour: 15, arn: (*Server).groupARN,
				mutates: `inline policy "sim-mutations" with one more statement`},
			{tech: techPolicy, createdHour: 22, arn: (*Server).policyARN,
				mutates: "a new default policy version"},
			iamSSLResource(), samlResource(),
		},
		newState:        func(*Server) any { d := buildStaticDocs(); return &d },
		newAccountState: (*Server).newIAMAccount,
	}
}

// iamAccount is IAM's state in one account.
type iamAccount struct {
	trust [5]string // escaped trust policies of the five role kinds
	// credReport is when GenerateCredentialReport was last called (zero: never).
	credReport time.Time
	ssl        *sslCerts // server certificates built so far (iam_ssl.go)
}

func (s *Server) newIAMAccount(a *account) any {
	st := &iamAccount{ssl: &sslCerts{}}
	for k := range st.trust {
		st.trust[k] = s.buildTrustDoc(a, k)
	}
	return st
}

func iamOf(a *account) *iamAccount { return a.ext["iam"].(*iamAccount) }

// iamDocs are the pre-escaped documents shared by every account.
func (s *Server) iamDocs() *staticDocs { return s.ext["iam"].(*staticDocs) }

// iamPageSize reads MaxItems (default 100, 1..1000).
func iamPageSize(req *request) (int, *apiError) {
	v := req.form.Get("MaxItems")
	n, ok := pageSize(v, 100, 1000)
	if !ok {
		return 0, errf(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value '%s' at 'MaxItems' failed to satisfy constraint: Member must have value between 1 and 1000", v)
	}
	return n, nil
}

// gaadCat are the GetAccountAuthorizationDetails entity filters, in the
// order pages list them.
const (
	catUser = iota
	catGroup
	catRole
	catLocalPolicy
	catAWSPolicy
	numCats
)

func catName(c int) string {
	return [...]string{"User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy"}[c]
}

// catTech is the technology listed by category c ("" for AWS managed policies).
func catTech(c int) string {
	return [...]string{techUser, techGroup, techRole, techPolicy, ""}[c]
}

// Markers are page tokens of kind "<category>" (GetAccountAuthorizationDetails,
// ListUsers: category 0).
func encodeMarker(c, i int) string { return pageToken(strconv.Itoa(c), i) }

func decodeMarker(m string) (c, i int, ok bool) {
	kind, i, ok := parsePageToken(m)
	c, err := strconv.Atoi(kind)
	return c, i, ok && err == nil && c >= 0 && c < numCats
}

func (s *Server) catLen(a *account, c int) int {
	if t := catTech(c); t != "" {
		return a.tech(t).n
	}
	return len(awsManagedPolicies())
}

func (s *Server) catExists(a *account, c, i int) bool {
	if t := catTech(c); t != "" {
		return a.tech(t).exists(i)
	}
	return i >= 0 && i < len(awsManagedPolicies())
}

func (s *Server) gaad(req *request) (result, *apiError) {
	a := req.acct
	max, aerr := iamPageSize(req)
	if aerr != nil {
		return result{}, aerr
	}
	var want [numCats]bool
	any := false
	for k := 1; ; k++ {
		v := req.form.Get("Filter.member." + strconv.Itoa(k))
		if v == "" {
			break
		}
		found := false
		for c := range numCats {
			if catName(c) == v {
				want[c], found, any = true, true, true
			}
		}
		if !found {
			return result{}, errf(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value '%s' at 'filter' failed to satisfy constraint", v)
		}
	}
	if !any {
		want = [numCats]bool{true, true, true, true, true}
	}
	c, i := 0, 0
	if m := req.form.Get("Marker"); m != "" {
		var ok bool
		if c, i, ok = decodeMarker(m); !ok {
			return result{}, errf(http.StatusBadRequest, "ValidationError", "Invalid Marker")
		}
	}
	// next returns the first existing wanted position at or after (c, i).
	next := func(c, i int) (int, int, bool) {
		for ; c < numCats; c, i = c+1, 0 {
			if !want[c] {
				continue
			}
			for n := s.catLen(a, c); i < n; i++ {
				if s.catExists(a, c, i) {
					return c, i, true
				}
			}
		}
		return 0, 0, false
	}
	var lists [numCats]*xw
	var at *attachments
	count := 0
	truncated := false
	for {
		var ok bool
		c, i, ok = next(c, i)
		if !ok {
			break
		}
		if count == max {
			truncated = true
			break
		}
		if lists[c] == nil {
			lists[c] = newXWSize(max * 1024)
		}
		x := lists[c]
		switch c {
		case catUser:
			s.writeUserDetail(x, a, i)
		case catGroup:
			s.writeGroupDetail(x, a, i)
		case catRole:
			s.writeRoleDetail(x, a, i)
		default:
			if at == nil {
				v := s.countAttachments(a)
				at = &v
			}
			if c == catLocalPolicy {
				s.writeLocalPolicy(x, a, i, at.customer[i])
			} else {
				writeAWSPolicy(x, awsManagedPolicies()[i], at.aws[i])
			}
		}
		count++
		i++
	}
	size := 256
	for _, l := range lists {
		if l != nil {
			size += l.len()
		}
	}
	out := newXWSize(size)
	out.elemBool("IsTruncated", truncated)
	if truncated {
		out.elem("Marker", encodeMarker(c, i))
	}
	names := [...]string{"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"}
	for k, name := range names {
		out.open(name)
		if l := lists[k]; l != nil {
			out.buf.Write(l.bytes())
		}
		if k == 3 && lists[catAWSPolicy] != nil {
			out.buf.Write(lists[catAWSPolicy].bytes())
		}
		out.close(name)
	}
	return xmlResult(out), nil
}

func writeManaged(x *xw, refs []policyRef) {
	x.open("AttachedManagedPolicies")
	for _, r := range refs {
		x.open("member")
		x.elem("PolicyName", r.name)
		x.elem("PolicyArn", r.arn)
		x.close("member")
	}
	x.close("AttachedManagedPolicies")
}

func writeInline(x *xw, list string, docs []namedDoc) {
	x.open(list)
	for _, d := range docs {
		x.open("member")
		x.elem("PolicyName", d.name)
		x.elem("PolicyDocument", d.doc)
		x.close("member")
	}
	x.close(list)
}

func writeTags(x *xw, tags []tag) { writeTagList(x, "Tags", "member", "Key", "Value", tags) }

func (s *Server) writeUserDetail(x *xw, a *account, i int) {
	gen := a.tech(techUser).generation(i)
	x.open("member")
	x.elem("Path", "/")
	x.elem("UserName", s.userName(i))
	x.elem("UserId", s.userID(a, i))
	x.elem("Arn", s.userARN(a, i))
	x.elemTime("CreateDate", s.created(techUser, i))
	writeInline(x, "UserPolicyList", s.userInline(i, gen))
	x.open("GroupList")
	for _, g := range s.userGroups(a, i) {
		x.elem("member", s.groupName(g))
	}
	x.close("GroupList")
	writeManaged(x, s.managedRefs(a, s.userAttach(a.tech(techPolicy), i)))
	writeTags(x, userTags(i))
	x.close("member")
}

func (s *Server) writeGroupDetail(x *xw, a *account, i int) {
	gen := a.tech(techGroup).generation(i)
	x.open("member")
	x.elem("Path", "/")
	x.elem("GroupName", s.groupName(i))
	x.elem("GroupId", s.groupID(a, i))
	x.elem("Arn", s.groupARN(a, i))
	x.elemTime("CreateDate", s.created(techGroup, i))
	writeInline(x, "GroupPolicyList", s.groupInline(i, gen))
	writeManaged(x, s.managedRefs(a, s.groupAttach(a.tech(techPolicy), i)))
	x.close("member")
}

func (s *Server) writeRoleCore(x *xw, a *account, i int) {
	x.elem("Path", rolePath(i))
	x.elem("RoleName", s.roleName(i))
	x.elem("RoleId", s.roleID(a, i))
	x.elem("Arn", s.roleARN(a, i))
	x.elemTime("CreateDate", s.created(techRole, i))
	x.elem("AssumeRolePolicyDocument", s.trustDoc(a, i))
}

func (s *Server) writeRoleDetail(x *xw, a *account, i int) {
	gen := a.tech(techRole).generation(i)
	x.open("member")
	s.writeRoleCore(x, a, i)
	x.open("InstanceProfileList")
	if i%2 == 0 {
		name := s.roleName(i)
		x.open("member")
		x.elem("Path", "/")
		x.elem("InstanceProfileName", name)
		x.elem("InstanceProfileId", "AIPA"+idString(s.h(9, uint64(a.idx), uint64(i)), 17, b32Digits))
		x.elem("Arn", "arn:aws:iam::"+a.id+":instance-profile/"+name)
		x.elemTime("CreateDate", s.created(techRole, i).Add(time.Second))
		x.open("Roles")
		x.open("member")
		s.writeRoleCore(x, a, i)
		x.close("member")
		x.close("Roles")
		x.close("member")
	}
	x.close("InstanceProfileList")
	k := roleInlineKind(i)
	writeInline(x, "RolePolicyList", []namedDoc{{"role-" + policyKindName(k), s.iamDocs().inline[k]}})
	writeManaged(x, s.managedRefs(a, s.roleAttach(a.tech(techPolicy), i)))
	writeTags(x, s.roleTags(i, gen))
	x.raw("<RoleLastUsed/>")
	x.close("member")
}

func (s *Server) writeLocalPolicy(x *xw, a *account, i, attached int) {
	gen := a.tech(techPolicy).generation(i)
	versions := gen + 1
	created := s.created(techPolicy, i)
	x.open("member")
	x.elem("PolicyName", s.policyName(i))
	x.elem("PolicyId", s.policyID(a, i))
	x.elem("Arn", s.policyARN(a, i))
	x.elem("Path", "/")
	x.elem("DefaultVersionId", "v"+strconv.Itoa(versions))
	x.elemInt("AttachmentCount", attached)
	x.elemInt("PermissionsBoundaryUsageCount", 0)
	x.elemBool("IsAttachable", true)
	x.elem("Description", "simulated "+policyKindName(i%numPolKinds)+" policy")
	x.elemTime("CreateDate", created)
	x.elemTime("UpdateDate", created.Add(time.Duration(gen)*time.Hour))
	x.open("PolicyVersionList")
	for v := versions; v >= 1; v-- {
		x.open("member")
		x.elem("Document", s.policyVersionDoc(i, v))
		x.elem("VersionId", "v"+strconv.Itoa(v))
		x.elemBool("IsDefaultVersion", v == versions)
		x.elemTime("CreateDate", created.Add(time.Duration(v-1)*time.Hour))
		x.close("member")
	}
	x.close("PolicyVersionList")
	x.close("member")
}

func writeAWSPolicy(x *xw, p awsPolicy, attached int) {
	x.open("member")
	x.elem("PolicyName", p.name)
	x.elem("PolicyId", p.id)
	x.elem("Arn", awsPolicyARN(p.name))
	x.elem("Path", "/")
	x.elem("DefaultVersionId", "v1")
	x.elemInt("AttachmentCount", attached)
	x.elemInt("PermissionsBoundaryUsageCount", 0)
	x.elemBool("IsAttachable", true)
	x.elemTime("CreateDate", awsPolicyDate())
	x.elemTime("UpdateDate", awsPolicyDate())
	x.open("PolicyVersionList")
	x.open("member")
	x.elem("Document", iamEscape(p.doc))
	x.elem("VersionId", "v1")
	x.elemBool("IsDefaultVersion", true)
	x.elemTime("CreateDate", awsPolicyDate())
	x.close("member")
	x.close("PolicyVersionList")
	x.close("member")
}

// userIndex resolves a simulated user name in account a.
func (s *Server) userIndex(a *account, name string) (int, *apiError) {
	rest, ok := strings.CutPrefix(name, "sim-user-")
	i, err := strconv.Atoi(rest)
	if !ok || err != nil || s.userName(i) != name || !a.tech(techUser).exists(i) {
		return 0, errf(http.StatusNotFound, "NoSuchEntity", "The user with name %s cannot be found.", name)
	}
	return i, nil
}

func (s *Server) requiredUser(req *request) (int, *apiError) {
	name := req.form.Get("UserName")
	if name == "" {
		return 0, errf(http.StatusBadRequest, "ValidationError", "UserName is required")
	}
	return s.userIndex(req.acct, name)
}

func (s *Server) listUsers(req *request) (result, *apiError) {
	a := req.acct
	max, aerr := iamPageSize(req)
	if aerr != nil {
		return result{}, aerr
	}
	start := 0
	if m := req.form.Get("Marker"); m != "" {
		c, i, ok := decodeMarker(m)
		if !ok || c != catUser {
			return result{}, errf(http.StatusBadRequest, "ValidationError", "Invalid Marker")
		}
		start = i
	}
	ts := a.tech(techUser)
	x := newXWSize(max * 400)
	x.open("Users")
	count, i := 0, start
	for ; i < ts.n; i++ {
		if !ts.exists(i) {
			continue
		}
		if count == max {
			break
		}
		x.open("member")
		x.elem("Path", "/")
		x.elem("UserName", s.userName(i))
		x.elem("UserId", s.userID(a, i))
		x.elem("Arn", s.userARN(a, i))
		x.elemTime("CreateDate", s.created(techUser, i))
		if t := s.passwordLastUsed(i); !t.IsZero() {
			x.elemTime("PasswordLastUsed", t)
		}
		x.close("member")
		count++
	}
	x.close("Users")
	truncated := false
	for j := i; j < ts.n; j++ {
		if ts.exists(j) {
			truncated = true
			break
		}
	}
	x.elemBool("IsTruncated", truncated)
	if truncated {
		x.elem("Marker", encodeMarker(catUser, i))
	}
	return xmlResult(x), nil
}

func (s *Server) listAccessKeys(req *request) (result, *apiError) {
	i, aerr := s.requiredUser(req)
	if aerr != nil {
		return result{}, aerr
	}
	x := newXW()
	x.open("AccessKeyMetadata")
	for _, k := range s.userKeys(req.acct, i) {
		x.open("member")
		x.elem("UserName", s.userName(i))
		x.elem("AccessKeyId", k.id)
		x.elem("Status", keyStatus(k.active))
		x.elemTime("CreateDate", k.created)
		x.close("member")
	}
	x.close("AccessKeyMetadata")
	x.elemBool("IsTruncated", false)
	return xmlResult(x), nil
}

func keyStatus(active bool) string {
	if active {
		return "Active"
	}
	return "Inactive"
}

func (s *Server) getAccessKeyLastUsed(req *request) (result, *apiError) {
	id := req.form.Get("AccessKeyId")
	notFound := errf(http.StatusNotFound, "NoSuchEntity", "The Access Key with id %s cannot be found", id)
	u, slot, ok := parseAccessKeyID(id)
	if !ok || !req.acct.tech(techUser).exists(u) {
		return result{}, notFound
	}
	for _, k := range s.userKeys(req.acct, u) {
		if k.id != id || slot < 1 {
			continue
		}
		x := newXW()
		x.elem("UserName", s.userName(u))
		x.open("AccessKeyLastUsed")
		if k.lastUsed.IsZero() {
			x.elem("ServiceName", "N/A")
			x.elem("Region", "N/A")
		} else {
			x.elemTime("LastUsedDate", k.lastUsed)
			x.elem("ServiceName", k.service)
			x.elem("Region", k.region)
		}
		x.close("AccessKeyLastUsed")
		return xmlResult(x), nil
	}
	return result{}, notFound
}

func (s *Server) listMFADevices(req *request) (result, *apiError) {
	i, aerr := s.requiredUser(req)
	if aerr != nil {
		return result{}, aerr
	}
	x := newXW()
	x.open("MFADevices")
	if hasMFA(i) {
		x.open("member")
		x.elem("UserName", s.userName(i))
		x.elem("SerialNumber", s.mfaSerial(req.acct, i))
		x.elemTime("EnableDate", s.created(techUser, i).Add(24*time.Hour))
		x.close("member")
	}
	x.close("MFADevices")
	x.elemBool("IsTruncated", false)
	return xmlResult(x), nil
}

func (s *Server) getLoginProfile(req *request) (result, *apiError) {
	i, aerr := s.requiredUser(req)
	if aerr != nil {
		return result{}, aerr
	}
	if !hasLoginProfile(i) {
		return result{}, errf(http.StatusNotFound, "NoSuchEntity", "Login Profile for User %s cannot be found.", s.userName(i))
	}
	x := newXW()
	x.open("LoginProfile")
	x.elem("UserName", s.userName(i))
	x.elemTime("CreateDate", s.created(techUser, i).Add(time.Hour))
	x.elemBool("PasswordResetRequired", false)
	x.close("LoginProfile")
	return xmlResult(x), nil
}

const simCertBody = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUSIMULATEDSIMULATEDSIMULATEDSIMwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----"

func (s *Server) listSigningCertificates(req *request) (result, *apiError) {
	i, aerr := s.requiredUser(req)
	if aerr != nil {
		return result{}, aerr
	}
	x := newXW()
	x.open("Certificates")
	if hasSigningCert(i) {
		x.open("member")
		x.elem("UserName", s.userName(i))
		x.elem("CertificateId", s.certID(req.acct, i))
		x.elem("CertificateBody", simCertBody)
		x.elem("Status", "Active")
		x.elemTime("UploadDate", s.created(techUser, i).Add(2*time.Hour))
		x.close("member")
	}
	x.close("Certificates")
	x.elemBool("IsTruncated", false)
	return xmlResult(x), nil
}

func (s *Server) listEntitiesForPolicy(req *request) (result, *apiError) {
	a := req.acct
	arn := req.form.Get("PolicyArn")
	awsName, isAWS := strings.CutPrefix(arn, "arn:aws:iam::aws:policy/")
	cust, awsIdx := -1, -1
	if isAWS {
		for k, p := range awsManagedPolicies() {
			if p.name == awsName {
				awsIdx = k
			}
		}
	} else if j, ok := s.policyIndex(a, arn); ok {
		cust = j
	}
	if awsIdx < 0 && cust < 0 {
		return result{}, errf(http.StatusNotFound, "NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
	}
	filter := req.form.Get("EntityFilter")
	match := func(at attach) bool {
		return (awsIdx >= 0 && at.aws == awsIdx) || (cust >= 0 && at.cust == cust)
	}
	pol := a.tech(techPolicy)
	x := newXW()
	for _, e := range []struct {
		list, filter, nameKey, idKey string
		t                            string
		attach                       func(*techState, int) attach
		name                         func(int) string
		id                           func(*account, int) string
	}{
		{"PolicyGroups", "Group", "GroupName", "GroupId", techGroup, s.groupAttach, s.groupName, s.groupID},
		{"PolicyUsers", "User", "UserName", "UserId", techUser, s.userAttach, s.userName, s.userID},
		{"PolicyRoles", "Role", "RoleName", "RoleId", techRole, s.roleAttach, s.roleName, s.roleID},
	} {
		x.open(e.list)
		if filter == "" || filter == e.filter {
			ts := a.tech(e.t)
			for i := range ts.n {
				if ts.exists(i) && match(e.attach(pol, i)) {
					x.open("member")
					x.elem(e.nameKey, e.name(i))
					x.elem(e.idKey, e.id(a, i))
					x.close("member")
				}
			}
		}
		x.close(e.list)
	}
	x.elemBool("IsTruncated", false)
	return xmlResult(x), nil
}

func (s *Server) generateCredentialReport(req *request) (result, *apiError) {
	x := newXW()
	st := iamOf(req.acct)
	if st.credReport.IsZero() {
		x.elem("State", "STARTED")
		x.elem("Description", "No report exists. Starting a new report generation task")
	} else {
		x.elem("State", "COMPLETE")
	}
	st.credReport = s.opts.Now().UTC().Truncate(time.Second)
	return xmlResult(x), nil
}

func (s *Server) getCredentialReport(req *request) (result, *apiError) {
	a := req.acct
	generated := iamOf(a).credReport
	if generated.IsZero() {
		return result{}, errf(http.StatusGone, "ReportNotPresent", "Credential report is not present. Use GenerateCredentialReport to generate a report.")
	}
	csv := s.credentialReportCSV(a)
	enc := base64.StdEncoding
	x := newXWSize(enc.EncodedLen(len(csv)) + 256)
	x.open("Content")
	b := x.buf.AvailableBuffer()
	b = enc.AppendEncode(b, csv)
	x.buf.Write(b)
	x.close("Content")
	x.elem("ReportFormat", "text/csv")
	x.elemTime("GeneratedTime", generated)
	return xmlResult(x), nil
}

func isoOff(t time.Time) string {
	if t.IsZero() {
		return "N/A"
	}
	return t.UTC().Format("2006-01-02T15:04:05+00:00")
}

func (s *Server) credentialReportCSV(a *account) []byte {
	var b strings.Builder
	b.WriteString("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
		"access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
		"access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
		"cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n")
	fmt.Fprintf(&b, "<root_account>,arn:aws:iam::%s:root,%s,not_supported,%s,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n",
		a.id, isoOff(s.epoch), isoOff(s.anchor.Add(-48*time.Hour)))
	ts := a.tech(techUser)
	for i := range ts.n {
		if !ts.exists(i) {
			continue
		}
		created := s.created(techUser, i)
		pw, pwUsed, pwChanged := "false", "N/A", "N/A"
		if hasLoginProfile(i) {
			pw, pwUsed, pwChanged = "true", "no_information", isoOff(created.Add(time.Hour))
			if t := s.passwordLastUsed(i); !t.IsZero() {
				pwUsed = isoOff(t)
			}
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,N/A,%t", s.userName(i), s.userARN(a, i), isoOff(created), pw, pwUsed, pwChanged, hasMFA(i))
		keys := s.userKeys(a, i)
		for slot := range 2 {
			if slot < len(keys) {
				k := keys[slot]
				region, svc := "N/A", "N/A"
				if !k.lastUsed.IsZero() {
					region, svc = k.region, k.service
				}
				fmt.Fprintf(&b, ",%t,%s,%s,%s,%s", k.active, isoOff(k.created), isoOff(k.lastUsed), region, svc)
			} else {
				b.WriteString(",false,N/A,N/A,N/A,N/A")
			}
		}
		if hasSigningCert(i) {
			fmt.Fprintf(&b, ",true,%s,false,N/A\n", isoOff(created.Add(2*time.Hour)))
		} else {
			b.WriteString(",false,N/A,false,N/A\n")
		}
	}
	return []byte(b.String())
}

// groupMembers lists the users of group g in index order, enumerating only
// the candidate indices (users 2m with m ≡ g or m ≡ g-1 mod Items).
func (s *Server) groupMembers(a *account, g int) []int {
	items := s.opts.Items
	ts := a.tech(techUser)
	seen := map[int]bool{}
	var out []int
	for _, base := range []int{g % items, (g - 1 + items) % items} {
		for m := base; 2*m < ts.n; m += items {
			i := 2 * m
			if seen[i] || !ts.exists(i) {
				continue
			}
			for _, ug := range s.userGroups(a, i) {
				if ug == g {
					seen[i] = true
					out = append(out, i)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func (s *Server) getGroup(req *request) (result, *apiError) {
	a := req.acct
	name := req.form.Get("GroupName")
	rest, ok := strings.CutPrefix(name, "sim-group-")
	g, err := strconv.Atoi(rest)
	if !ok || err != nil || s.groupName(g) != name || !a.tech(techGroup).exists(g) {
		return result{}, errf(http.StatusNotFound, "NoSuchEntity", "The group with name %s cannot be found.", name)
	}
	x := newXW()
	x.open("Group")
	x.elem("Path", "/")
	x.elem("GroupName", name)
	x.elem("GroupId", s.groupID(a, g))
	x.elem("Arn", s.groupARN(a, g))
	x.elemTime("CreateDate", s.created(techGroup, g))
	x.close("Group")
	x.open("Users")
	for _, i := range s.groupMembers(a, g) {
		x.open("member")
		x.elem("Path", "/")
		x.elem("UserName", s.userName(i))
		x.elem("UserId", s.userID(a, i))
		x.elem("Arn", s.userARN(a, i))
		x.elemTime("CreateDate", s.created(techUser, i))
		x.close("member")
	}
	x.close("Users")
	x.elemBool("IsTruncated", false)
	return xmlResult(x), nil
}
