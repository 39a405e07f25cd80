package route53_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/route53"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, route53.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := route53.NewAuditor()
	const text = "Route53 public zone contains private record."
	for _, tc := range []struct {
		name, cfg string
		want      []audittest.Issue
	}{
		{"public address", `{"zoneprivate":false,"records":["52.1.2.3"]}`, nil},
		{"private address", `{"zoneprivate":false,"records":["10.1.2.3"]}`, []audittest.Issue{audittest.I(text, 1, "10.1.2.3")}},
		{"172.16/12", `{"zoneprivate":false,"records":["172.31.255.1","172.32.0.1"]}`, []audittest.Issue{audittest.I(text, 1, "172.31.255.1, 172.32.0.1")}},
		{"192.168 network", `{"zoneprivate":false,"records":["192.168.1.0/24"]}`, []audittest.Issue{audittest.I(text, 1, "192.168.1.0/24")}},
		{"network wider than RFC 1918", `{"zoneprivate":false,"records":["10.0.0.0/7"]}`, nil},
		{"internal load balancer", `{"zoneprivate":false,"records":["internal-web-1.us-east-1.elb.amazonaws.com"]}`,
			[]audittest.Issue{audittest.I(text, 1, "internal-web-1.us-east-1.elb.amazonaws.com")}},
		{"several hits, one issue", `{"zoneprivate":false,"records":["10.0.0.1","192.168.0.1","52.0.0.1"]}`,
			[]audittest.Issue{audittest.I(text, 1, "10.0.0.1, 192.168.0.1, 52.0.0.1")}},
		{"private zone", `{"zoneprivate":true,"records":["10.1.2.3"]}`, nil},
		{"zone without Config (Unknown is truthy)", `{"zoneprivate":"Unknown","records":["10.1.2.3"]}`, nil},
		{"no zoneprivate", `{"records":["10.1.2.3"]}`, []audittest.Issue{audittest.I(text, 1, "10.1.2.3")}},
		{"IPv6 and text", `{"zoneprivate":false,"records":["fd00::1","\"v=spf1 ~all\"","10 mail.example.com"]}`, nil},
		{"alias", `{"zoneprivate":false,"records":[],"ttl":null}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)}, &audit.Env{Context: audittest.Context(t)})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}
