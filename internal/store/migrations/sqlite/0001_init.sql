-- Security Monkey schema, SQLite. Keep tables and columns identical to
-- migrations/postgres/0001_init.sql (TestSchemasMatch).

CREATE TABLE account_types (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO account_types (name) VALUES ('AWS'), ('GCP'), ('OpenStack'), ('GitHub');

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    account_type_id BIGINT NOT NULL REFERENCES account_types (id),
    name            TEXT NOT NULL UNIQUE,
    identifier      TEXT NOT NULL UNIQUE,
    active          BOOLEAN NOT NULL DEFAULT FALSE,
    third_party     BOOLEAN NOT NULL DEFAULT FALSE,
    notes           TEXT NOT NULL DEFAULT ''
);

CREATE TABLE account_custom_fields (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, name)
);

CREATE TABLE technologies (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE items (
    id                 INTEGER PRIMARY KEY,
    account_id         BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    technology         TEXT NOT NULL,
    region             TEXT NOT NULL,
    name               TEXT NOT NULL,
    arn                TEXT UNIQUE,
    latest_revision_id BIGINT,
    latest_active      BOOLEAN NOT NULL DEFAULT FALSE,
    complete_hash      TEXT NOT NULL DEFAULT '',
    durable_hash       TEXT NOT NULL DEFAULT '',
    audit_hash         TEXT NOT NULL DEFAULT '',
    score              INTEGER NOT NULL DEFAULT 0,
    unjustified_score  INTEGER NOT NULL DEFAULT 0,
    issue_count        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (technology, account_id, region, name)
);
CREATE INDEX items_account_technology ON items (account_id, technology);

CREATE TABLE revisions (
    id                         INTEGER PRIMARY KEY,
    item_id                    BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    config                     TEXT NOT NULL,
    active                     BOOLEAN NOT NULL,
    created                    TIMESTAMP NOT NULL,
    date_last_ephemeral_change TIMESTAMP
);
CREATE INDEX revisions_item_created ON revisions (item_id, created);

CREATE TABLE item_facts (
    item_id BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    value   TEXT NOT NULL
);
CREATE INDEX item_facts_item ON item_facts (item_id);
CREATE INDEX item_facts_kind ON item_facts (kind, value);

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,
    password_hash     TEXT NOT NULL DEFAULT '',
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    role              TEXT NOT NULL DEFAULT 'View',
    change_reports    TEXT NOT NULL DEFAULT 'NONE',
    daily_audit_email BOOLEAN NOT NULL DEFAULT FALSE,
    confirmed_at      TIMESTAMP,
    last_login_at     TIMESTAMP,
    current_login_at  TIMESTAMP,
    last_login_ip     TEXT,
    current_login_ip  TEXT,
    login_count       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_accounts (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, account_id)
);

CREATE TABLE auditor_settings (
    id            INTEGER PRIMARY KEY,
    technology    TEXT NOT NULL,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    issue_text    TEXT NOT NULL,
    auditor_class TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (account_id, issue_text, technology)
);

CREATE TABLE issues (
    id                  INTEGER PRIMARY KEY,
    item_id             BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    auditor_setting_id  BIGINT REFERENCES auditor_settings (id) ON DELETE SET NULL,
    score               INTEGER NOT NULL DEFAULT 0,
    issue_text          TEXT NOT NULL,
    notes               TEXT,
    action_instructions TEXT,
    fixed               BOOLEAN NOT NULL DEFAULT FALSE,
    justified           BOOLEAN NOT NULL DEFAULT FALSE,
    justified_user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    justification       TEXT NOT NULL DEFAULT '',
    justified_date      TIMESTAMP
);
CREATE INDEX issues_item ON issues (item_id);
CREATE INDEX issues_setting ON issues (auditor_setting_id);
CREATE INDEX issues_score ON issues (score);

CREATE TABLE issue_links (
    issue_id BIGINT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    item_id  BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, item_id)
);
CREATE INDEX issue_links_item ON issue_links (item_id);

CREATE TABLE item_comments (
    id      INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    text    TEXT NOT NULL,
    created TIMESTAMP NOT NULL
);
CREATE INDEX item_comments_item ON item_comments (item_id);

CREATE TABLE revision_comments (
    id          INTEGER PRIMARY KEY,
    revision_id BIGINT NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    user_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    text        TEXT NOT NULL,
    created     TIMESTAMP NOT NULL
);
CREATE INDEX revision_comments_revision ON revision_comments (revision_id);

CREATE TABLE item_audit_scores (
    id         INTEGER PRIMARY KEY,
    technology TEXT NOT NULL,
    method     TEXT NOT NULL,
    score      INTEGER NOT NULL DEFAULT 0,
    disabled   BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (technology, method)
);

CREATE TABLE account_pattern_audit_scores (
    id                  INTEGER PRIMARY KEY,
    item_audit_score_id BIGINT NOT NULL REFERENCES item_audit_scores (id) ON DELETE CASCADE,
    account_type        TEXT NOT NULL DEFAULT '',
    account_field       TEXT NOT NULL,
    account_pattern     TEXT NOT NULL,
    score               INTEGER NOT NULL DEFAULT 0,
    position            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX account_pattern_audit_scores_owner ON account_pattern_audit_scores (item_audit_score_id, position);

CREATE TABLE ignore_list (
    id         INTEGER PRIMARY KEY,
    technology TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE network_whitelist (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    cidr  TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE watcher_config (
    id               INTEGER PRIMARY KEY,
    tech_index       TEXT NOT NULL UNIQUE,
    interval_minutes INTEGER NOT NULL DEFAULT 60,
    active           BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE exceptions (
    id             INTEGER PRIMARY KEY,
    source         TEXT NOT NULL DEFAULT '',
    occurred       TIMESTAMP NOT NULL,
    ttl            TIMESTAMP NOT NULL,
    exception_type TEXT NOT NULL DEFAULT '',
    message        TEXT NOT NULL DEFAULT '',
    stacktrace     TEXT NOT NULL DEFAULT '',
    technology     TEXT NOT NULL DEFAULT '',
    account        TEXT NOT NULL DEFAULT '',
    region         TEXT NOT NULL DEFAULT '',
    item_name      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exceptions_ttl ON exceptions (ttl);
CREATE INDEX exceptions_occurred ON exceptions (occurred);

CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE scans (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    technology TEXT NOT NULL,
    last_start TIMESTAMP,
    last_end   TIMESTAMP,
    outcome    TEXT NOT NULL DEFAULT '',
    items      INTEGER NOT NULL DEFAULT 0,
    error      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, technology)
);

CREATE TABLE processes (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    host       TEXT NOT NULL DEFAULT '',
    pid        INTEGER NOT NULL DEFAULT 0,
    started_at TIMESTAMP NOT NULL,
    seen_at    TIMESTAMP NOT NULL,
    info       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX processes_kind_seen ON processes (kind, seen_at);
