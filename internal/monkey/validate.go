package monkey

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Size limits of account fields, in characters: the column sizes of the
// reference schema (Account.name String(50), identifier and notes
// String(256), custom field name String(64) and value String(256)).
const (
	MaxAccountName       = 50
	MaxAccountIdentifier = 256
	MaxAccountNotes      = 256
	MaxCustomFieldName   = 64
	MaxCustomFieldValue  = 256
)

// AccountTypes are the account types an account may have.
var AccountTypes = []string{"AWS", "GCP", "OpenStack", "GitHub"}

var (
	awsAccountNumber = regexp.MustCompile(`^[0-9]{12}$`)
	customFieldName  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// IAM names: role names and path segments (IAM API reference:
	// [\w+=,.@-]+, role names at most 64 characters).
	iamName = regexp.MustCompile(`^[A-Za-z0-9_+=,.@-]+$`)
	// sts:AssumeRole ExternalId: [\w+=,.@:/-]*, 2 to 1224 characters.
	externalID = regexp.MustCompile(`^[A-Za-z0-9_+=,.@:/-]+$`)
)

// Validate checks an account before it is stored: the one place where
// account input is checked, for the command line and the API alike. It
// returns an EINVALID *Error naming the first field that does not fit:
//
//   - name: 1 to 50 characters, no control or formatting characters (no
//     newlines, tabs or terminal escape sequences), no leading or trailing
//     spaces;
//   - type: one of AccountTypes (empty means AWS);
//   - identifier: required, at most 256 characters, no control characters;
//     AWS: a 12-digit account number;
//   - notes: at most 256 characters, no control characters but newlines
//     and tabs;
//   - custom fields: lower-case names of at most 64 characters, values of
//     at most 256 characters without control characters; role_name is an
//     IAM role name, optionally after an IAM path ("path/to/Role", no "."
//     or ".." segment); external_id follows the sts:AssumeRole rules.
//
// Case-insensitive uniqueness of names is the store's to check.
func (a Account) Validate() error {
	if err := checkText("name", a.Name, MaxAccountName, false); err != nil {
		return err
	}
	if strings.TrimSpace(a.Name) != a.Name {
		return Errorf(EINVALID, "account name %q: must not begin or end with spaces", a.Name)
	}
	typ := a.Type
	if typ == "" {
		typ = "AWS"
	}
	known := false
	for _, t := range AccountTypes {
		known = known || t == typ
	}
	if !known {
		return Errorf(EINVALID, "account type %q: want one of %s", a.Type, strings.Join(AccountTypes, ", "))
	}
	if err := checkText("identifier", a.Identifier, MaxAccountIdentifier, false); err != nil {
		return err
	}
	if typ == "AWS" && !awsAccountNumber.MatchString(a.Identifier) {
		return Errorf(EINVALID, "account identifier %q: want the 12-digit AWS account number", a.Identifier)
	}
	if a.Notes != "" {
		if err := checkText("notes", a.Notes, MaxAccountNotes, true); err != nil {
			return err
		}
	}
	for name, value := range a.Custom {
		if len(name) > MaxCustomFieldName || !customFieldName.MatchString(name) {
			return Errorf(EINVALID, "account custom field name %q: want lower-case letters, digits and _, at most %d characters", name, MaxCustomFieldName)
		}
		if value == "" {
			continue
		}
		field := "custom field " + name
		if err := checkText(field, value, MaxCustomFieldValue, false); err != nil {
			return err
		}
		switch name {
		case FieldRoleName:
			if err := checkRoleName(value); err != nil {
				return err
			}
		case FieldExternalID:
			if len(value) < 2 || !externalID.MatchString(value) {
				return Errorf(EINVALID, "account %s %q: want at least 2 characters among letters, digits and _+=,.@:/-", field, value)
			}
		}
	}
	return nil
}

// checkText checks a required text field: valid UTF-8, not empty, at most
// max characters, no control or formatting characters (newlines and tabs
// allowed only with multiline).
func checkText(field, v string, max int, multiline bool) error {
	switch {
	case v == "":
		return Errorf(EINVALID, "account %s: required", field)
	case !utf8.ValidString(v):
		return Errorf(EINVALID, "account %s %q: not valid UTF-8", field, v)
	case utf8.RuneCountInString(v) > max:
		return Errorf(EINVALID, "account %s: %d characters, at most %d allowed", field, utf8.RuneCountInString(v), max)
	}
	for _, r := range v {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return Errorf(EINVALID, "account %s %q: control and formatting characters (newlines, tabs, escape sequences) are not allowed", field, v)
		}
	}
	return nil
}

// checkRoleName checks an IAM role name, optionally preceded by a path.
func checkRoleName(v string) error {
	bad := func(why string) error {
		return Errorf(EINVALID, "account custom field %s %q: %s", FieldRoleName, v, why)
	}
	segs := strings.Split(v, "/")
	for _, s := range segs {
		switch {
		case s == "":
			return bad("empty path segment (a role name, or path/to/RoleName without leading or trailing /)")
		case s == "." || s == "..":
			return bad(fmt.Sprintf("%q is not a role or path name", s))
		case !iamName.MatchString(s):
			return bad("IAM names use letters, digits and _+=,.@- only")
		}
	}
	if len(segs[len(segs)-1]) > 64 {
		return bad("an IAM role name has at most 64 characters")
	}
	return nil
}
