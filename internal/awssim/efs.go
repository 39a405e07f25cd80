package awssim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// EFS (signing name elasticfilesystem): DescribeFileSystems,
// DescribeFileSystemPolicy, and the technology efs. REST-JSON.

const techEFS = "efs"

func efsService() *service {
	return &service{
		name:     "elasticfilesystem",
		id:       "efs",
		protocol: restJSON{},
		ops: map[string]operation{
			"DescribeFileSystems":      {http: "GET /2015-02-01/file-systems", handle: (*Server).efsDescribeFileSystems},
			"DescribeFileSystemPolicy": {http: "GET /2015-02-01/file-systems/{FileSystemId}/policy", handle: (*Server).efsDescribeFileSystemPolicy},
		},
		throttle: errorShape{http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: elasticfilesystem:{op}"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Unknown operation {op}"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techEFS,
			createdHour: 99,
			arn:         func(s *Server, a *account, i int) string { return s.efsARN(a, i) },
			mutates:     "one more statement in the file system policy",
		}},
	}
}

// efsID ends in the index (hex), so that an id resolves at once.
func (s *Server) efsID(a *account, i int) string {
	return "fs-" + s.resourceID("", 9, hexDigits, "efs/id", a, i) + fmt.Sprintf("-%x", i)
}

func (s *Server) efsARN(a *account, i int) string {
	return "arn:aws:elasticfilesystem:" + s.itemRegion(i) + ":" + a.id + ":file-system/" + s.efsID(a, i)
}

func (s *Server) efsIndex(req *request, id string) (int, bool) {
	k := strings.LastIndexByte(id, '-')
	i, err := strconv.ParseInt(id[k+1:], 16, 64)
	if k < 0 || err != nil || i < 0 || i > 1<<40 || s.efsID(req.acct, int(i)) != id {
		return 0, false
	}
	if !req.acct.tech(techEFS).exists(int(i)) || s.itemRegion(int(i)) != req.region {
		return 0, false
	}
	return int(i), true
}

func (s *Server) efsDescribeFileSystems(req *request) (result, *apiError) {
	size, ok := pageSize(req.form.Get("MaxItems"), 100, 100)
	start, okStart := pageStart(req.form.Get("Marker"), "efs")
	if !ok || !okStart {
		return result{}, errf(http.StatusBadRequest, "BadRequest", "bad MaxItems or Marker")
	}
	a := req.acct
	fss, next := regionPage(s, req, techEFS, size, start, "efs", func(i int) map[string]any {
		name := fmt.Sprintf("sim-fs-%d", i)
		fs := map[string]any{
			"OwnerId":              a.id,
			"CreationToken":        name,
			"FileSystemId":         s.efsID(a, i),
			"FileSystemArn":        s.efsARN(a, i),
			"CreationTime":         epochSeconds(s.created(techEFS, i)),
			"LifeCycleState":       "available",
			"NumberOfMountTargets": i % 3,
			"SizeInBytes":          map[string]any{"Value": 6144 + i*4096, "Timestamp": epochSeconds(s.anchor)},
			"PerformanceMode":      "generalPurpose",
			"ThroughputMode":       "bursting",
			"Encrypted":            i%2 == 0,
			"Tags":                 jsonTags(simTags(name, i), "Key", "Value"),
		}
		if i%3 != 2 {
			fs["Name"] = name
		}
		return fs
	})
	out := map[string]any{"FileSystems": fss}
	if next != "" {
		out["NextMarker"] = next
	}
	return jsonResult(out), nil
}

func (s *Server) efsDescribeFileSystemPolicy(req *request) (result, *apiError) {
	id := req.label("FileSystemId")
	i, ok := s.efsIndex(req, id)
	if !ok {
		return result{}, errf(http.StatusNotFound, "FileSystemNotFound", "File system '%s' does not exist.", id)
	}
	a := req.acct
	p := s.resourcePolicy(a, i, a.tech(techEFS).generation(i), s.efsARN(a, i), "elasticfilesystem:ClientMount", false)
	if p == "" {
		return result{}, errf(http.StatusNotFound, "PolicyNotFound", "No policy found for file system '%s'.", id)
	}
	return jsonResult(map[string]string{"FileSystemId": id, "Policy": p}), nil
}
