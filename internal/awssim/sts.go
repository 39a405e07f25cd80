package awssim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// STS: AssumeRole into the simulated accounts, GetCallerIdentity. awsQuery.
// Never faulted: credentials keep working while the faults hit the services.

func stsService() *service {
	return &service{
		name:     "sts",
		protocol: awsQuery{xmlns: "https://sts.amazonaws.com/doc/2011-06-15/"},
		ops: map[string]operation{
			"AssumeRole":        {handle: (*Server).assumeRole},
			"GetCallerIdentity": {handle: (*Server).getCallerIdentity},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "User is not authorized to perform: sts:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "Could not find operation {op} for version 2011-06-15"},
		noFaults: true,
	}
}

func (s *Server) getCallerIdentity(req *request) (result, *apiError) {
	x := newXW()
	if sess := req.session; sess != nil {
		x.elem("Arn", "arn:aws:sts::"+req.acct.id+":assumed-role/"+sess.Role+"/"+sess.Name)
		x.elem("UserId", "AROA"+idString(s.h(7, uint64(req.acct.idx)), 17, b32Digits)+":"+sess.Name)
	} else {
		x.elem("Arn", "arn:aws:iam::"+req.acct.id+":user/sim-admin")
		x.elem("UserId", "AIDA"+idString(s.h(8, uint64(req.acct.idx)), 17, b32Digits))
	}
	x.elem("Account", req.acct.id)
	return xmlResult(x), nil
}

func (s *Server) assumeRole(req *request) (result, *apiError) {
	roleARN := req.form.Get("RoleArn")
	name := req.form.Get("RoleSessionName")
	if roleARN == "" || name == "" {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "RoleArn and RoleSessionName are required")
	}
	parts := strings.SplitN(roleARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "%s is not a valid role ARN", roleARN)
	}
	target := s.byID[parts[4]]
	if target == nil {
		return result{}, errf(http.StatusForbidden, "AccessDenied",
			"User: arn:aws:iam::%s:user/sim-admin is not authorized to perform: sts:AssumeRole on resource: %s", req.acct.id, roleARN)
	}
	roleName := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	dur := 3600
	if v := req.form.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 900 || n > 43200 {
			return result{}, errf(http.StatusBadRequest, "ValidationError", "DurationSeconds %q: want 900..43200", v)
		}
		dur = n
	}
	s.faultMu.Lock()
	suffix := idString(s.rng.Uint64(), 4, b32Digits)
	secret := idString(s.rng.Uint64(), 40, b32Digits)
	s.faultMu.Unlock()
	x := newXW()
	x.open("Credentials")
	x.elem("AccessKeyId", "ASIA"+target.id+suffix)
	x.elem("SecretAccessKey", secret)
	x.elem("SessionToken", encodeSessionToken(roleName, name))
	x.elemTime("Expiration", s.opts.Now().Add(time.Duration(dur)*time.Second))
	x.close("Credentials")
	x.open("AssumedRoleUser")
	x.elem("AssumedRoleId", "AROA"+idString(s.h(7, uint64(target.idx)), 17, b32Digits)+":"+name)
	x.elem("Arn", "arn:aws:sts::"+target.id+":assumed-role/"+roleName+"/"+name)
	x.close("AssumedRoleUser")
	x.elemInt("PackedPolicySize", 0)
	return xmlResult(x), nil
}
