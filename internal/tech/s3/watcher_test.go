package s3

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

const (
	ownerID  = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
	allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
	logDeliv = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

var day = time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)

func notConf(code string) error {
	return &smithy.GenericAPIError{Code: code, Message: "not configured"}
}

// fullRaw is a bucket with every configuration set.
func fullRaw() *raw {
	return &raw{
		Name: "logs", Region: "eu-west-1",
		ACL: &s3.GetBucketAclOutput{
			Owner: &types.Owner{ID: aws.String(ownerID), DisplayName: aws.String("owner")},
			Grants: []types.Grant{
				{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(ownerID), DisplayName: aws.String("owner")}, Permission: types.PermissionWrite},
				{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(ownerID), DisplayName: aws.String("owner")}, Permission: types.PermissionFullControl},
				{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(allUsers)}, Permission: types.PermissionRead},
				{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(logDeliv)}, Permission: types.PermissionWrite},
			},
		},
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*"}]}`),
		Lifecycle: []types.LifecycleRule{{
			ID: aws.String("archive"), Status: types.ExpirationStatusEnabled,
			Filter:      &types.LifecycleRuleFilter{Prefix: aws.String("old/")},
			Transitions: []types.Transition{{Date: aws.Time(day), StorageClass: types.TransitionStorageClassGlacier}},
			Expiration:  &types.LifecycleExpiration{Days: aws.Int32(365)},
		}},
		Logging: &s3.GetBucketLoggingOutput{LoggingEnabled: &types.LoggingEnabled{
			TargetBucket: aws.String("central-logs"), TargetPrefix: aws.String("logs/"),
			TargetGrants: []types.TargetGrant{
				{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(logDeliv)}, Permission: types.BucketLogsPermissionWrite},
				{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(ownerID), DisplayName: aws.String("owner")}, Permission: types.BucketLogsPermissionFullControl},
				{Grantee: &types.Grantee{Type: types.TypeAmazonCustomerByEmail, EmailAddress: aws.String("a@example.com")}, Permission: types.BucketLogsPermissionRead},
			},
		}},
		Tags:       &s3.GetBucketTaggingOutput{TagSet: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}},
		Versioning: &s3.GetBucketVersioningOutput{Status: types.BucketVersioningStatusEnabled, MFADelete: types.MFADeleteStatusDisabled},
		Website:    &s3.GetBucketWebsiteOutput{IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}},
		Cors:       []types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}, MaxAgeSeconds: aws.Int32(300)}},
		Notifications: &s3.GetBucketNotificationConfigurationOutput{TopicConfigurations: []types.TopicConfiguration{{
			Id: aws.String("n1"), TopicArn: aws.String("arn:aws:sns:eu-west-1:123456789012:t"), Events: []types.Event{"s3:ObjectCreated:*"},
		}}},
		Acceleration: "Enabled",
		Replication: &types.ReplicationConfiguration{Role: aws.String("arn:aws:iam::123456789012:role/repl"), Rules: []types.ReplicationRule{{
			Status: types.ReplicationRuleStatusEnabled, Destination: &types.Destination{Bucket: aws.String("arn:aws:s3:::dst")}, ID: aws.String("r1"),
		}}},
		Metrics: []types.MetricsConfiguration{{Id: aws.String("all")}},
	}
}

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  *raw
	}{
		{"full", fullRaw()},
		{"empty", &raw{Name: "bare", Region: "us-east-1",
			ACL:           &s3.GetBucketAclOutput{Owner: &types.Owner{ID: aws.String(ownerID)}},
			Logging:       &s3.GetBucketLoggingOutput{},
			Versioning:    &s3.GetBucketVersioningOutput{},
			Notifications: &s3.GetBucketNotificationConfigurationOutput{},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(tc.raw)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
}

func TestRegion(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "us-east-1", "EU": "eu-west-1", "APNortheast": "ap-northeast-1", "APSoutheast": "ap-southeast-1",
		"APSoutheast2": "ap-southeast-2", "SAEast": "sa-east-1", "eu-central-1": "eu-central-1",
	} {
		require.Equal(t, want, bucketRegion(in), in)
	}
}

// bucket is one fake bucket; zero values answer "not configured".
type bucket struct {
	location string
	raw      *raw
	fail     map[string]error // operation → error
}

type fakeWorld struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	listErr error
	clients map[string]int            // region → clients built
	calls   map[string]map[string]int // region → op → n
}

type fakeS3 struct {
	w      *fakeWorld
	region string
}

func (f *fakeS3) enter(op, name string) (*bucket, error) {
	f.w.mu.Lock()
	defer f.w.mu.Unlock()
	if f.w.calls[f.region] == nil {
		f.w.calls[f.region] = map[string]int{}
	}
	f.w.calls[f.region][op]++
	b := f.w.buckets[name]
	if b == nil {
		return nil, &smithy.GenericAPIError{Code: "NoSuchBucket"}
	}
	if op != "GetBucketLocation" && bucketRegion(b.location) != f.region {
		return nil, &smithy.GenericAPIError{Code: "PermanentRedirect", Message: "wrong region " + f.region}
	}
	return b, b.fail[op]
}

func (f *fakeS3) ListBuckets(context.Context, *s3.ListBucketsInput, ...func(*s3.Options)) (*s3.ListBucketsOutput, error) {
	if f.w.listErr != nil {
		return nil, f.w.listErr
	}
	out := &s3.ListBucketsOutput{}
	for name := range f.w.buckets {
		out.Buckets = append(out.Buckets, types.Bucket{Name: aws.String(name)})
	}
	return out, nil
}

func (f *fakeS3) GetBucketLocation(_ context.Context, in *s3.GetBucketLocationInput, _ ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error) {
	b, err := f.enter("GetBucketLocation", *in.Bucket)
	if err != nil {
		return nil, err
	}
	return &s3.GetBucketLocationOutput{LocationConstraint: types.BucketLocationConstraint(b.location)}, nil
}

func (f *fakeS3) GetBucketAcl(_ context.Context, in *s3.GetBucketAclInput, _ ...func(*s3.Options)) (*s3.GetBucketAclOutput, error) {
	b, err := f.enter("GetBucketAcl", *in.Bucket)
	if err != nil {
		return nil, err
	}
	return b.raw.ACL, nil
}

func (f *fakeS3) GetBucketPolicy(_ context.Context, in *s3.GetBucketPolicyInput, _ ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	b, err := f.enter("GetBucketPolicy", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Policy == nil {
		return nil, notConf("NoSuchBucketPolicy")
	}
	return &s3.GetBucketPolicyOutput{Policy: b.raw.Policy}, nil
}

func (f *fakeS3) GetBucketLifecycleConfiguration(_ context.Context, in *s3.GetBucketLifecycleConfigurationInput, _ ...func(*s3.Options)) (*s3.GetBucketLifecycleConfigurationOutput, error) {
	b, err := f.enter("GetBucketLifecycleConfiguration", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Lifecycle == nil {
		return nil, notConf("NoSuchLifecycleConfiguration")
	}
	return &s3.GetBucketLifecycleConfigurationOutput{Rules: b.raw.Lifecycle}, nil
}

func (f *fakeS3) GetBucketLogging(_ context.Context, in *s3.GetBucketLoggingInput, _ ...func(*s3.Options)) (*s3.GetBucketLoggingOutput, error) {
	b, err := f.enter("GetBucketLogging", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Logging == nil {
		return &s3.GetBucketLoggingOutput{}, nil
	}
	return b.raw.Logging, nil
}

func (f *fakeS3) GetBucketTagging(_ context.Context, in *s3.GetBucketTaggingInput, _ ...func(*s3.Options)) (*s3.GetBucketTaggingOutput, error) {
	b, err := f.enter("GetBucketTagging", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Tags == nil {
		return nil, notConf("NoSuchTagSet")
	}
	return b.raw.Tags, nil
}

func (f *fakeS3) GetBucketVersioning(_ context.Context, in *s3.GetBucketVersioningInput, _ ...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error) {
	b, err := f.enter("GetBucketVersioning", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Versioning == nil {
		return &s3.GetBucketVersioningOutput{}, nil
	}
	return b.raw.Versioning, nil
}

func (f *fakeS3) GetBucketWebsite(_ context.Context, in *s3.GetBucketWebsiteInput, _ ...func(*s3.Options)) (*s3.GetBucketWebsiteOutput, error) {
	b, err := f.enter("GetBucketWebsite", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Website == nil {
		return nil, notConf("NoSuchWebsiteConfiguration")
	}
	return b.raw.Website, nil
}

func (f *fakeS3) GetBucketCors(_ context.Context, in *s3.GetBucketCorsInput, _ ...func(*s3.Options)) (*s3.GetBucketCorsOutput, error) {
	b, err := f.enter("GetBucketCors", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Cors == nil {
		return nil, notConf("NoSuchCORSConfiguration")
	}
	return &s3.GetBucketCorsOutput{CORSRules: b.raw.Cors}, nil
}

func (f *fakeS3) GetBucketNotificationConfiguration(_ context.Context, in *s3.GetBucketNotificationConfigurationInput, _ ...func(*s3.Options)) (*s3.GetBucketNotificationConfigurationOutput, error) {
	b, err := f.enter("GetBucketNotificationConfiguration", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Notifications == nil {
		return &s3.GetBucketNotificationConfigurationOutput{}, nil
	}
	return b.raw.Notifications, nil
}

func (f *fakeS3) GetBucketAccelerateConfiguration(_ context.Context, in *s3.GetBucketAccelerateConfigurationInput, _ ...func(*s3.Options)) (*s3.GetBucketAccelerateConfigurationOutput, error) {
	b, err := f.enter("GetBucketAccelerateConfiguration", *in.Bucket)
	if err != nil {
		return nil, err
	}
	return &s3.GetBucketAccelerateConfigurationOutput{Status: types.BucketAccelerateStatus(b.raw.Acceleration)}, nil
}

func (f *fakeS3) GetBucketReplication(_ context.Context, in *s3.GetBucketReplicationInput, _ ...func(*s3.Options)) (*s3.GetBucketReplicationOutput, error) {
	b, err := f.enter("GetBucketReplication", *in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.raw.Replication == nil {
		return nil, notConf("ReplicationConfigurationNotFoundError")
	}
	return &s3.GetBucketReplicationOutput{ReplicationConfiguration: b.raw.Replication}, nil
}

func (f *fakeS3) ListBucketAnalyticsConfigurations(_ context.Context, in *s3.ListBucketAnalyticsConfigurationsInput, _ ...func(*s3.Options)) (*s3.ListBucketAnalyticsConfigurationsOutput, error) {
	b, err := f.enter("ListBucketAnalyticsConfigurations", *in.Bucket)
	if err != nil {
		return nil, err
	}
	return &s3.ListBucketAnalyticsConfigurationsOutput{AnalyticsConfigurationList: b.raw.Analytics}, nil
}

// ListBucketMetricsConfigurations pages one configuration at a time.
func (f *fakeS3) ListBucketMetricsConfigurations(_ context.Context, in *s3.ListBucketMetricsConfigurationsInput, _ ...func(*s3.Options)) (*s3.ListBucketMetricsConfigurationsOutput, error) {
	b, err := f.enter("ListBucketMetricsConfigurations", *in.Bucket)
	if err != nil {
		return nil, err
	}
	list := b.raw.Metrics
	if in.ContinuationToken != nil {
		list = list[1:]
	}
	out := &s3.ListBucketMetricsConfigurationsOutput{MetricsConfigurationList: list}
	if len(list) > 1 {
		out.MetricsConfigurationList = list[:1]
		out.IsTruncated = aws.Bool(true)
		out.NextContinuationToken = aws.String("next")
	}
	return out, nil
}

func (f *fakeS3) ListBucketInventoryConfigurations(_ context.Context, in *s3.ListBucketInventoryConfigurationsInput, _ ...func(*s3.Options)) (*s3.ListBucketInventoryConfigurationsOutput, error) {
	b, err := f.enter("ListBucketInventoryConfigurations", *in.Bucket)
	if err != nil {
		return nil, err
	}
	return &s3.ListBucketInventoryConfigurationsOutput{InventoryConfigurationList: b.raw.Inventory}, nil
}

func newWorld() *fakeWorld {
	full := fullRaw()
	full.Metrics = append(full.Metrics, types.MetricsConfiguration{Id: aws.String("second")})
	return &fakeWorld{
		clients: map[string]int{}, calls: map[string]map[string]int{},
		buckets: map[string]*bucket{
			"logs":    {location: "EU", raw: full},
			"bare":    {location: "", raw: &raw{ACL: &s3.GetBucketAclOutput{Owner: &types.Owner{ID: aws.String(ownerID)}}}},
			"sydney":  {location: "ap-southeast-2", raw: &raw{ACL: &s3.GetBucketAclOutput{Owner: &types.Owner{ID: aws.String(ownerID)}}}},
			"denied":  {location: "us-west-2", raw: &raw{}, fail: map[string]error{"GetBucketLocation": &smithy.GenericAPIError{Code: "AccessDenied"}}},
			"noacl":   {location: "us-west-2", raw: &raw{}, fail: map[string]error{"GetBucketAcl": &smithy.GenericAPIError{Code: "AccessDenied"}}},
			"broken":  {location: "us-west-2", raw: &raw{ACL: &s3.GetBucketAclOutput{}}, fail: map[string]error{"GetBucketCors": errors.New("connection reset")}},
			"skip-me": {location: "", raw: &raw{}},
		},
	}
}

func (w *fakeWorld) watcher() *Watcher {
	return NewWatcher(WithConcurrency(3), withClient(func(c aws.Config) s3API {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.clients[c.Region]++
		return &fakeS3{w: w, region: c.Region}
	}))
}

func scope() watch.Scope {
	s := watchtest.FakeScope(monkey.Account{Name: "prod", Identifier: "123456789012", Type: "AWS"})
	s.Ignore = []string{"SKIP-"}
	return s
}

func TestWatcherCollect(t *testing.T) {
	t.Parallel()
	w := newWorld()
	res, err := w.watcher().Collect(context.Background(), scope())
	require.NoError(t, err)

	got := map[string]string{}
	for _, it := range res.Items {
		got[it.Name] = it.Region
		require.Equal(t, "arn:aws:s3:::"+it.Name, it.ARN)
		require.Equal(t, it.Region, it.Config["Region"])
	}
	require.Equal(t, map[string]string{"bare": "us-east-1", "logs": "eu-west-1", "sydney": "ap-southeast-2"}, got)

	failed := map[string]string{}
	for _, f := range res.Failures {
		require.Empty(t, f.Region, "bucket failures cover every region")
		failed[f.Name] = awsErrCode(f.Err)
	}
	require.Equal(t, map[string]string{"denied": "AccessDenied", "noacl": "AccessDenied", "broken": ""}, failed)

	require.Equal(t, map[string]int{"us-east-1": 1, "eu-west-1": 1, "ap-southeast-2": 1, "us-west-2": 1}, w.clients,
		"one client per region")
	require.Equal(t, 6, w.calls["us-east-1"]["GetBucketLocation"], "ignored bucket gets no call")
	require.Equal(t, 2, w.calls["eu-west-1"]["ListBucketMetricsConfigurations"], "paginated")
	for _, it := range res.Items {
		if it.Name == "logs" {
			require.Len(t, it.Config["MetricsConfigurations"], 2)
		}
		if it.Name == "bare" {
			require.Nil(t, it.Config["Policy"])
			require.Nil(t, it.Config["Tags"])
			require.Nil(t, it.Config["Website"])
			require.Equal(t, []any{}, it.Config["Cors"])
			require.Equal(t, map[string]any{}, it.Config["Replication"])
		}
	}
}

func awsErrCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestWatcherListFails(t *testing.T) {
	t.Parallel()
	w := newWorld()
	w.listErr = &smithy.GenericAPIError{Code: "AccessDenied"}
	res, err := w.watcher().Collect(context.Background(), scope())
	require.NoError(t, err)
	require.Empty(t, res.Items)
	require.Len(t, res.Failures, 1)
	require.Equal(t, watch.Failure{Err: res.Failures[0].Err}, res.Failures[0])
}

func TestWatcherConformance(t *testing.T) {
	t.Parallel()
	w := newWorld()
	for _, n := range []string{"denied", "noacl", "broken"} {
		delete(w.buckets, n)
	}
	watchtest.Run(t, w.watcher(), scope())
}

var s3Keys = []string{"Arn", "Name", "Region", "Owner", "Grants", "GrantReferences", "Policy", "LifecycleRules", "Logging",
	"Tags", "Versioning", "Website", "Cors", "Notifications", "Acceleration", "Replication", "AnalyticsConfigurations",
	"MetricsConfigurations", "InventoryConfigurations", "_version"}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 10
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 16, Items: items})
	for i := range 2 {
		scope := sim.Scope(t, i)
		before := sim.Client.Calls()
		res := watchtest.Run(t, NewWatcher(), scope)
		after := sim.Client.Calls()
		require.Len(t, res.Items, items)
		regions := map[string]int{}
		public, policies := 0, 0
		for _, it := range res.Items {
			regions[it.Region]++
			watchtest.RequireKeys(t, it.Config, s3Keys, nil)
			require.Equal(t, it.Region, it.Config["Region"])
			require.Equal(t, "arn:aws:s3:::"+it.Name, it.ARN)
			for grantee, perms := range it.Config["Grants"].(map[string]any) {
				if grantee == "http://acs.amazonaws.com/groups/global/AllUsers" {
					public++
				}
				ps := []string{}
				for _, p := range perms.([]any) {
					ps = append(ps, p.(string))
				}
				require.IsNonDecreasing(t, ps, "sorted permissions")
			}
			if it.Config["Policy"] != nil {
				policies++
				require.IsType(t, map[string]any{}, it.Config["Policy"])
			}
		}
		require.Len(t, regions, 3, "legacy and empty constraints mapped: %v", regions)
		require.Positive(t, public)
		require.Positive(t, policies)
		require.Equal(t, int64(1), after["s3.ListBuckets"]-before["s3.ListBuckets"])
		require.Equal(t, int64(items), after["s3.GetBucketAcl"]-before["s3.GetBucketAcl"])
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 16, Items: 6})
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 2, "the eu-west-1 buckets")
		for _, f := range res.Failures {
			require.Empty(t, f.Region)
			require.NotEmpty(t, f.Name)
		}
		require.Len(t, res.Items, 4)
		for _, it := range res.Items {
			require.NotEqual(t, "eu-west-1", it.Region)
		}
	})
	t.Run("s3 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 16, Items: 3}, "s3", "us-east-1", "any")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		// The adaptive retryer's client-side rate limiter falls to ~1
		// request/s per client under random throttling: keep this small.
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 16, Items: 3})
		require.Len(t, got.Items, 3)
	})
}
