package awssim_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
)

type testBundle struct {
	endpoint string
	srv      *awssim.Server
	cfg      aws.Config
}

func setup(t *testing.T, opts awssim.Options) *testBundle {
	t.Helper()
	endpoint, srv := awssimtest.Start(t, opts)
	return &testBundle{endpoint: endpoint, srv: srv, cfg: configFor(t, endpoint)}
}

func configFor(t *testing.T, endpoint string) aws.Config { return awssimtest.Config(t, endpoint) }

// assumed returns a config acting in account id through sts:AssumeRole.
func (b *testBundle) assumed(id string) aws.Config {
	cfg := b.cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(b.cfg),
		"arn:aws:iam::"+id+":role/SecurityMonkey", func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "secmonkey" }))
	return cfg
}

func apiCode(t *testing.T, err error) string {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "not an API error: %v", err)
	return ae.ErrorCode()
}

func decodeDoc(t *testing.T, s *string) map[string]any {
	t.Helper()
	require.NotNil(t, s)
	raw, err := url.QueryUnescape(*s)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &doc), raw)
	return doc
}

func TestSTS(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 7})
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	require.Len(t, ids, 3)

	out, err := sts.NewFromConfig(b.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, ids[0], aws.ToString(out.Account), "base key acts in the first account")

	out, err = sts.NewFromConfig(b.assumed(ids[2])).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, ids[2], aws.ToString(out.Account))
	require.Equal(t, "arn:aws:sts::"+ids[2]+":assumed-role/SecurityMonkey/secmonkey", aws.ToString(out.Arn))

	ar, err := sts.NewFromConfig(b.cfg).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + ids[1] + ":role/x"), RoleSessionName: aws.String("s"),
	})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(aws.ToString(ar.Credentials.AccessKeyId), "ASIA"+ids[1]))
	require.NotNil(t, ar.Credentials.Expiration)

	_, err = sts.NewFromConfig(b.cfg).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::111122223333:role/x"), RoleSessionName: aws.String("s"),
	})
	require.Equal(t, "AccessDenied", apiCode(t, err))

	_, err = sts.NewFromConfig(b.cfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	require.Equal(t, "InvalidAction", apiCode(t, err))
}

func TestIAMGetAccountAuthorizationDetails(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 1, Items: 12})
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	client := iam.NewFromConfig(b.assumed(ids[1]))

	var (
		roles    []iamtypes.RoleDetail
		users    []iamtypes.UserDetail
		groups   []iamtypes.GroupDetail
		policies []iamtypes.ManagedPolicyDetail
		pages    int
	)
	p := iam.NewGetAccountAuthorizationDetailsPaginator(client, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(7)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		roles = append(roles, out.RoleDetailList...)
		users = append(users, out.UserDetailList...)
		groups = append(groups, out.GroupDetailList...)
		policies = append(policies, out.Policies...)
	}
	require.Len(t, roles, 12)
	require.Len(t, users, 12)
	require.Len(t, groups, 12)
	require.Len(t, policies, 12+3)
	require.Equal(t, (12*4+3+6)/7, pages)

	principals := map[string]bool{}
	for _, r := range roles {
		require.Contains(t, aws.ToString(r.Arn), "arn:aws:iam::"+ids[1]+":role/")
		require.True(t, strings.HasPrefix(aws.ToString(r.RoleId), "AROA"))
		require.NotNil(t, r.CreateDate)
		trust := decodeDoc(t, r.AssumeRolePolicyDocument)
		st := trust["Statement"].([]any)[0].(map[string]any)
		pj, err := json.Marshal(st["Principal"])
		require.NoError(t, err)
		principals[string(pj)] = true
		require.Len(t, r.RolePolicyList, 1)
		decodeDoc(t, r.RolePolicyList[0].PolicyDocument)
	}
	require.True(t, principals[`{"AWS":"*"}`])
	require.True(t, principals[`{"Service":"ec2.amazonaws.com"}`])
	require.True(t, principals[`{"AWS":"arn:aws:iam::`+ids[2]+`:root"}`], "another simulated account")
	require.True(t, principals[`{"AWS":"arn:aws:iam::`+ids[1]+`:root"}`], "same account")
	require.Len(t, roles[0].InstanceProfileList, 1)
	require.NotEmpty(t, roles[0].Tags)

	var withGroups, withInline int
	for _, u := range users {
		withGroups += min(len(u.GroupList), 1)
		withInline += min(len(u.UserPolicyList), 1)
	}
	require.Positive(t, withGroups)
	require.Positive(t, withInline)

	attached := 0
	for _, pol := range policies {
		require.NotEmpty(t, pol.PolicyVersionList)
		require.Equal(t, "v1", aws.ToString(pol.DefaultVersionId))
		decodeDoc(t, pol.PolicyVersionList[0].Document)
		attached += int(aws.ToInt32(pol.AttachmentCount))
	}
	require.Positive(t, attached)

	// Filter: roles only, default page size.
	out, err := client.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []iamtypes.EntityType{iamtypes.EntityTypeRole},
	})
	require.NoError(t, err)
	require.Len(t, out.RoleDetailList, 12)
	require.Empty(t, out.UserDetailList)
	require.False(t, out.IsTruncated)

	_, err = client.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(1001)})
	require.Equal(t, "ValidationError", apiCode(t, err))
}

func TestIAMUserOperations(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 3, Items: 8})
	ctx := context.Background()
	client := iam.NewFromConfig(b.cfg)

	users, err := client.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	require.Len(t, users.Users, 8)

	var keys, inactive, mfa, profiles, noProfile, certs int
	for _, u := range users.Users {
		name := u.UserName
		ak, err := client.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: name})
		require.NoError(t, err)
		for _, k := range ak.AccessKeyMetadata {
			keys++
			if k.Status == iamtypes.StatusTypeInactive {
				inactive++
			}
			lu, err := client.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
			require.NoError(t, err)
			require.Equal(t, aws.ToString(name), aws.ToString(lu.UserName))
			require.NotEmpty(t, aws.ToString(lu.AccessKeyLastUsed.ServiceName))
		}
		m, err := client.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: name})
		require.NoError(t, err)
		mfa += len(m.MFADevices)
		lp, err := client.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: name})
		if err != nil {
			require.Equal(t, "NoSuchEntity", apiCode(t, err))
			var nse *iamtypes.NoSuchEntityException
			require.ErrorAs(t, err, &nse)
			noProfile++
		} else {
			require.Equal(t, aws.ToString(name), aws.ToString(lp.LoginProfile.UserName))
			profiles++
		}
		c, err := client.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: name})
		require.NoError(t, err)
		certs += len(c.Certificates)
	}
	require.Positive(t, keys)
	require.Positive(t, inactive)
	require.Positive(t, mfa)
	require.Positive(t, profiles)
	require.Positive(t, noProfile)
	require.Positive(t, certs)
	require.Greater(t, profiles, mfa, "some console users lack MFA")

	_, err = client.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("nobody")})
	require.Equal(t, "NoSuchEntity", apiCode(t, err))

	ents, err := client.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	require.NoError(t, err)
	require.NotEmpty(t, ents.PolicyRoles)
	require.NotEmpty(t, ents.PolicyGroups)

	_, err = client.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	require.Equal(t, "ReportNotPresent", apiCode(t, err))
	gen, err := client.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	require.NoError(t, err)
	require.Equal(t, iamtypes.ReportStateTypeStarted, gen.State)
	gen, err = client.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	require.NoError(t, err)
	require.Equal(t, iamtypes.ReportStateTypeComplete, gen.State)
	rep, err := client.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	require.NoError(t, err)
	require.Equal(t, iamtypes.ReportFormatTypeTextCsv, rep.ReportFormat)
	rows, err := csv.NewReader(strings.NewReader(string(rep.Content))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+1+8)
	require.Equal(t, "access_key_1_last_used_date", rows[0][10])
	require.Equal(t, "<root_account>", rows[1][0])

	// GetGroup membership agrees with the users' GroupList in GAAD.
	gaad, err := client.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	require.NoError(t, err)
	want := map[string][]string{}
	for _, u := range gaad.UserDetailList {
		for _, g := range u.GroupList {
			want[g] = append(want[g], aws.ToString(u.UserName))
		}
	}
	require.NotEmpty(t, want)
	for _, g := range gaad.GroupDetailList {
		out, err := client.GetGroup(ctx, &iam.GetGroupInput{GroupName: g.GroupName})
		require.NoError(t, err)
		var got []string
		for _, u := range out.Users {
			got = append(got, aws.ToString(u.UserName))
		}
		require.Equal(t, want[aws.ToString(g.GroupName)], got, aws.ToString(g.GroupName))
	}
	_, err = client.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("nope")})
	require.Equal(t, "NoSuchEntity", apiCode(t, err))

	_, err = client.ListRoles(ctx, &iam.ListRolesInput{})
	require.Equal(t, "InvalidAction", apiCode(t, err))
}
