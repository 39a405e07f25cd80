package awssim

import (
	"fmt"
	"net/http"
)

// ECR: DescribeRepositories, GetRepositoryPolicy, and the technology
// ecrrepository. awsJson 1.1 (lower-camel members).

const techECR = "ecrrepository"

func ecrService() *service {
	return &service{
		name:     "ecr",
		protocol: awsJSON{version: "1.1", target: "AmazonEC2ContainerRegistry_V20150921"},
		ops: map[string]operation{
			"DescribeRepositories": {handle: (*Server).ecrDescribeRepositories},
			"GetRepositoryPolicy":  {handle: (*Server).ecrGetRepositoryPolicy},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: ecr:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: enabledRegion(
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techECR,
			createdHour: 85,
			arn:         func(s *Server, a *account, i int) string { return s.ecrARN(a, i) },
			mutates:     "one more statement in the repository policy, tag mutability toggled",
		}},
	}
}

func ecrName(i int) string { return fmt.Sprintf("sim-repo-%d", i) }

func (s *Server) ecrARN(a *account, i int) string {
	return "arn:aws:ecr:" + s.itemRegion(i) + ":" + a.id + ":repository/" + ecrName(i)
}

func (s *Server) ecrDescribeRepositories(req *request) (result, *apiError) {
	var in struct {
		MaxResults int    `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start, aerr := jsonPage(in.MaxResults, 100, 1000, in.NextToken, "ecr")
	if aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	repos, next := regionPage(s, req, techECR, size, start, "ecr", func(i int) map[string]any {
		mutability := [...]string{"MUTABLE", "IMMUTABLE"}[(i+a.tech(techECR).generation(i))%2]
		return map[string]any{
			"repositoryArn":              s.ecrARN(a, i),
			"registryId":                 a.id,
			"repositoryName":             ecrName(i),
			"repositoryUri":              a.id + ".dkr.ecr." + req.region + ".amazonaws.com/" + ecrName(i),
			"createdAt":                  epochSeconds(s.created(techECR, i)),
			"imageTagMutability":         mutability,
			"imageScanningConfiguration": map[string]bool{"scanOnPush": i%2 == 0},
			"encryptionConfiguration":    map[string]string{"encryptionType": "AES256"},
		}
	})
	out := map[string]any{"repositories": repos}
	if next != "" {
		out["nextToken"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) ecrGetRepositoryPolicy(req *request) (result, *apiError) {
	var in struct {
		RegistryID     string `json:"registryId"`
		RepositoryName string `json:"repositoryName"`
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	i, ok := s.itemIndex(req, techECR, in.RepositoryName, ecrName)
	if !ok || (in.RegistryID != "" && in.RegistryID != a.id) {
		return result{}, errf(http.StatusBadRequest, "RepositoryNotFoundException", "The repository with name '%s' does not exist in the registry", in.RepositoryName)
	}
	p := s.resourcePolicy(a, i, a.tech(techECR).generation(i), s.ecrARN(a, i), "ecr:BatchGetImage", false)
	if p == "" {
		return result{}, errf(http.StatusBadRequest, "RepositoryPolicyNotFoundException", "Repository policy does not exist for the repository with name '%s'", in.RepositoryName)
	}
	return jsonResult(map[string]string{"registryId": a.id, "repositoryName": in.RepositoryName, "policyText": p}), nil
}
