package awssim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// builtinServices is the one list of simulated services, alphabetical by
// file. A new service is a file <service>.go with a function returning its
// descriptor, added here.
func builtinServices() []*service {
	return []*service{
		acmService(),
		apiGatewayService(),
		backupService(),
		cloudTrailService(),
		cloudWatchService(),
		configService(),
		codeArtifactService(),
		directConnectService(),
		ec2Service(),
		ecrService(),
		efsService(),
		elbService(),
		elbv2Service(),
		esService(),
		eventBridgeService(),
		glacierService(),
		iamService(),
		kmsService(),
		lambdaService(),
		rdsService(),
		redshiftService(),
		route53Service(),
		route53DomainsService(),
		s3Service(),
		secretsManagerService(),
		sesService(),
		snsService(),
		sqsService(),
		stsService(),
	}
}

// Technologies returns the sorted indexes of the technologies the simulator
// serves (resources registered by the built-in services).
func Technologies() []string {
	var out []string
	for _, svc := range builtinServices() {
		for _, r := range svc.resources {
			out = append(out, r.tech)
		}
	}
	slices.Sort(out)
	return out
}

// service describes one simulated AWS service. Routing, fault injection,
// call counting, locking and error rendering are generic over it; what is
// particular to a service lives in its descriptor and its file.
type service struct {
	// name is the SigV4 signing name, the service of the credential scope
	// (Credential=<AKID>/<date>/<region>/<name>/aws4_request): "iam",
	// "monitoring"…
	name string
	// apiVersion is set on query services that share their signing name
	// with another (ELB 2012-06-01 and ELBv2 2015-12-01 both sign as
	// "elasticloadbalancing"): a request goes to the descriptor whose
	// apiVersion is its Version parameter. Such services keep no state
	// (newState, newAccountState), which is keyed by signing name.
	apiVersion string
	// id names the service in the call counters ("<id>.<Operation>") and
	// in fail_services (which also accepts name): the SDK service id in
	// lower case, e.g. "cloudwatch" for signing name "monitoring". Default: name.
	id string
	// protocol is the wire protocol with its parameters (XML namespace,
	// JSON target prefix…).
	protocol protocol
	// ops maps an operation name to its handler. REST protocols route by
	// operation.http.
	ops map[string]operation

	// The error shapes of the fault switches and of an operation the
	// simulator does not serve. "{op}" in a message is replaced by the
	// operation name.
	throttle errorShape // throttle_rate: the service's throttling error
	denied   errorShape // fail_regions, fail_services: its access-denied error
	unknown  errorShape // an operation absent from ops

	// noFaults exempts the service from every fault (sts: credentials keep working).
	noFaults bool
	// check, optional, runs after the faults and before the operation
	// (EC2: answers OptInRequired in an opt-in region).
	check func(s *Server, req *request) *apiError

	// resources are the technologies this service serves.
	resources []resource
	// newState, optional, builds the service's server-wide state, kept in
	// Server.ext[name] (CloudWatch: the metric log; IAM: escaped documents).
	newState func(s *Server) any
	// newAccountState, optional, builds its state in one account, kept in
	// account.ext[name]; it runs once every account exists.
	newAccountState func(s *Server, a *account) any
	// controls are extra endpoints of the control API (GET /_sim/cloudwatch).
	controls []control

	routes []route // compiled from ops[*].http by newServer (REST protocols)
}

// operation is one operation of a service.
type operation struct {
	// handle answers the request; it runs under the state lock (shared,
	// or exclusive when writes is set) and returns a result the protocol
	// renders, or an error.
	handle func(s *Server, req *request) (result, *apiError)
	// http is the route of REST protocols, in the form of Smithy's http
	// trait: "GET /2015-03-31/functions/{FunctionName}/policy",
	// "GET /{Bucket}?acl" ({Label+} takes the rest of the path; query
	// keys, optionally key=value, are required).
	http string
	// writes marks an operation that changes simulated state.
	writes bool
}

// errorShape is an AWS error of a service: HTTP status, code and message.
type errorShape struct {
	status  int
	code    string
	message string
}

func (e errorShape) err(op string) *apiError {
	return errf(e.status, e.code, "%s", strings.ReplaceAll(e.message, "{op}", op))
}

// resource describes one simulated technology, registered by its service.
type resource struct {
	tech string // the technology index, e.g. "securitygroup"
	// perAccount is the default number of items per account; 0 means
	// Options.Items. Options.ItemsPer overrides both.
	perAccount int
	// createdHour places creation dates: seed epoch + createdHour hours +
	// index minutes (0: derived from the index).
	createdHour int
	// arn is the ARN of item i in account a (returned by /_sim/mutate…).
	arn func(s *Server, a *account, i int) string
	// mutates says what Mutate changes (GET /_sim/technologies).
	mutates string
}

// control is an endpoint of the control API contributed by a service.
type control struct {
	method, path string
	serve        func(s *Server, w http.ResponseWriter, r *http.Request)
}

// register adds services to the server: their routes, resources, state and
// control endpoints. Two services with one signing name, two resources
// with one index or a malformed route are programming errors.
func (s *Server) register(svcs []*service) error {
	for _, svc := range svcs {
		if svc.id == "" {
			svc.id = svc.name
		}
		if prev := s.services[svc.name]; len(prev) > 0 {
			shared := svc.apiVersion != "" && svc.newState == nil && svc.newAccountState == nil &&
				!slices.ContainsFunc(prev, func(p *service) bool {
					return p.apiVersion == "" || p.apiVersion == svc.apiVersion || p.newState != nil || p.newAccountState != nil
				})
			if !shared {
				return fmt.Errorf("service %q registered twice", svc.name)
			}
		}
		routes, err := compileRoutes(svc)
		if err != nil {
			return err
		}
		svc.routes = routes
		s.services[svc.name] = append(s.services[svc.name], svc)
		for k := range svc.resources {
			r := &svc.resources[k]
			if s.resources[r.tech] != nil {
				return fmt.Errorf("technology %q registered twice", r.tech)
			}
			if r.arn == nil {
				return fmt.Errorf("technology %q: no arn function", r.tech)
			}
			if r.createdHour == 0 {
				r.createdHour = 1 + int(salt(r.tech)%1000)
			}
			s.resources[r.tech] = r
			s.resourceSvc[r.tech] = svc.id
		}
		for _, c := range svc.controls {
			key := c.method + " " + c.path
			if _, dup := s.controls[key]; dup {
				return fmt.Errorf("control endpoint %s registered twice", key)
			}
			s.controls[key] = c
		}
	}
	return nil
}

// technologies returns the sorted indexes of the registered technologies.
func (s *Server) technologies() []string {
	out := make([]string, 0, len(s.resources))
	for index := range s.resources {
		out = append(out, index)
	}
	slices.Sort(out)
	return out
}
