package awssim

import (
	"net/http"

	"github.com/aws/smithy-go/encoding/cbor"
)

// serveCloudWatch speaks Smithy RPC v2 CBOR, the protocol of the
// cloudwatch client in go.mod (query-compatible: errors also carry the
// X-Amzn-Query-Error header).
func (s *Server) serveCloudWatch(req *request) *apiError {
	if req.op != "PutMetricData" {
		return errf(http.StatusNotFound, "UnknownOperationException", "Operation %s is not supported by the simulator", req.op)
	}
	v, err := cbor.Decode(req.body)
	if err != nil {
		return errf(http.StatusBadRequest, "SerializationException", "decode CBOR body: %v", err)
	}
	in, ok := v.(cbor.Map)
	if !ok {
		return errf(http.StatusBadRequest, "SerializationException", "body is not a CBOR map")
	}
	ns := cborString(in["Namespace"])
	if ns == "" {
		return errf(http.StatusBadRequest, "MissingParameter", "The parameter Namespace is required.")
	}
	data, _ := in["MetricData"].(cbor.List)
	now := s.opts.Now().UTC()
	var out []MetricDatum
	for _, dv := range data {
		d, ok := dv.(cbor.Map)
		if !ok {
			return errf(http.StatusBadRequest, "SerializationException", "MetricData member is not a map")
		}
		base := MetricDatum{
			Namespace:  ns,
			Metric:     cborString(d["MetricName"]),
			Unit:       cborString(d["Unit"]),
			Dimensions: map[string]string{},
			Time:       now,
		}
		if base.Metric == "" {
			return errf(http.StatusBadRequest, "MissingParameter", "The parameter MetricData.member.MetricName is required.")
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
				return errf(http.StatusBadRequest, "SerializationException", "Timestamp: %v", err)
			}
			base.Time = t.UTC()
		}
		switch {
		case d["Value"] != nil:
			f, err := cbor.AsFloat64(d["Value"])
			if err != nil {
				return errf(http.StatusBadRequest, "SerializationException", "Value: %v", err)
			}
			base.Value = f
			out = append(out, base)
		case d["Values"] != nil:
			vals, _ := d["Values"].(cbor.List)
			for _, fv := range vals {
				f, err := cbor.AsFloat64(fv)
				if err != nil {
					return errf(http.StatusBadRequest, "SerializationException", "Values: %v", err)
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
	s.cwMu.Lock()
	s.cwLog = append(s.cwLog, out...)
	s.cwMu.Unlock()
	h := req.w.Header()
	h.Set("Content-Type", "application/cbor")
	h.Set("Smithy-Protocol", "rpc-v2-cbor")
	h.Set("X-Amzn-RequestId", req.reqID)
	req.w.WriteHeader(http.StatusOK)
	_, _ = req.w.Write(cbor.Encode(cbor.Map{}))
	return nil
}

func cborString(v cbor.Value) string {
	if s, ok := v.(cbor.String); ok {
		return string(s)
	}
	return ""
}
