package awssim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CloudTrail: DescribeTrails, GetTrailStatus, and the technology
// cloudtrail. awsJson 1.1.
//
// Trail i has its home in Regions[i % len(Regions)]. DescribeTrails in a
// region lists the trails homed there and, with includeShadowTrails
// (AWS's default: true), the multi-region trails homed elsewhere (their
// shadows), as AWS does. Variants (i%4 for the first 50 indices and every
// 20th after them, 0 otherwise): 0 multi-region, logging, log file
// validation, KMS and CloudWatch Logs; 1 single-region, logging; 2
// multi-region, stopped; 3 single-region, stopped, global service events
// off. Mutations change S3KeyPrefix to "sim-mutation-<generation>".

const techCloudTrail = "cloudtrail"

func cloudTrailService() *service {
	return &service{
		name:     "cloudtrail",
		protocol: awsJSON{version: "1.1", target: "CloudTrail_20131101"},
		ops: map[string]operation{
			"DescribeTrails": {handle: (*Server).ctDescribeTrails},
			"GetTrailStatus": {handle: (*Server).ctGetTrailStatus},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: cloudtrail:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: enabledRegion(
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techCloudTrail,
			createdHour: 92,
			arn:         func(s *Server, a *account, i int) string { return s.trailARN(a, i) },
			mutates:     `S3KeyPrefix "sim-mutation-<generation>"`,
		}},
	}
}

func trailName(i int) string { return "sim-trail-" + strconv.Itoa(i) }

func (s *Server) trailARN(a *account, i int) string {
	return "arn:aws:cloudtrail:" + s.itemRegion(i) + ":" + a.id + ":trail/" + trailName(i)
}

// trailVariant is the variant of trail i (see the file comment).
func trailVariant(i int) int {
	if bulkBenign(i) {
		return 0
	}
	return i % 4
}

func trailMultiRegion(i int) bool { v := trailVariant(i); return v == 0 || v == 2 }

func (s *Server) trail(a *account, i int) map[string]any {
	home := s.itemRegion(i)
	variant := trailVariant(i)
	gen := a.tech(techCloudTrail).generation(i)
	t := map[string]any{
		"Name":                       trailName(i),
		"S3BucketName":               "sim-trail-logs-" + a.id,
		"IncludeGlobalServiceEvents": variant != 3,
		"IsMultiRegionTrail":         trailMultiRegion(i),
		"HomeRegion":                 home,
		"TrailARN":                   s.trailARN(a, i),
		"LogFileValidationEnabled":   variant == 0,
		"HasCustomEventSelectors":    false,
		"HasInsightSelectors":        false,
		"IsOrganizationTrail":        false,
	}
	if gen > 0 {
		t["S3KeyPrefix"] = "sim-mutation-" + strconv.Itoa(gen)
	}
	if variant == 0 {
		t["KmsKeyId"] = "arn:aws:kms:" + home + ":" + a.id + ":key/" + s.resourceID("", 8, hexDigits, "cloudtrail/kms", a, i)
		t["CloudWatchLogsLogGroupArn"] = "arn:aws:logs:" + home + ":" + a.id + ":log-group:sim-trail-" + strconv.Itoa(i) + ":*"
		t["CloudWatchLogsRoleArn"] = "arn:aws:iam::" + a.id + ":role/sim-cloudtrail-logs"
		t["SnsTopicName"] = "arn:aws:sns:" + home + ":" + a.id + ":" + topicName(i)
		t["SnsTopicARN"] = "arn:aws:sns:" + home + ":" + a.id + ":" + topicName(i)
	}
	return t
}

func (s *Server) ctDescribeTrails(req *request) (result, *apiError) {
	var in struct {
		TrailNameList       []string `json:"trailNameList"`
		IncludeShadowTrails *bool    `json:"includeShadowTrails"`
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	shadows := in.IncludeShadowTrails == nil || *in.IncludeShadowTrails
	a := req.acct
	ts := a.tech(techCloudTrail)
	here := s.regionIndex(req.region)
	trails := []map[string]any{}
	for i := range ts.n {
		if !ts.exists(i) || (i%len(s.opts.Regions) != here && !(shadows && trailMultiRegion(i))) {
			continue
		}
		if len(in.TrailNameList) > 0 && !slices.Contains(in.TrailNameList, trailName(i)) && !slices.Contains(in.TrailNameList, s.trailARN(a, i)) {
			continue
		}
		trails = append(trails, s.trail(a, i))
	}
	return jsonResult(map[string]any{"trailList": trails}), nil
}

func (s *Server) ctGetTrailStatus(req *request) (result, *apiError) {
	var in struct {
		Name string `json:"Name"`
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	name := in.Name
	prefix := "arn:aws:cloudtrail:"
	if rest, ok := strings.CutPrefix(name, prefix); ok {
		// arn:aws:cloudtrail:<region>:<account>:trail/<name>, from any region.
		parts := strings.SplitN(rest, ":", 3)
		if len(parts) != 3 || parts[1] != a.id || !strings.HasPrefix(parts[2], "trail/") {
			return result{}, ctNotFound(in.Name)
		}
		name = strings.TrimPrefix(parts[2], "trail/")
	}
	cut := strings.LastIndexByte(name, '-')
	i, err := strconv.Atoi(name[cut+1:])
	if cut < 0 || err != nil || i < 0 || trailName(i) != name || !a.tech(techCloudTrail).exists(i) ||
		(s.itemRegion(i) != req.region && !trailMultiRegion(i) && !strings.HasPrefix(in.Name, prefix)) {
		return result{}, ctNotFound(in.Name)
	}
	v := trailVariant(i)
	started := s.created(techCloudTrail, i)
	out := map[string]any{
		"IsLogging":          v < 2,
		"StartLoggingTime":   epochSeconds(started),
		"TimeLoggingStarted": started.Format(time.RFC3339),
	}
	if v < 2 {
		out["LatestDeliveryTime"] = epochSeconds(s.anchor.Add(-time.Hour))
	} else {
		out["StopLoggingTime"] = epochSeconds(started.Add(24 * time.Hour))
	}
	return jsonResult(out), nil
}

func ctNotFound(name string) *apiError {
	return errf(http.StatusBadRequest, "TrailNotFoundException", "Unknown trail: %s for the user", name)
}
