package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// dialect is the small hook where the two engines differ.
type dialect struct {
	name string
	// rebind turns "?" placeholders into the engine's form.
	rebind func(string) string
	// dbNow is an SQL expression for the database clock, or "" when the
	// store passes its own clock (SQLite is embedded: the host clock is the
	// database clock).
	dbNow string
	// plusSeconds returns an SQL expression adding a bound number of seconds
	// (a float parameter) to the time expression t.
	plusSeconds func(t string) string
	// migrationsTableExists is a query returning one boolean-ish row: does
	// schema_migrations exist?
	migrationsTableExists string
	// lockMigrations / unlockMigrations serialise migrators ("" = not
	// needed: SQLite's single writer already does).
	lockMigrations, unlockMigrations string
	// forUpdate locks the rows a subquery selects, in its order ("" on
	// SQLite, whose write transactions are exclusive).
	forUpdate string
	// planEach leads the arguments of a statement that must be planned for
	// its values every time (text searches: a generic plan, which cached
	// statements get after five runs, cannot tell a term every row
	// contains from a rare one). nil: nothing to do.
	planEach []any
	// issuesCopyItem: new issues are inserted with their item's columns
	// (account, technology, region, active, name) read by the insert itself.
	// SQLite's triggers cannot set a row's columns before it is written, so
	// its copy trigger (migration 0004) was a second write of every new
	// issue and its indexes; since migration 0009 it runs only for inserts
	// that leave them unset. Postgres's BEFORE trigger sets them in the same
	// write.
	issuesCopyItem bool
	// countInserts: the store adds the items and issues it inserts to the
	// counts of migration 0007 (insertCounts), where the engine's triggers
	// would do it one row at a time (SQLite, migration 0010).
	countInserts bool
	// newIDs returns the statement reserving n new ids in each of the
	// given tables (whose key is id), in the writing transaction: n rows of
	// one id per table, in the order of the tables.
	newIDs func(n int, tables ...string) (string, []any)
}

// insertIssues returns the statement inserting n new issues (7 arguments
// each: item, auditor setting, score, text, notes, action instructions,
// created) that returns id, item_id, issue_text, notes, score and the
// columns of the issue's count key (insertedIssueColumns).
func (d dialect) insertIssues(n int) string {
	const cols = "item_id, auditor_setting_id, score, issue_text, notes, action_instructions, created"
	if !d.issuesCopyItem {
		return "INSERT INTO issues (" + cols + ") VALUES " + placeholders(n, "(?,?,?,?,?,?,?)") +
			" ON CONFLICT DO NOTHING RETURNING " + insertedIssueColumns
	}
	// WHERE TRUE: SQLite's parser needs it between a join and ON CONFLICT.
	return "INSERT INTO issues (" + cols + ", account_id, technology, region, item_active, item_name)" +
		" SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7," +
		" i.account_id, i.technology, i.region, i.latest_active, i.name" +
		" FROM (VALUES " + placeholders(n, "(?,?,?,?,?,?,?)") + ") v JOIN items i ON i.id = v.column1" +
		" WHERE TRUE ON CONFLICT DO NOTHING RETURNING " + insertedIssueColumns
}

// insertedIssueColumns are the columns insertIssues returns.
const insertedIssueColumns = "id, item_id, issue_text, notes, score, account_id, technology, region, item_active, auditor_setting_id"

// plannedEach returns args led by the dialect's planEach option.
func (d dialect) plannedEach(args []any) []any {
	if d.planEach == nil {
		return args
	}
	return append(append([]any{}, d.planEach...), args...)
}

func sqliteDialect() dialect {
	return dialect{
		name:                  EngineSQLite,
		rebind:                func(q string) string { return q },
		plusSeconds:           nil,
		migrationsTableExists: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
		issuesCopyItem:        true,
		countInserts:          true,
		newIDs:                sqliteNewIDs,
	}
}

func postgresDialect() dialect {
	return dialect{
		name:                  EnginePostgres,
		rebind:                rebindDollar,
		dbNow:                 "clock_timestamp()",
		plusSeconds:           func(t string) string { return t + " + make_interval(secs => CAST(? AS DOUBLE PRECISION))" },
		migrationsTableExists: "SELECT to_regclass('schema_migrations') IS NOT NULL",
		lockMigrations:        "SELECT pg_advisory_lock(?)",
		unlockMigrations:      "SELECT pg_advisory_unlock(?)",
		forUpdate:             " FOR UPDATE",
		// pgx: an unnamed statement, planned at each execution.
		planEach: []any{pgx.QueryExecModeExec},
		newIDs:   postgresNewIDs,
	}
}

// sqliteNewIDs counts on from each table's largest id, as SQLite does for
// a row inserted without one (an INTEGER PRIMARY KEY without AUTOINCREMENT:
// the id of a deleted last row is given again either way). The writer's
// transactions are exclusive (_txlock=immediate, one connection): nothing
// else inserts between the reservation and the insert.
func sqliteNewIDs(n int, tables ...string) (string, []any) {
	cols := make([]string, len(tables))
	for i, t := range tables {
		cols[i] = "(SELECT COALESCE(MAX(id), 0) FROM " + t + ") + k.n"
	}
	return "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?) SELECT " +
		strings.Join(cols, ", ") + " FROM k", []any{n}
}

// postgresNewIDs draws from the tables' identity sequences, as an insert
// without ids does (concurrent writers get distinct ids; a rolled back
// transaction leaves a gap).
func postgresNewIDs(n int, tables ...string) (string, []any) {
	cols := make([]string, len(tables))
	for i, t := range tables {
		cols[i] = "nextval(pg_get_serial_sequence('" + t + "', 'id'))"
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM generate_series(1, CAST(? AS INTEGER))", []any{n}
}

// rebindDollar replaces each ? outside quotes with $1, $2, ...
func rebindDollar(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + len(q)/4)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// placeholders builds "(?,?),(?,?)..." for rows rows of the given tuple.
func placeholders(rows int, tuple string) string {
	var b strings.Builder
	b.Grow(rows * (len(tuple) + 1))
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(tuple)
	}
	return b.String()
}

// inList builds "?,?,?" with n placeholders.
func inList(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// chunks splits ids into slices of at most n.
func chunks[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > n {
		out = append(out, xs[:n])
		xs = xs[n:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}

// acquireLease builds the atomic lease statement: take the lease if free,
// expired or already held by holder (then extend it). It returns the holder
// row only when holder got the lease. Postgres uses the database clock so
// hosts with skewed clocks agree; SQLite is embedded, its clock is now.
func (d dialect) acquireLease(name, holder string, ttl time.Duration, now time.Time) (string, []any) {
	const upsert = ` ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at < `
	if d.dbNow != "" {
		return `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ` + d.plusSeconds(d.dbNow) + `)` +
				upsert + d.dbNow + ` RETURNING holder`,
			[]any{name, holder, ttl.Seconds()}
	}
	return `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)` + upsert + `? RETURNING holder`,
		[]any{name, holder, now.Add(ttl), now}
}

// scanTime scans a timestamp that SQLite may return as text (computed
// columns such as MIN(created) carry no declared type).
type scanTime struct {
	Time  time.Time
	Valid bool
}

func (st *scanTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		st.Time, st.Valid = time.Time{}, false
		return nil
	case time.Time:
		st.Time, st.Valid = x.UTC(), true
		return nil
	case []byte:
		return st.Scan(string(x))
	case string:
		layouts := [...]string{ // the text forms SQLite timestamps come in
			"2006-01-02 15:04:05.999999999-07:00",
			"2006-01-02T15:04:05.999999999-07:00",
			"2006-01-02 15:04:05.999999999",
			"2006-01-02T15:04:05.999999999",
		}
		for _, l := range layouts {
			if t, err := time.Parse(l, x); err == nil {
				st.Time, st.Valid = t.UTC(), true
				return nil
			}
		}
		return fmt.Errorf("unrecognised timestamp %q", x)
	}
	return fmt.Errorf("cannot scan %T into a timestamp", v)
}

// idIn returns " AND col IN (?,...)" for n ids (the caller appends them
// to the arguments). Joined UPDATE ... FROM (VALUES ...) statements add it
// so that both planners look the target rows up by key instead of scanning
// the table (SQLite otherwise scans items and probes the VALUES list).
func idIn(col string, n int) string {
	return " AND " + col + " IN (" + inList(n) + ")"
}
