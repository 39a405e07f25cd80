package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

const accountColumns = `a.id, t.name, a.identifier, a.name, a.active, a.third_party, a.notes`

const accountFrom = ` FROM accounts a JOIN account_types t ON t.id = a.account_type_id`

// validateAccount checks an account before it is written
// (monkey.Account.Validate: the one set of input rules).
func validateAccount(a monkey.Account) error { return a.Validate() }

// accountType returns the id of the named account type, creating it.
func accountType(ctx context.Context, c conn, name string) (int64, error) {
	if name == "" {
		name = "AWS"
	}
	if _, err := c.exec(ctx, "INSERT INTO account_types (name) VALUES (?) ON CONFLICT (name) DO NOTHING", name); err != nil {
		return 0, fmt.Errorf("account type %q: %w", name, err)
	}
	var id int64
	if err := c.queryRow(ctx, "SELECT id FROM account_types WHERE name = ?", name).Scan(&id); err != nil {
		return 0, fmt.Errorf("account type %q: %w", name, err)
	}
	return id, nil
}

func accountConflict(err error, a monkey.Account) error {
	if !isUnique(err) {
		return err
	}
	if strings.Contains(uniqueDetail(err), "identifier") {
		return monkey.Errorf(monkey.ECONFLICT, "an account with identifier %q already exists", a.Identifier)
	}
	return monkey.Errorf(monkey.ECONFLICT, "an account named %q already exists (names are compared ignoring case)", a.Name)
}

// CreateAccount inserts a and sets its ID.
func (s *Store) CreateAccount(ctx context.Context, a *monkey.Account) error {
	if err := validateAccount(*a); err != nil {
		return err
	}
	return s.inTx(ctx, func(c conn) error {
		tid, err := accountType(ctx, c, a.Type)
		if err != nil {
			return err
		}
		err = c.queryRow(ctx, `INSERT INTO accounts (account_type_id, name, identifier, active, third_party, notes)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			tid, a.Name, a.Identifier, a.Active, a.ThirdParty, a.Notes).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("create account %q: %w", a.Name, accountConflict(err, *a))
		}
		if a.Type == "" {
			a.Type = "AWS"
		}
		return setCustom(ctx, c, a.ID, a.Custom)
	})
}

func setCustom(ctx context.Context, c conn, id int64, custom map[string]string) error {
	if _, err := c.exec(ctx, "DELETE FROM account_custom_fields WHERE account_id = ?", id); err != nil {
		return fmt.Errorf("account %d custom fields: %w", id, err)
	}
	if len(custom) == 0 {
		return nil
	}
	names := make([]string, 0, len(custom))
	for k := range custom {
		names = append(names, k)
	}
	sort.Strings(names)
	args := make([]any, 0, 3*len(names))
	for _, k := range names {
		args = append(args, id, k, custom[k])
	}
	if _, err := c.exec(ctx, "INSERT INTO account_custom_fields (account_id, name, value) VALUES "+
		placeholders(len(names), "(?,?,?)"), args...); err != nil {
		return fmt.Errorf("account %d custom fields: %w", id, err)
	}
	return nil
}

// UpdateAccount updates every field of the account a.ID (custom fields are
// replaced).
func (s *Store) UpdateAccount(ctx context.Context, a monkey.Account) error {
	if err := validateAccount(a); err != nil {
		return err
	}
	return s.inTx(ctx, func(c conn) error {
		tid, err := accountType(ctx, c, a.Type)
		if err != nil {
			return err
		}
		res, err := c.exec(ctx, `UPDATE accounts SET account_type_id = ?, name = ?, identifier = ?, active = ?,
			third_party = ?, notes = ? WHERE id = ?`,
			tid, a.Name, a.Identifier, a.Active, a.ThirdParty, a.Notes, a.ID)
		if err != nil {
			return fmt.Errorf("update account %d: %w", a.ID, accountConflict(err, a))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("account %d", a.ID)
		}
		return setCustom(ctx, c, a.ID, a.Custom)
	})
}

// DeleteAccount deletes the account and everything that belongs to it
// (items, revisions, issues, settings).
func (s *Store) DeleteAccount(ctx context.Context, id int64) error {
	res, err := s.write().exec(ctx, "DELETE FROM accounts WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete account %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("account %d", id)
	}
	return nil
}

// Account returns the account id with its custom fields.
func (s *Store) Account(ctx context.Context, id int64) (monkey.Account, error) {
	return s.oneAccount(ctx, "a.id = ?", id)
}

// AccountByName returns the named account with its custom fields.
func (s *Store) AccountByName(ctx context.Context, name string) (monkey.Account, error) {
	return s.oneAccount(ctx, "a.name = ?", name)
}

func (s *Store) oneAccount(ctx context.Context, where string, arg any) (monkey.Account, error) {
	list, err := s.accounts(ctx, " WHERE "+where, arg)
	if err != nil {
		return monkey.Account{}, fmt.Errorf("read account %v: %w", arg, err)
	}
	if len(list) == 0 {
		return monkey.Account{}, notFound("account %v", arg)
	}
	return list[0], nil
}

// accounts reads accounts with their custom fields in one query.
func (s *Store) accounts(ctx context.Context, where string, args ...any) ([]monkey.Account, error) {
	rows, err := s.read().query(ctx, "SELECT "+accountColumns+", cf.name, cf.value"+accountFrom+
		" LEFT JOIN account_custom_fields cf ON cf.account_id = a.id"+where+" ORDER BY a.name, a.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []monkey.Account{}
	for rows.Next() {
		var a monkey.Account
		var k, v sql.NullString
		if err := rows.Scan(&a.ID, &a.Type, &a.Identifier, &a.Name, &a.Active, &a.ThirdParty, &a.Notes, &k, &v); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != a.ID {
			a.Custom = map[string]string{}
			out = append(out, a)
		}
		if k.Valid {
			out[len(out)-1].Custom[k.String] = v.String
		}
	}
	return out, rows.Err()
}

// ListAccounts returns every account with its custom fields, by name.
func (s *Store) ListAccounts(ctx context.Context) ([]monkey.Account, error) {
	out, err := s.accounts(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

// UpsertThirdPartyAccounts finds each account by identifier or creates it,
// and sets type AWS, inactive, third party, name and notes (the loader of
// spec/data/aws_accounts.json).
func (s *Store) UpsertThirdPartyAccounts(ctx context.Context, accounts []monkey.Account) error {
	if len(accounts) == 0 {
		return nil
	}
	return s.inTx(ctx, func(c conn) error {
		tid, err := accountType(ctx, c, "AWS")
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if err := validateAccount(a); err != nil {
				return err
			}
			_, err := c.exec(ctx, `INSERT INTO accounts (account_type_id, name, identifier, active, third_party, notes)
				VALUES (?, ?, ?, FALSE, TRUE, ?)
				ON CONFLICT (identifier) DO UPDATE SET account_type_id = excluded.account_type_id,
					name = excluded.name, active = FALSE, third_party = TRUE, notes = excluded.notes`,
				tid, a.Name, a.Identifier, a.Notes)
			if err != nil {
				return fmt.Errorf("upsert third-party account %s (%s): %w", a.Name, a.Identifier, accountConflict(err, a))
			}
		}
		return nil
	})
}

// SetAccountsActive sets the active flag of the named accounts in one
// transaction; an unknown name is an error and changes nothing.
func (s *Store) SetAccountsActive(ctx context.Context, active map[string]bool) error {
	names := make([]string, 0, len(active))
	for n := range active {
		names = append(names, n)
	}
	sort.Strings(names)
	return s.inTx(ctx, func(c conn) error {
		for _, n := range names {
			res, err := c.exec(ctx, "UPDATE accounts SET active = ? WHERE name = ?", active[n], n)
			if err != nil {
				return fmt.Errorf("set account %q active: %w", n, err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return notFound("account %q", n)
			}
		}
		return nil
	})
}
