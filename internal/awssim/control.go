package awssim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"time"
)

// Faults are injected into every non-STS request (see the package doc).
type Faults struct {
	LatencyMS    int      `json:"latency_ms,omitempty"`
	ThrottleRate float64  `json:"throttle_rate,omitempty"`
	FailRegions  []string `json:"fail_regions,omitempty"`
	FailServices []string `json:"fail_services,omitempty"`
}

// SetFaults replaces the injected faults; the zero value clears them.
func (s *Server) SetFaults(f Faults) error {
	if f.ThrottleRate < 0 || f.ThrottleRate > 1 {
		return fmt.Errorf("throttle_rate %v: want 0..1", f.ThrottleRate)
	}
	if f.LatencyMS < 0 || f.LatencyMS > 600_000 {
		return fmt.Errorf("latency_ms %d: want 0..600000", f.LatencyMS)
	}
	s.faultMu.Lock()
	s.faults = f
	s.faultMu.Unlock()
	return nil
}

// applyFaults delays, throttles or denies req according to the faults.
func (s *Server) applyFaults(req *request) *apiError {
	if req.service == "sts" {
		return nil
	}
	s.faultMu.Lock()
	f := s.faults
	throttle := f.ThrottleRate > 0 && s.rng.Float64() < f.ThrottleRate
	s.faultMu.Unlock()
	sleepCtx(req.r, time.Duration(f.LatencyMS)*time.Millisecond)
	failed := slices.ContainsFunc(f.FailRegions, func(r string) bool { return r == "*" || r == req.region }) ||
		slices.ContainsFunc(f.FailServices, func(sv string) bool {
			return sv == "*" || sv == req.service || (sv == "monitoring" && req.service == "cloudwatch")
		})
	if failed {
		switch req.service {
		case "ec2":
			return errf(http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation.")
		case "iam":
			return errf(http.StatusForbidden, "AccessDenied", "User is not authorized to perform: iam:%s", req.op)
		default:
			return errf(http.StatusForbidden, "AccessDenied", "Access Denied")
		}
	}
	if throttle {
		switch req.service {
		case "ec2":
			return errf(http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.")
		case "s3":
			return errf(http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
		default:
			return errf(http.StatusBadRequest, "Throttling", "Rate exceeded")
		}
	}
	return nil
}

func (s *Server) countCall(acct, key string) {
	s.callMu.Lock()
	m := s.calls[acct]
	if m == nil {
		m = map[string]int{}
		s.calls[acct] = m
	}
	m[key]++
	s.callMu.Unlock()
}

// Calls returns a copy of the per-account call counters:
// account id → "<service>.<Operation>" → count.
func (s *Server) Calls() map[string]map[string]int {
	s.callMu.Lock()
	defer s.callMu.Unlock()
	out := make(map[string]map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = maps.Clone(v)
	}
	return out
}

// ResetCalls clears the call counters.
func (s *Server) ResetCalls() {
	s.callMu.Lock()
	clear(s.calls)
	s.callMu.Unlock()
}

// MetricDatum is one datum received by cloudwatch:PutMetricData.
type MetricDatum struct {
	Namespace  string            `json:"namespace"`
	Metric     string            `json:"metric"`
	Unit       string            `json:"unit,omitempty"`
	Value      float64           `json:"value"`
	Dimensions map[string]string `json:"dimensions"`
	Time       time.Time         `json:"time"`
}

// MetricData returns a copy of every datum received so far.
func (s *Server) MetricData() []MetricDatum {
	s.cwMu.Lock()
	defer s.cwMu.Unlock()
	return slices.Clone(s.cwLog)
}

type controlRequest struct {
	Account    string `json:"account"`
	Technology string `json:"technology"`
	Count      int    `json:"count"`
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == "/_sim/accounts" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.AccountIDs())
	case path == "/_sim/calls" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Calls())
	case path == "/_sim/calls" && r.Method == http.MethodDelete:
		s.ResetCalls()
		writeJSON(w, http.StatusOK, map[string]any{})
	case path == "/_sim/cloudwatch" && r.Method == http.MethodGet:
		data := s.MetricData()
		if data == nil {
			data = []MetricDatum{}
		}
		writeJSON(w, http.StatusOK, data)
	case path == "/_sim/faults" && r.Method == http.MethodPost:
		var f Faults
		if err := decodeJSON(r, &f); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		if err := s.SetFaults(f); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, f)
	case (path == "/_sim/mutate" || path == "/_sim/delete" || path == "/_sim/create") && r.Method == http.MethodPost:
		var cr controlRequest
		if err := decodeJSON(r, &cr); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		var (
			arns []string
			err  error
		)
		switch path {
		case "/_sim/mutate":
			arns, err = s.Mutate(cr.Account, cr.Technology, cr.Count)
		case "/_sim/delete":
			arns, err = s.Delete(cr.Account, cr.Technology, cr.Count)
		default:
			arns, err = s.Create(cr.Account, cr.Technology, cr.Count)
		}
		if err != nil {
			status := http.StatusBadRequest
			if errors.Is(err, errUnknownAccount) {
				status = http.StatusNotFound
			}
			writeJSON(w, status, map[string]string{"error": err.Error()})
			return
		}
		if arns == nil {
			arns = []string{}
		}
		writeJSON(w, http.StatusOK, map[string][]string{"items": arns})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown control endpoint " + r.Method + " " + path})
	}
}

func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode request body: %w", err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
