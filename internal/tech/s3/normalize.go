package s3

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// configVersion is the stored `_version` of s3 configs.
const configVersion = 9

// raw is what the per-bucket calls returned; nil fields are "not
// configured".
type raw struct {
	Name, Region  string
	ACL           *s3.GetBucketAclOutput
	Policy        *string
	Lifecycle     []types.LifecycleRule
	Logging       *s3.GetBucketLoggingOutput
	Tags          *s3.GetBucketTaggingOutput
	Versioning    *s3.GetBucketVersioningOutput
	Website       *s3.GetBucketWebsiteOutput
	Cors          []types.CORSRule
	Notifications *s3.GetBucketNotificationConfigurationOutput
	Acceleration  string
	Replication   *types.ReplicationConfiguration
	Analytics     []types.AnalyticsConfiguration
	Metrics       []types.MetricsConfiguration
	Inventory     []types.InventoryConfiguration
}

// legacyRegions maps old GetBucketLocation constraints to region names.
var legacyRegions = map[string]string{
	"":             "us-east-1",
	"US":           "us-east-1",
	"EU":           "eu-west-1",
	"APNortheast":  "ap-northeast-1",
	"APSoutheast":  "ap-southeast-1",
	"APSoutheast2": "ap-southeast-2",
	"SAEast":       "sa-east-1",
}

// bucketRegion maps a GetBucketLocation constraint to the bucket's region.
func bucketRegion(constraint string) string {
	if r, ok := legacyRegions[constraint]; ok {
		return r
	}
	return constraint
}

// bucketARN is the bucket ARN; the partition is hard-coded "aws" as CloudAux did.
func bucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }

// normalize builds the stored config (technologies.md A.5) of one bucket.
func normalize(r *raw) (monkey.Config, error) {
	owner := map[string]any{}
	grants := map[string]any{}
	refs := map[string]any{}
	if r.ACL != nil {
		if r.ACL.Owner != nil {
			owner["ID"] = aws.ToString(r.ACL.Owner.ID)
		}
		perms := map[string][]string{}
		for _, g := range r.ACL.Grants {
			if g.Grantee == nil {
				continue
			}
			key := grantee(g.Grantee)
			perms[key] = append(perms[key], string(g.Permission))
			if g.Grantee.ID != nil && g.Grantee.DisplayName != nil {
				refs[*g.Grantee.ID] = *g.Grantee.DisplayName
			}
		}
		for k, p := range perms {
			sort.Strings(p)
			l := make([]any, len(p))
			for i, v := range p {
				l[i] = v
			}
			grants[k] = l
		}
	}

	var policy any
	if r.Policy != nil {
		doc, err := awsclient.PolicyDocument(*r.Policy)
		if err != nil {
			return nil, fmt.Errorf("bucket %s policy: %w", r.Name, err)
		}
		policy = doc
	}

	lifecycle := make([]any, 0, len(r.Lifecycle))
	for _, rule := range r.Lifecycle {
		lifecycle = append(lifecycle, awsclient.Passthrough(rule))
	}

	logging := map[string]any{}
	if r.Logging != nil && r.Logging.LoggingEnabled != nil {
		le := r.Logging.LoggingEnabled
		lg := make([]any, 0, len(le.TargetGrants))
		for _, g := range le.TargetGrants {
			m := map[string]any{"Permission": string(g.Permission)}
			if ge := g.Grantee; ge != nil {
				m["Type"] = string(ge.Type)
				switch ge.Type {
				case types.TypeCanonicalUser:
					m["DisplayName"] = aws.ToString(ge.DisplayName)
				case types.TypeGroup:
					m["GroupUri"] = aws.ToString(ge.URI)
				default:
					m["Email"] = aws.ToString(ge.EmailAddress)
				}
			}
			lg = append(lg, m)
		}
		logging = map[string]any{
			"Enabled": true,
			"Prefix":  aws.ToString(le.TargetPrefix),
			"Target":  aws.ToString(le.TargetBucket),
			"Grants":  lg,
		}
	}

	var tags any
	if r.Tags != nil {
		m := make(map[string]any, len(r.Tags.TagSet))
		for _, t := range r.Tags.TagSet {
			m[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		tags = m
	}

	versioning := map[string]any{}
	if v := r.Versioning; v != nil {
		if v.Status != "" {
			versioning["Status"] = string(v.Status)
		}
		if v.MFADelete != "" {
			versioning["MFADelete"] = string(v.MFADelete)
		}
	}

	var website any
	if w := r.Website; w != nil {
		m := map[string]any{}
		if w.IndexDocument != nil {
			m["IndexDocument"] = awsclient.Passthrough(w.IndexDocument)
		}
		if w.ErrorDocument != nil {
			m["ErrorDocument"] = awsclient.Passthrough(w.ErrorDocument)
		}
		if w.RedirectAllRequestsTo != nil {
			m["RedirectAllRequestsTo"] = awsclient.Passthrough(w.RedirectAllRequestsTo)
		}
		if w.RoutingRules != nil {
			m["RoutingRules"] = awsclient.Passthrough(w.RoutingRules)
		}
		website = m
	}

	cors := make([]any, 0, len(r.Cors))
	for _, c := range r.Cors {
		m := map[string]any{}
		if c.AllowedHeaders != nil {
			m["AllowedHeaders"] = awsclient.Passthrough(c.AllowedHeaders)
		}
		if c.AllowedMethods != nil {
			m["AllowedMethods"] = awsclient.Passthrough(c.AllowedMethods)
		}
		if c.AllowedOrigins != nil {
			m["AllowedOrigins"] = awsclient.Passthrough(c.AllowedOrigins)
		}
		if c.ExposeHeaders != nil {
			m["ExposeHeaders"] = awsclient.Passthrough(c.ExposeHeaders)
		}
		if c.MaxAgeSeconds != nil {
			m["MaxAgeSeconds"] = int(*c.MaxAgeSeconds)
		}
		cors = append(cors, m)
	}

	notifications := map[string]any{}
	if n := r.Notifications; n != nil {
		if len(n.TopicConfigurations) > 0 {
			notifications["TopicConfigurations"] = awsclient.Passthrough(n.TopicConfigurations)
		}
		if len(n.QueueConfigurations) > 0 {
			notifications["QueueConfigurations"] = awsclient.Passthrough(n.QueueConfigurations)
		}
		if len(n.LambdaFunctionConfigurations) > 0 {
			notifications["LambdaFunctionConfigurations"] = awsclient.Passthrough(n.LambdaFunctionConfigurations)
		}
	}

	var accel any
	if r.Acceleration != "" {
		accel = r.Acceleration
	}
	replication := map[string]any{}
	if r.Replication != nil {
		replication = awsclient.Passthrough(r.Replication).(map[string]any)
	}

	return monkey.Config{
		"Arn":                     bucketARN(r.Name),
		"Name":                    r.Name,
		"Region":                  r.Region,
		"Owner":                   owner,
		"Grants":                  grants,
		"GrantReferences":         refs,
		"Policy":                  policy,
		"LifecycleRules":          lifecycle,
		"Logging":                 logging,
		"Tags":                    tags,
		"Versioning":              versioning,
		"Website":                 website,
		"Cors":                    cors,
		"Notifications":           notifications,
		"Acceleration":            accel,
		"Replication":             replication,
		"AnalyticsConfigurations": list(r.Analytics),
		"MetricsConfigurations":   list(r.Metrics),
		"InventoryConfigurations": list(r.Inventory),
		"_version":                configVersion,
	}, nil
}

// grantee is the Grants key: the canonical user ID, else the group URI,
// else the e-mail address.
func grantee(g *types.Grantee) string {
	switch {
	case g.Type == types.TypeCanonicalUser || (g.ID != nil && g.URI == nil):
		return aws.ToString(g.ID)
	case g.URI != nil:
		return *g.URI
	}
	return aws.ToString(g.EmailAddress)
}

func list[T any](in []T) []any {
	out := make([]any, len(in))
	for i := range in {
		out[i] = awsclient.Passthrough(in[i])
	}
	return out
}
