-- Data integrity under overlapping scans (Postgres). Keep tables and columns
-- identical to migrations/sqlite/0002_integrity.sql (TestSchemasMatch).
--
-- 1. scan_locks: one lease row per (account, technology) held by the scan
--    that writes the pair (docs/decisions.md, "Overlapping scans").
-- 2. One open issue per identity and item (auditors.md §2.8): existing
--    duplicates are merged into one issue first (the justified one, else the
--    oldest), their links moved to it, and the item scores recomputed.
-- 3. Each revision records the revision it follows; two revisions following
--    the same one are refused. Consecutive revisions with the same config and
--    active flag (left by overlapping scans) are merged into the first first.
-- 4. Account names unique case-insensitively: of accounts whose names differ
--    only in case or surrounding spaces, every account but the oldest is
--    renamed "<name>-<id>"; then surrounding spaces are trimmed.

CREATE TABLE scan_locks (
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    technology  TEXT NOT NULL,
    holder      TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    host        TEXT NOT NULL DEFAULT '',
    pid         INTEGER NOT NULL DEFAULT 0,
    acquired_at TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, technology)
);
CREATE INDEX scan_locks_holder ON scan_locks (holder);

-- 2. Open issues.
CREATE TEMP TABLE issue_dups AS
SELECT id, keep_id, item_id FROM (
    SELECT id, item_id, FIRST_VALUE(id) OVER (
        PARTITION BY item_id, issue_text, notes, score ORDER BY justified DESC, id) AS keep_id
    FROM issues WHERE fixed = FALSE) AS d
WHERE id <> keep_id;

INSERT INTO issue_links (issue_id, item_id)
SELECT d.keep_id, l.item_id FROM issue_links l JOIN issue_dups d ON d.id = l.issue_id
ON CONFLICT DO NOTHING;

DELETE FROM issues WHERE id IN (SELECT id FROM issue_dups);

UPDATE items SET
    score = (SELECT COALESCE(SUM(x.score), 0) FROM issues x JOIN auditor_settings st ON st.id = x.auditor_setting_id
        WHERE x.item_id = items.id AND x.fixed = FALSE AND st.disabled = FALSE),
    unjustified_score = (SELECT COALESCE(SUM(x.score), 0) FROM issues x JOIN auditor_settings st ON st.id = x.auditor_setting_id
        WHERE x.item_id = items.id AND x.fixed = FALSE AND st.disabled = FALSE AND x.justified = FALSE),
    issue_count = (SELECT COUNT(*) FROM issues x JOIN auditor_settings st ON st.id = x.auditor_setting_id
        WHERE x.item_id = items.id AND x.fixed = FALSE AND st.disabled = FALSE)
WHERE id IN (SELECT item_id FROM issue_dups);

DROP TABLE issue_dups;

-- Texts and notes are hashed: a B-tree entry holds at most about 2.7 kB.
CREATE UNIQUE INDEX issues_open_identity ON issues (item_id, md5(issue_text), score, md5(COALESCE(notes, '')), (notes IS NULL))
    WHERE fixed = FALSE;

-- 3. Revisions.
ALTER TABLE revisions ADD COLUMN previous_id BIGINT;

CREATE TEMP TABLE revision_dups AS
SELECT id, item_id, CAST(0 AS BIGINT) AS keep_id FROM (
    SELECT id, item_id, config, active,
        LAG(config) OVER (PARTITION BY item_id ORDER BY id) AS prev_config,
        LAG(active) OVER (PARTITION BY item_id ORDER BY id) AS prev_active
    FROM revisions) AS r
WHERE prev_config IS NOT NULL AND config = prev_config AND active = prev_active;

UPDATE revision_dups SET keep_id = (SELECT MAX(r.id) FROM revisions r
    WHERE r.item_id = revision_dups.item_id AND r.id < revision_dups.id
    AND r.id NOT IN (SELECT id FROM revision_dups));

UPDATE revision_comments SET revision_id = (SELECT keep_id FROM revision_dups d WHERE d.id = revision_comments.revision_id)
WHERE revision_id IN (SELECT id FROM revision_dups);

UPDATE items SET latest_revision_id = (SELECT keep_id FROM revision_dups d WHERE d.id = items.latest_revision_id)
WHERE latest_revision_id IN (SELECT id FROM revision_dups);

DELETE FROM revisions WHERE id IN (SELECT id FROM revision_dups);

DROP TABLE revision_dups;

UPDATE revisions SET previous_id = p.prev
FROM (SELECT id, LAG(id) OVER (PARTITION BY item_id ORDER BY id) AS prev FROM revisions) AS p
WHERE revisions.id = p.id AND p.prev IS NOT NULL;

CREATE UNIQUE INDEX revisions_item_previous ON revisions (item_id, COALESCE(previous_id, 0));

-- 4. Account names.
UPDATE accounts SET name = TRIM(name) || '-' || CAST(id AS TEXT)
WHERE EXISTS (
    SELECT 1 FROM accounts b WHERE b.id < accounts.id AND LOWER(TRIM(b.name)) = LOWER(TRIM(accounts.name)));

UPDATE accounts SET name = TRIM(name) WHERE name <> TRIM(name);

CREATE UNIQUE INDEX accounts_name_lower ON accounts (LOWER(name));
