-- The REST API: sessions, API tokens, the action log, login throttling, and
-- the indexes of the API listings (SQLite). Keep tables and columns
-- identical to migrations/postgres/0003_api.sql (TestSchemasMatch).

-- Server-side sessions. The cookie carries a random token; only its SHA-256
-- is stored, so a copy of the database opens no session.
CREATE TABLE sessions (
    id_hash          TEXT PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token       TEXT NOT NULL,
    created          TIMESTAMP NOT NULL,
    last_seen        TIMESTAMP NOT NULL,
    idle_expires     TIMESTAMP NOT NULL,
    absolute_expires TIMESTAMP NOT NULL,
    ip               TEXT NOT NULL DEFAULT '',
    user_agent       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_idle_expires ON sessions (idle_expires);

-- API tokens: stored as SHA-256 only; prefix is shown in lists.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL DEFAULT '',
    created    TIMESTAMP NOT NULL,
    expires    TIMESTAMP,
    last_used  TIMESTAMP,
    revoked    TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Every write through the API or the command line. No foreign key to
-- users: the log outlives the users it names.
CREATE TABLE action_log (
    id           INTEGER PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    user_id      BIGINT,
    user_email   TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    target       TEXT NOT NULL DEFAULT '',
    before_value TEXT,
    after_value  TEXT
);
CREATE INDEX action_log_user ON action_log (user_email, id);
CREATE INDEX action_log_action ON action_log (action, id);

-- Failed sign-ins, for throttling (kept 24 hours).
CREATE TABLE login_failures (
    id    INTEGER PRIMARY KEY,
    at    TIMESTAMP NOT NULL,
    email TEXT NOT NULL,
    ip    TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- Listings: items newest first (latest revision id order), by filter.
CREATE INDEX items_latest_revision ON items (latest_revision_id);
CREATE INDEX items_technology_latest ON items (technology, latest_revision_id);
CREATE INDEX items_account_latest ON items (account_id, latest_revision_id);
CREATE INDEX items_region_latest ON items (region, latest_revision_id);
CREATE INDEX items_active_latest ON items (latest_active, latest_revision_id);
CREATE INDEX items_name ON items (name);
CREATE INDEX items_score ON items (score);
CREATE INDEX items_unjustified_score ON items (unjustified_score);
-- Open issues in their listing order.
CREATE INDEX issues_open_order ON issues (justified, score DESC, id) WHERE fixed = FALSE;
CREATE INDEX issues_open_item ON issues (item_id) WHERE fixed = FALSE;
CREATE INDEX issues_justified_date ON issues (justified_date, id) WHERE fixed = FALSE;
CREATE INDEX auditor_settings_technology ON auditor_settings (technology);
