package awssim

import (
	"fmt"
	"net/http"
	"strings"
)

// Secrets Manager: ListSecrets, GetResourcePolicy, and the technology
// secretsmanager. awsJson 1.1. No secret value is ever served.

const techSecrets = "secretsmanager"

func secretsManagerService() *service {
	return &service{
		name:     "secretsmanager",
		protocol: awsJSON{version: "1.1", target: "secretsmanager"},
		ops: map[string]operation{
			"ListSecrets":       {handle: (*Server).smListSecrets},
			"GetResourcePolicy": {handle: (*Server).smGetResourcePolicy},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: secretsmanager:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: enabledRegion(
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techSecrets,
			createdHour: 92,
			arn:         func(s *Server, a *account, i int) string { return s.secretARN(a, i) },
			mutates:     "one more statement in the resource policy, the description",
		}},
	}
}

// Seeded secrets: odd ones rotate (every 30 days, by a Lambda function).

func secretName(i int) string { return fmt.Sprintf("sim-secret-%d", i) }

func (s *Server) secretARN(a *account, i int) string {
	return "arn:aws:secretsmanager:" + s.itemRegion(i) + ":" + a.id + ":secret:" + secretName(i) + "-" +
		s.resourceID("", 6, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "secretsmanager/suffix", a, i)
}

func (s *Server) smListSecrets(req *request) (result, *apiError) {
	var in struct {
		MaxResults int
		NextToken  string
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start, aerr := jsonPage(in.MaxResults, 100, 100, in.NextToken, "secret")
	if aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	secrets, next := regionPage(s, req, techSecrets, size, start, "secret", func(i int) map[string]any {
		created := s.created(techSecrets, i)
		m := map[string]any{
			"ARN":              s.secretARN(a, i),
			"Name":             secretName(i),
			"Description":      fmt.Sprintf("simulated secret %d (generation %d)", i, a.tech(techSecrets).generation(i)),
			"CreatedDate":      epochSeconds(created),
			"LastChangedDate":  epochSeconds(created),
			"LastAccessedDate": epochSeconds(s.anchor.AddDate(0, 0, -(i % 5))),
			"RotationEnabled":  i%2 == 1,
			"Tags":             jsonTags(simTags(secretName(i), i), "Key", "Value"),
			"SecretVersionsToStages": map[string][]string{
				s.resourceID("", 32, hexDigits, "secretsmanager/version", a, i): {"AWSCURRENT"},
			},
		}
		if i%2 == 1 {
			m["RotationLambdaARN"] = "arn:aws:lambda:" + req.region + ":" + a.id + ":function:sim-rotator"
			m["RotationRules"] = map[string]int{"AutomaticallyAfterDays": 30}
			m["LastRotatedDate"] = epochSeconds(created)
		}
		if i%3 == 0 {
			m["KmsKeyId"] = "arn:aws:kms:" + req.region + ":" + a.id + ":alias/sim-secrets"
		}
		return m
	})
	out := map[string]any{"SecretList": secrets}
	if next != "" {
		out["NextToken"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) smGetResourcePolicy(req *request) (result, *apiError) {
	var in struct{ SecretId string }
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	name := in.SecretId
	if strings.HasPrefix(name, "arn:") {
		parts := strings.Split(name, ":")
		if len(parts) != 7 || parts[4] != a.id {
			return result{}, errf(http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
		}
		name = parts[6][:max(strings.LastIndexByte(parts[6], '-'), 0)]
	}
	i, ok := s.itemIndex(req, techSecrets, name, secretName)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	}
	out := map[string]any{"ARN": s.secretARN(a, i), "Name": secretName(i)}
	if p := s.resourcePolicy(a, i, a.tech(techSecrets).generation(i), "*", "secretsmanager:GetSecretValue", false); p != "" {
		out["ResourcePolicy"] = p
	}
	return jsonResult(out), nil
}
