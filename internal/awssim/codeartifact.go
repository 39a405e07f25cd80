package awssim

import (
	"fmt"
	"net/http"
)

// CodeArtifact: ListRepositories, GetRepositoryPermissionsPolicy, and the
// technology codeartifactrepository. REST-JSON. Every account has one
// domain, "sim-domain", holding its repositories.

const techCodeArtifact = "codeartifactrepository"

const codeArtifactDomain = "sim-domain"

func codeArtifactService() *service {
	return &service{
		name:     "codeartifact",
		protocol: restJSON{},
		ops: map[string]operation{
			"ListRepositories":               {http: "POST /v1/repositories", handle: (*Server).caListRepositories},
			"GetRepositoryPermissionsPolicy": {http: "GET /v1/repository/permissions/policy", handle: (*Server).caGetRepositoryPermissionsPolicy},
		},
		throttle: errorShape{http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: codeartifact:{op}"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Unknown operation {op}"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techCodeArtifact,
			createdHour: 127,
			arn:         func(s *Server, a *account, i int) string { return s.caRepoARN(a, i) },
			mutates:     "one more statement in the repository permissions policy",
		}},
	}
}

func caRepoName(i int) string { return fmt.Sprintf("sim-pkgs-%d", i) }

func (s *Server) caRepoARN(a *account, i int) string {
	return "arn:aws:codeartifact:" + s.itemRegion(i) + ":" + a.id + ":repository/" + codeArtifactDomain + "/" + caRepoName(i)
}

func (s *Server) caListRepositories(req *request) (result, *apiError) {
	size, ok := pageSize(req.form.Get("max-results"), 100, 1000)
	start, okStart := pageStart(req.form.Get("next-token"), "carepo")
	if !ok || !okStart {
		return result{}, errf(http.StatusBadRequest, "ValidationException", "bad max-results or next-token")
	}
	a := req.acct
	repos, next := regionPage(s, req, techCodeArtifact, size, start, "carepo", func(i int) map[string]any {
		r := map[string]any{
			"name":                 caRepoName(i),
			"administratorAccount": a.id,
			"domainName":           codeArtifactDomain,
			"domainOwner":          a.id,
			"arn":                  s.caRepoARN(a, i),
			"createdTime":          epochSeconds(s.created(techCodeArtifact, i)),
		}
		if i%2 == 0 {
			r["description"] = "simulated package repository"
		}
		return r
	})
	out := map[string]any{"repositories": repos}
	if next != "" {
		out["nextToken"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) caGetRepositoryPermissionsPolicy(req *request) (result, *apiError) {
	a := req.acct
	name := req.form.Get("repository")
	i, ok := s.itemIndex(req, techCodeArtifact, name, caRepoName)
	if !ok || req.form.Get("domain") != codeArtifactDomain || (req.form.Get("domain-owner") != "" && req.form.Get("domain-owner") != a.id) {
		return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "Repository %s not found", name)
	}
	arn := s.caRepoARN(a, i)
	gen := a.tech(techCodeArtifact).generation(i)
	p := s.resourcePolicy(a, i, gen, arn, "codeartifact:ReadFromRepository", false)
	if p == "" {
		return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "No permissions policy for repository %s", name)
	}
	return jsonResult(map[string]any{"policy": map[string]string{"resourceArn": arn, "revision": fmt.Sprintf("rev-%d", gen), "document": p}}), nil
}
