package awssim

import (
	"fmt"
	"net/http"
	"strings"
)

// Lambda: ListFunctions, ListAliases, ListVersionsByFunction,
// ListEventSourceMappings, ListTags, GetPolicy (with Qualifier), and the
// technology lambda. REST-JSON.

const techLambda = "lambda"

func lambdaService() *service {
	fn := func(h func(s *Server, req *request, i int) (result, *apiError)) func(*Server, *request) (result, *apiError) {
		return func(s *Server, req *request) (result, *apiError) {
			i, ok := s.lambdaFunction(req, req.label("FunctionName"))
			if !ok {
				return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "Function not found: %s", req.label("FunctionName"))
			}
			return h(s, req, i)
		}
	}
	return &service{
		name:     "lambda",
		protocol: restJSON{},
		ops: map[string]operation{
			"ListFunctions":           {http: "GET /2015-03-31/functions/", handle: (*Server).lambdaListFunctions},
			"ListAliases":             {http: "GET /2015-03-31/functions/{FunctionName}/aliases", handle: fn((*Server).lambdaListAliases)},
			"ListVersionsByFunction":  {http: "GET /2015-03-31/functions/{FunctionName}/versions", handle: fn((*Server).lambdaListVersions)},
			"GetPolicy":               {http: "GET /2015-03-31/functions/{FunctionName}/policy", handle: fn((*Server).lambdaGetPolicy)},
			"ListEventSourceMappings": {http: "GET /2015-03-31/event-source-mappings/", handle: (*Server).lambdaListEventSourceMappings},
			"ListTags":                {http: "GET /2017-03-31/tags/{Resource}", handle: (*Server).lambdaListTags},
		},
		throttle: errorShape{http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: lambda:{op}"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Unknown operation {op}"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techLambda,
			createdHour: 57,
			arn:         func(s *Server, a *account, i int) string { return s.lambdaARN(a, i) },
			mutates:     "the description and one more statement in the function policy",
		}},
	}
}

// Seeded functions: even ones have a published version 1 and an alias
// "live" on it; i%4 == 0 adds an alias policy open to a stranger account,
// i%4 == 2 a version policy open to "*". Every third function has an SQS
// event source mapping. The unqualified policy follows policyFlavor
// (polNone: no policy).

func lambdaName(i int) string { return fmt.Sprintf("sim-fn-%d", i) }

func (s *Server) lambdaARN(a *account, i int) string {
	return "arn:aws:lambda:" + s.itemRegion(i) + ":" + a.id + ":function:" + lambdaName(i)
}

func lambdaVersioned(i int) bool { return i%2 == 0 }

// lambdaFunction resolves a function name or ARN (qualifier ignored).
func (s *Server) lambdaFunction(req *request, name string) (int, bool) {
	if strings.HasPrefix(name, "arn:") {
		parts := strings.Split(name, ":")
		if len(parts) < 7 || parts[4] != req.acct.id {
			return 0, false
		}
		name = parts[6]
	}
	return s.itemIndex(req, techLambda, name, lambdaName)
}

func (s *Server) lambdaConfig(a *account, i int, version string) map[string]any {
	arn := s.lambdaARN(a, i)
	if version != "$LATEST" {
		arn += ":" + version
	}
	cfg := map[string]any{
		"FunctionName":  lambdaName(i),
		"FunctionArn":   arn,
		"Runtime":       [...]string{"python3.12", "nodejs20.x", "go1.x"}[i%3],
		"Role":          "arn:aws:iam::" + a.id + ":role/sim-fn-role",
		"Handler":       "index.handler",
		"CodeSize":      1024 + i,
		"Description":   fmt.Sprintf("simulated function %d (generation %d)", i, a.tech(techLambda).generation(i)),
		"Timeout":       30,
		"MemorySize":    128,
		"LastModified":  s.created(techLambda, i).Format("2006-01-02T15:04:05.000-0700"),
		"CodeSha256":    s.resourceID("", 43, b32Digits, "lambda/sha", a, i) + "=",
		"Version":       version,
		"TracingConfig": map[string]string{"Mode": "PassThrough"},
		"RevisionId":    s.resourceID("", 32, hexDigits, "lambda/rev", a, i),
		"PackageType":   "Zip",
		"Architectures": []string{"x86_64"},
	}
	if i%4 == 1 {
		cfg["Environment"] = map[string]any{"Variables": map[string]string{"STAGE": "prod"}}
	}
	if i%4 == 2 {
		cfg["VpcConfig"] = map[string]any{"SubnetIds": []string{"subnet-1"}, "SecurityGroupIds": []string{s.sgID(a.idx, i)}, "VpcId": s.vpcID(a.idx, s.regionIndex(s.itemRegion(i)))}
	}
	return cfg
}

func (s *Server) lambdaListFunctions(req *request) (result, *apiError) {
	size, ok := pageSize(req.form.Get("MaxItems"), 50, 50)
	start, okStart := pageStart(req.form.Get("Marker"), "fn")
	if !ok || !okStart {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValueException", "bad MaxItems or Marker")
	}
	fns, next := regionPage(s, req, techLambda, size, start, "fn", func(i int) map[string]any {
		return s.lambdaConfig(req.acct, i, "$LATEST")
	})
	out := map[string]any{"Functions": fns}
	if next != "" {
		out["NextMarker"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) lambdaListAliases(req *request, i int) (result, *apiError) {
	aliases := []map[string]any{}
	if lambdaVersioned(i) {
		aliases = append(aliases, map[string]any{"AliasArn": s.lambdaARN(req.acct, i) + ":live", "Name": "live",
			"FunctionVersion": "1", "Description": "production traffic", "RevisionId": s.resourceID("", 32, hexDigits, "lambda/alias-rev", req.acct, i)})
	}
	return jsonResult(map[string]any{"Aliases": aliases}), nil
}

func (s *Server) lambdaListVersions(req *request, i int) (result, *apiError) {
	versions := []map[string]any{s.lambdaConfig(req.acct, i, "$LATEST")}
	if lambdaVersioned(i) {
		versions = append(versions, s.lambdaConfig(req.acct, i, "1"))
	}
	return jsonResult(map[string]any{"Versions": versions}), nil
}

func (s *Server) lambdaGetPolicy(req *request, i int) (result, *apiError) {
	a := req.acct
	arn := s.lambdaARN(a, i)
	var p string
	switch q := req.form.Get("Qualifier"); {
	case q == "" || q == "$LATEST":
		p = s.resourcePolicy(a, i, a.tech(techLambda).generation(i), arn, "lambda:InvokeFunction", false)
	case q == "live" && lambdaVersioned(i) && i%4 == 0:
		p = `{"Version":"2012-10-17","Statement":[{"Sid":"StrangerInvoke","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
			strangerAccount + `:root"},"Action":"lambda:InvokeFunction","Resource":"` + arn + `:live"}]}`
	case q == "1" && lambdaVersioned(i) && i%4 == 2:
		p = `{"Version":"2012-10-17","Statement":[{"Sid":"PublicInvoke","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"` + arn + `:1"}]}`
	}
	if p == "" {
		return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "The resource you requested does not exist.")
	}
	return jsonResult(map[string]string{"Policy": p, "RevisionId": s.resourceID("", 32, hexDigits, "lambda/rev", a, i)}), nil
}

func (s *Server) lambdaListEventSourceMappings(req *request) (result, *apiError) {
	mappings := []map[string]any{}
	if name := req.form.Get("FunctionName"); name != "" {
		i, ok := s.lambdaFunction(req, name)
		if !ok {
			return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "Function not found: %s", name)
		}
		if i%3 == 0 {
			a := req.acct
			mappings = append(mappings, map[string]any{
				"UUID":                  s.resourceID("", 32, hexDigits, "lambda/esm", a, i),
				"EventSourceArn":        "arn:aws:sqs:" + req.region + ":" + a.id + ":" + sqsQueueName(i),
				"FunctionArn":           s.lambdaARN(a, i),
				"LastModified":          epochSeconds(s.created(techLambda, i)),
				"State":                 "Enabled",
				"StateTransitionReason": "USER_INITIATED",
				"BatchSize":             10,
			})
		}
	}
	return jsonResult(map[string]any{"EventSourceMappings": mappings}), nil
}

func (s *Server) lambdaListTags(req *request) (result, *apiError) {
	i, ok := s.lambdaFunction(req, req.label("Resource"))
	if !ok {
		return result{}, errf(http.StatusNotFound, "ResourceNotFoundException", "Function not found: %s", req.label("Resource"))
	}
	return jsonResult(map[string]any{"Tags": tagMap(simTags(lambdaName(i), i))}), nil
}
