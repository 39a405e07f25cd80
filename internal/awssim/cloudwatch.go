package awssim

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// CloudWatch (signing name "monitoring"): PutMetricData, recorded for
// GET /_sim/cloudwatch and MetricData. Smithy RPC v2 CBOR, the protocol of
// the cloudwatch client in go.mod (query-compatible).

func cloudWatchService() *service {
	return &service{
		name:     "monitoring",
		id:       "cloudwatch",
		protocol: rpcv2CBOR{errorNS: "com.amazonaws.cloudwatch", queryCompatible: true},
		ops: map[string]operation{
			"PutMetricData": {handle: (*Server).putMetricData},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "Access Denied"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		newState: func(*Server) any { return &metricLog{} },
		controls: []control{{http.MethodGet, "/_sim/cloudwatch", func(s *Server, w http.ResponseWriter, _ *http.Request) {
			data := s.MetricData()
			if data == nil {
				data = []MetricDatum{}
			}
			writeJSON(w, http.StatusOK, data)
		}}},
	}
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

// metricLog is CloudWatch's state: every datum received.
type metricLog struct {
	mu   sync.Mutex
	data []MetricDatum
}

func (s *Server) metricLog() *metricLog { return s.ext["monitoring"].(*metricLog) }

// MetricData returns a copy of every datum received so far.
func (s *Server) MetricData() []MetricDatum {
	l := s.metricLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.data)
}

func (s *Server) putMetricData(req *request) (result, *apiError) {
	v, err := cbor.Decode(req.body)
	if err != nil {
		return result{}, errf(http.StatusBadRequest, "SerializationException", "decode CBOR body: %v", err)
	}
	in, ok := v.(cbor.Map)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "SerializationException", "body is not a CBOR map")
	}
	ns := cborString(in["Namespace"])
	if ns == "" {
		return result{}, errf(http.StatusBadRequest, "MissingParameter", "The parameter Namespace is required.")
	}
	data, _ := in["MetricData"].(cbor.List)
	now := s.opts.Now().UTC()
	var out []MetricDatum
	for _, dv := range data {
		d, ok := dv.(cbor.Map)
		if !ok {
			return result{}, errf(http.StatusBadRequest, "SerializationException", "MetricData member is not a map")
		}
		base := MetricDatum{
			Namespace:  ns,
			Metric:     cborString(d["MetricName"]),
			Unit:       cborString(d["Unit"]),
			Dimensions: map[string]string{},
			Time:       now,
		}
		if base.Metric == "" {
			return result{}, errf(http.StatusBadRequest, "MissingParameter", "The parameter MetricData.member.MetricName is required.")
		}
		if dims, ok := d["Dimensions"].(cbor.List); ok {
			for _, dm := range dims {
				if m, ok := dm.(cbor.Map); ok {
					base.Dimensions[cborString(m["Name"])] = cborString(m["Value"])
				}
			}
		}
		if ts, ok := d["Timestamp"]; ok {
			t, err := cbor.AsTime(ts)
			if err != nil {
				return result{}, errf(http.StatusBadRequest, "SerializationException", "Timestamp: %v", err)
			}
			base.Time = t.UTC()
		}
		switch {
		case d["Value"] != nil:
			f, err := cbor.AsFloat64(d["Value"])
			if err != nil {
				return result{}, errf(http.StatusBadRequest, "SerializationException", "Value: %v", err)
			}
			base.Value = f
			out = append(out, base)
		case d["Values"] != nil:
			vals, _ := d["Values"].(cbor.List)
			for _, fv := range vals {
				f, err := cbor.AsFloat64(fv)
				if err != nil {
					return result{}, errf(http.StatusBadRequest, "SerializationException", "Values: %v", err)
				}
				dd := base
				dd.Value = f
				out = append(out, dd)
			}
		case d["StatisticValues"] != nil:
			sv, _ := d["StatisticValues"].(cbor.Map)
			f, _ := cbor.AsFloat64(sv["Sum"])
			base.Value = f
			out = append(out, base)
		default:
			out = append(out, base)
		}
	}
	l := s.metricLog()
	l.mu.Lock()
	l.data = append(l.data, out...)
	l.mu.Unlock()
	return cborResult(cbor.Map{}), nil
}

func cborString(v cbor.Value) string {
	if s, ok := v.(cbor.String); ok {
		return string(s)
	}
	return ""
}
