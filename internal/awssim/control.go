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

// maxLatency caps the injected latency: the HTTP server's write timeout is
// sized from it (see Server.Start).
const maxLatency = 60 * time.Second

// Faults are injected into every request of a service that is not exempt
// (STS is; see the package doc).
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
	if f.LatencyMS < 0 || time.Duration(f.LatencyMS)*time.Millisecond > maxLatency {
		return fmt.Errorf("latency_ms %d: want 0..%d", f.LatencyMS, maxLatency.Milliseconds())
	}
	s.faultMu.Lock()
	s.faults = f
	s.faultMu.Unlock()
	return nil
}

// applyFaults delays, throttles or denies req according to the faults, with
// the error shapes of its service.
func (s *Server) applyFaults(req *request) *apiError {
	svc := req.svc
	if svc.noFaults {
		return nil
	}
	s.faultMu.Lock()
	f := s.faults
	throttle := f.ThrottleRate > 0 && s.rng.Float64() < f.ThrottleRate
	s.faultMu.Unlock()
	sleepCtx(req.r, time.Duration(f.LatencyMS)*time.Millisecond)
	failed := slices.ContainsFunc(f.FailRegions, func(r string) bool { return r == "*" || r == req.region }) ||
		slices.ContainsFunc(f.FailServices, func(sv string) bool { return sv == "*" || sv == svc.id || sv == svc.name })
	if failed {
		return svc.denied.err(req.op)
	}
	if throttle {
		return svc.throttle.err(req.op)
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

// TechnologyInfo describes one simulated technology (GET /_sim/technologies).
type TechnologyInfo struct {
	Technology string `json:"technology"`
	Service    string `json:"service"`
	Mutates    string `json:"mutates"`
}

// Technologies lists the technologies this server simulates, sorted by
// index, with their service and what Mutate changes.
func (s *Server) Technologies() []TechnologyInfo {
	out := make([]TechnologyInfo, 0, len(s.resources))
	for _, index := range s.technologies() {
		out = append(out, TechnologyInfo{Technology: index, Service: s.resourceSvc[index], Mutates: s.resources[index].mutates})
	}
	return out
}

type controlRequest struct {
	Account    string `json:"account"`
	Technology string `json:"technology"`
	Count      int    `json:"count"`
}

// baseControls are the control endpoints of every server; services add
// their own (service.controls).
func baseControls() []control {
	change := func(fn func(*Server, string, string, int) ([]string, error)) func(*Server, http.ResponseWriter, *http.Request) {
		return func(s *Server, w http.ResponseWriter, r *http.Request) {
			var cr controlRequest
			if err := decodeJSON(r, &cr); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
				return
			}
			arns, err := fn(s, cr.Account, cr.Technology, cr.Count)
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
		}
	}
	return []control{
		{http.MethodGet, "/_sim/accounts", func(s *Server, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, s.AccountIDs())
		}},
		{http.MethodGet, "/_sim/technologies", func(s *Server, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, s.Technologies())
		}},
		{http.MethodGet, "/_sim/calls", func(s *Server, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, s.Calls())
		}},
		{http.MethodDelete, "/_sim/calls", func(s *Server, w http.ResponseWriter, _ *http.Request) {
			s.ResetCalls()
			writeJSON(w, http.StatusOK, map[string]any{})
		}},
		{http.MethodPost, "/_sim/faults", func(s *Server, w http.ResponseWriter, r *http.Request) {
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
		}},
		{http.MethodPost, "/_sim/mutate", change((*Server).Mutate)},
		{http.MethodPost, "/_sim/delete", change((*Server).Delete)},
		{http.MethodPost, "/_sim/create", change((*Server).Create)},
	}
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	c, ok := s.controls[r.Method+" "+r.URL.Path]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown control endpoint " + r.Method + " " + r.URL.Path})
		return
	}
	c.serve(s, w, r)
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
