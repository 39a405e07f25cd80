-- Notifications (SQLite). Keep tables and columns identical to
-- migrations/postgres/0005_notifications.sql (TestSchemasMatch).
--
-- 1. notifications: the outbox of change reports, audit reports and test
--    messages, one row per (message, channel, recipient). dedupe_key is the
--    idempotency key (kind/account/scan/channel/recipient): a retried or
--    duplicated scan task inserts nothing twice. Workers claim due rows
--    (claimed_by, claimed_until), send them, and mark them sent, or retry
--    them later (attempts, next_attempt, last_error) until they fail for
--    good (status 'failed').
-- 2. jira_tickets: the Jira ticket of each auditor setting (issue text ×
--    technology × account) and the count it last showed.

CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    dedupe_key    TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    recipient     TEXT NOT NULL DEFAULT '',
    account       TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL DEFAULT '',
    payload       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  TIMESTAMP NOT NULL,
    claimed_by    TEXT NOT NULL DEFAULT '',
    claimed_until TIMESTAMP,
    last_error    TEXT NOT NULL DEFAULT '',
    created       TIMESTAMP NOT NULL,
    sent_at       TIMESTAMP
);
CREATE INDEX notifications_due ON notifications (status, next_attempt);
CREATE INDEX notifications_created ON notifications (created);

CREATE TABLE jira_tickets (
    auditor_setting_id BIGINT PRIMARY KEY REFERENCES auditor_settings (id) ON DELETE CASCADE,
    ticket_key         TEXT NOT NULL,
    issue_count        INTEGER NOT NULL DEFAULT 0,
    closed             BOOLEAN NOT NULL DEFAULT FALSE,
    updated            TIMESTAMP NOT NULL
);
