package audit_test

import (
	"encoding/json"
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/iamgroup"
	"github.com/secmonkey/monkey/internal/tech/iamrole"
	"github.com/secmonkey/monkey/internal/tech/iamuser"
	mpolicy "github.com/secmonkey/monkey/internal/tech/policy"
	"github.com/secmonkey/monkey/internal/tech/s3"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

// FuzzAuditConfig feeds arbitrary JSON objects to the six auditors: they
// must never panic.
func FuzzAuditConfig(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"AssumeRolePolicyDocument":{"Statement":{"Effect":"Allow","Principal":"*"}},"InlinePolicies":{"a":{"Statement":[{"Effect":"Allow","NotAction":"x"}]}}}`,
		`{"Grants":{"x":["READ"],"y":1},"Owner":{"ID":3},"Policy":[{"Statement":1}]}`,
		`{"rules":[{"rule_type":"ingress","ip_protocol":-1,"cidr_ip":"0.0.0.0/0","owner_id":1}],"assigned_to":"x","vpc_id":false}`,
		`{"AccessKeys":[{"Status":"Active","CreateDate":1,"AccessKeyId":{}}],"LoginProfile":[1],"MfaDevices":0}`,
		`{"arn":"arn:aws:iam::aws:policy/x","attached_users":"u","policy":{"Statement":[{"Effect":"Allow","Action":"*"}]}}`,
	} {
		f.Add([]byte(s))
	}
	cat, err := policy.LoadCatalogue()
	if err != nil {
		f.Fatal(err)
	}
	settings := tech.Settings{"SECURITYGROUP_INSTANCE_DETAIL": "FULL", "SENSITIVE_SERVICES": "s3,iam"}
	auditors := []audit.Auditor{iamgroup.NewAuditor(cat, settings), iamrole.NewAuditor(cat, settings), iamuser.NewAuditor(cat, settings),
		mpolicy.NewAuditor(cat, settings), s3.NewAuditor(), securitygroup.NewAuditor(settings)}
	ctx := audittest.Context(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var cfg monkey.Config
		if json.Unmarshal(data, &cfg) != nil {
			return
		}
		for _, a := range auditors {
			a.Audit(audit.Item{Account: audittest.Prod, Config: cfg}, &audit.Env{Context: ctx,
				Support: map[string][]audit.Item{"policy": {{Config: cfg}}}})
		}
	})
}
