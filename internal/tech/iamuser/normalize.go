package iamuser

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// configVersion is the stored `_version` of iamuser configs.
const configVersion = 2

// details is what the per-user calls and the credential report returned.
type details struct {
	report *reportRow // nil: user not in the report
	// PasswordLastUsed from ListUsers, used when report is nil.
	PasswordLastUsed *time.Time
	AccessKeys       []types.AccessKeyMetadata
	LastUsed         map[string]*types.AccessKeyLastUsed // by key id, for keys the report could not match
	MFADevices       []types.MFADevice
	LoginProfile     *types.LoginProfile // nil: no console password
	Certificates     []types.SigningCertificate
}

// normalize builds the stored config (technologies.md A.2) of one user.
// PasswordLastUsed comes from the credential report (GAAD has no such
// attribute) or, for users without a report row, from ListUsers; it is
// absent when neither has a date.
func normalize(u *types.UserDetail, d details) (monkey.Config, error) {
	name := aws.ToString(u.UserName)
	inline := make(map[string]any, len(u.UserPolicyList))
	for _, p := range u.UserPolicyList {
		doc, err := awsclient.PolicyDocumentPtr(p.PolicyDocument)
		if err != nil {
			return nil, fmt.Errorf("user %s inline policy %s: %w", name, aws.ToString(p.PolicyName), err)
		}
		inline[aws.ToString(p.PolicyName)] = doc
	}
	managed := make([]any, 0, len(u.AttachedManagedPolicies))
	for _, p := range u.AttachedManagedPolicies {
		managed = append(managed, map[string]any{"name": aws.ToString(p.PolicyName), "arn": aws.ToString(p.PolicyArn)})
	}

	keys := make([]any, 0, len(d.AccessKeys))
	for _, k := range d.AccessKeys {
		key := map[string]any{
			"UserName":    aws.ToString(k.UserName),
			"AccessKeyId": aws.ToString(k.AccessKeyId),
			"Status":      string(k.Status),
			"CreateDate":  awsclient.PyStr(k.CreateDate),
		}
		if slot := d.report.keySlot(k.CreateDate); slot != nil {
			if slot.LastUsed != nil {
				key["LastUsedDate"] = awsclient.PyStr(slot.LastUsed)
			}
			key["ServiceName"] = orNA(slot.Service)
			key["Region"] = orNA(slot.Region)
		} else if lu := d.LastUsed[aws.ToString(k.AccessKeyId)]; lu != nil {
			if lu.LastUsedDate != nil {
				key["LastUsedDate"] = awsclient.PyStr(lu.LastUsedDate)
			}
			key["ServiceName"] = orNA(aws.ToString(lu.ServiceName))
			key["Region"] = orNA(aws.ToString(lu.Region))
		}
		keys = append(keys, key)
	}

	mfa := make(map[string]any, len(d.MFADevices))
	for _, m := range d.MFADevices {
		mfa[aws.ToString(m.SerialNumber)] = map[string]any{
			"UserName":     aws.ToString(m.UserName),
			"SerialNumber": aws.ToString(m.SerialNumber),
			"EnableDate":   awsclient.PyStr(m.EnableDate),
		}
	}
	var login any
	if lp := d.LoginProfile; lp != nil {
		login = map[string]any{
			"UserName":              aws.ToString(lp.UserName),
			"CreateDate":            awsclient.PyStr(lp.CreateDate),
			"PasswordResetRequired": lp.PasswordResetRequired,
		}
	}
	certs := make(map[string]any, len(d.Certificates))
	for _, c := range d.Certificates {
		certs[aws.ToString(c.CertificateId)] = map[string]any{
			"UserName":        aws.ToString(c.UserName),
			"CertificateId":   aws.ToString(c.CertificateId),
			"CertificateBody": aws.ToString(c.CertificateBody),
			"Status":          string(c.Status),
			"UploadDate":      awsclient.PyStr(c.UploadDate),
		}
	}

	cfg := monkey.Config{
		"Arn":                 aws.ToString(u.Arn),
		"UserName":            name,
		"UserId":              aws.ToString(u.UserId),
		"Path":                aws.ToString(u.Path),
		"CreateDate":          awsclient.ISOZPtr(u.CreateDate),
		"AccessKeys":          keys,
		"InlinePolicies":      inline,
		"ManagedPolicies":     managed,
		"MfaDevices":          mfa,
		"LoginProfile":        login,
		"SigningCertificates": certs,
		"_version":            configVersion,
	}
	switch {
	case d.report != nil:
		if d.report.PasswordLastUsed != nil {
			cfg["PasswordLastUsed"] = awsclient.ISOZ(*d.report.PasswordLastUsed)
		}
	case d.PasswordLastUsed != nil:
		cfg["PasswordLastUsed"] = awsclient.ISOZ(*d.PasswordLastUsed)
	}
	return cfg, nil
}

func orNA(s string) string {
	if s == "" {
		return "N/A"
	}
	return s
}
