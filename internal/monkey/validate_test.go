package monkey_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
)

func TestAccountValidate(t *testing.T) {
	t.Parallel()
	ok := monkey.Account{Type: "AWS", Name: "prod", Identifier: "111122223333", Notes: "line one\n\tline two",
		Custom: map[string]string{monkey.FieldRoleName: "audit/SecurityMonkey", monkey.FieldExternalID: "x-1:a/b",
			monkey.FieldS3Name: "prod@example.com", monkey.FieldCanonicalID: "", "creds_file": "/etc/monkey/gcp.json"}}
	require.NoError(t, ok.Validate())
	gh := monkey.Account{Type: "GitHub", Name: "Netflix", Identifier: "netflix"}
	require.NoError(t, gh.Validate())
	withName := monkey.Account{Name: strings.Repeat("é", monkey.MaxAccountName), Identifier: "111122223333"}
	require.NoError(t, withName.Validate(), "lengths count characters, not bytes")

	for _, tc := range []struct {
		name  string
		edit  func(a *monkey.Account)
		field string
	}{
		{"empty name", func(a *monkey.Account) { a.Name = "" }, "account name: required"},
		{"newline", func(a *monkey.Account) { a.Name = "pro\nd" }, "account name"},
		{"tab", func(a *monkey.Account) { a.Name = "pro\td" }, "account name"},
		{"terminal escape", func(a *monkey.Account) { a.Name = "prod\x1b[2J" }, "account name"},
		{"C1 control (CSI)", func(a *monkey.Account) { a.Name = "prod\u009b2J" }, "account name"},
		{"bidi override", func(a *monkey.Account) { a.Name = "prod\u202e" }, "account name"},
		{"invalid utf-8", func(a *monkey.Account) { a.Name = "prod\xff" }, "account name"},
		{"leading space", func(a *monkey.Account) { a.Name = " prod" }, "begin or end with spaces"},
		{"trailing space", func(a *monkey.Account) { a.Name = "prod " }, "begin or end with spaces"},
		{"too long", func(a *monkey.Account) { a.Name = strings.Repeat("a", monkey.MaxAccountName+1) }, "at most 50"},
		{"unknown type", func(a *monkey.Account) { a.Type = "Azure" }, "account type"},
		{"short aws id", func(a *monkey.Account) { a.Identifier = "123" }, "12-digit"},
		{"empty id", func(a *monkey.Account) { a.Identifier = "" }, "account identifier: required"},
		{"notes escape", func(a *monkey.Account) { a.Notes = "\x1b]0;owned\x07" }, "account notes"},
		{"notes too long", func(a *monkey.Account) { a.Notes = strings.Repeat("n", monkey.MaxAccountNotes+1) }, "account notes"},
		{"role path traversal", func(a *monkey.Account) { a.Custom[monkey.FieldRoleName] = "../../evil" }, "role_name"},
		{"role leading slash", func(a *monkey.Account) { a.Custom[monkey.FieldRoleName] = "/evil" }, "role_name"},
		{"role bad character", func(a *monkey.Account) { a.Custom[monkey.FieldRoleName] = "evil role" }, "role_name"},
		{"role too long", func(a *monkey.Account) { a.Custom[monkey.FieldRoleName] = strings.Repeat("r", 65) }, "at most 64"},
		{"external id", func(a *monkey.Account) { a.Custom[monkey.FieldExternalID] = "a b" }, "external_id"},
		{"custom value escape", func(a *monkey.Account) { a.Custom[monkey.FieldS3Name] = "x\x1b" }, "s3_name"},
		{"custom value too long", func(a *monkey.Account) { a.Custom[monkey.FieldS3Name] = strings.Repeat("v", 257) }, "s3_name"},
		{"custom field name", func(a *monkey.Account) { a.Custom["Bad Name"] = "x" }, "custom field name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := ok
			a.Custom = map[string]string{}
			for k, v := range ok.Custom {
				a.Custom[k] = v
			}
			tc.edit(&a)
			err := a.Validate()
			require.Error(t, err)
			require.Equal(t, monkey.EINVALID, monkey.ErrorCode(err))
			require.Contains(t, err.Error(), tc.field)
			require.NotContains(t, err.Error(), "\x1b", "errors quote what they refuse")
		})
	}
}
