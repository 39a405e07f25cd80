package elb

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

// raw is what the watcher reads about one load balancer.
type raw struct {
	LB         *types.LoadBalancerDescription
	Attributes *types.LoadBalancerAttributes
	Tags       []types.Tag
	Policies   []types.PolicyDescription // the policies its listeners name
}

// lbARN is the load balancer's ARN (the reference hard-coded the partition).
func lbARN(region, account, name string) string {
	return "arn:aws:elasticloadbalancing:" + region + ":" + account + ":loadbalancer/" + name
}

// normalize builds the stored config (technologies.md A.11): every
// DescribeLoadBalancers field in API casing, CreatedTime PY-STR, the
// listeners flattened with their policy names, Instances as the instance
// detail asks, the attributes, tags and reformatted listener policies.
func normalize(r *raw, region, account, detail string) monkey.Config {
	lb := r.LB
	cfg := monkey.Config(awsclient.Passthrough(lb).(map[string]any))
	cfg["CreatedTime"] = awsclient.PyStr(lb.CreatedTime)
	listeners := make([]any, 0, len(lb.ListenerDescriptions))
	for _, ld := range lb.ListenerDescriptions {
		l := map[string]any{}
		if ld.Listener != nil {
			l = awsclient.Passthrough(ld.Listener).(map[string]any)
		}
		names := make([]any, len(ld.PolicyNames))
		for i, n := range ld.PolicyNames {
			names[i] = n
		}
		l["PolicyNames"] = names
		listeners = append(listeners, l)
	}
	cfg["ListenerDescriptions"] = listeners
	switch detail {
	case securitygroup.DetailNone:
		delete(cfg, "Instances")
	case securitygroup.DetailSummary:
		cfg["Instances"] = fmt.Sprintf("%d Instance(s)", len(lb.Instances))
	default:
		cfg["Instances"] = awsclient.Passthrough(lb.Instances)
	}
	cfg["Attributes"] = map[string]any{}
	if r.Attributes != nil {
		cfg["Attributes"] = awsclient.Passthrough(r.Attributes)
	}
	cfg["Tags"] = awsclient.Passthrough(r.Tags)
	policies := map[string]any{}
	for _, p := range r.Policies {
		policies[aws.ToString(p.PolicyName)] = reformatPolicy(&p)
	}
	cfg["PolicyDescriptions"] = policies
	cfg["Arn"] = lbARN(region, account, aws.ToString(lb.LoadBalancerName))
	cfg["Region"] = region
	cfg["_version"] = 2
	return cfg
}

// nonCiphers are the SSL negotiation attributes that are no cipher.
var nonCiphers = map[string]bool{
	"Server-Defined-Cipher-Order": true, "Protocol-SSLv2": true, "Protocol-SSLv3": true, "Protocol-TLSv1": true,
	"Protocol-TLSv1.1": true, "Protocol-TLSv1.2": true, "Reference-Security-Policy": true,
}

// reformatPolicy is CloudAux's policy summary: {"type"} for any policy, and
// for an SSL negotiation policy its protocols, cipher order, reference
// policy and the ciphers set to "true". A boolean is value == "true" (the
// reference's truthiness test made "false" true; technologies.md A.11).
func reformatPolicy(p *types.PolicyDescription) map[string]any {
	out := map[string]any{"type": aws.ToString(p.PolicyTypeName)}
	if aws.ToString(p.PolicyTypeName) != "SSLNegotiationPolicyType" {
		return out
	}
	attrs := map[string]string{}
	for _, a := range p.PolicyAttributeDescriptions {
		attrs[aws.ToString(a.AttributeName)] = aws.ToString(a.AttributeValue)
	}
	is := func(k string) bool { return attrs[k] == "true" }
	out["protocols"] = map[string]any{
		"sslv2": is("Protocol-SSLv2"), "sslv3": is("Protocol-SSLv3"), "tlsv1": is("Protocol-TLSv1"),
		"tlsv1_1": is("Protocol-TLSv1.1"), "tlsv1_2": is("Protocol-TLSv1.2"),
	}
	out["server_defined_cipher_order"] = is("Server-Defined-Cipher-Order")
	var ref any
	if v, ok := attrs["Reference-Security-Policy"]; ok {
		ref = v
	}
	out["reference_security_policy"] = ref
	var ciphers []string
	for k, v := range attrs {
		if v == "true" && !nonCiphers[k] {
			ciphers = append(ciphers, k)
		}
	}
	sort.Strings(ciphers)
	list := make([]any, len(ciphers))
	for i, c := range ciphers {
		list[i] = c
	}
	out["supported_ciphers"] = list
	return out
}
