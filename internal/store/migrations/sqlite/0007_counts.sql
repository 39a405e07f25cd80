-- Counts kept by the writers (SQLite). Keep tables and columns identical
-- to migrations/postgres/0007_counts.sql (TestSchemasMatch).
--
-- The exact `total` of an item or issue listing filtered on account, account
-- type, technology, region, active flag, justified flag or enabled auditor
-- settings, and the dashboard's issue scores by technology and its 30-day
-- trend, are sums over these tables (a few hundred rows) instead of counts
-- over up to a million rows (docs/decisions.md).
--
-- 1. item_counts: items per (account, technology, region, latest_active).
-- 2. issue_counts: unfixed issues and their score sum, per (account,
--    technology, region, item_active, justified, auditor setting; 0 = none).
-- 3. issue_raised_counts: unfixed, unjustified issues of active items, per
--    (account, auditor setting, time raised): the dashboard's trend.
--
-- Row triggers keep them in the writing transaction, whatever the statement
-- (scans, justifications, cascades of account or item deletions): each
-- subtracts the old row's key and adds the new row's. Rows that reach zero
-- stay (a later write reuses them), but for issue_raised_counts, whose keys
-- grow with time. SQLite has one writer at a time.

CREATE TABLE item_counts (
    account_id BIGINT NOT NULL,
    technology TEXT NOT NULL,
    region     TEXT NOT NULL,
    active     BOOLEAN NOT NULL,
    items      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, technology, region, active)
);

CREATE TABLE issue_counts (
    account_id         BIGINT NOT NULL,
    technology         TEXT NOT NULL,
    region             TEXT NOT NULL,
    item_active        BOOLEAN NOT NULL,
    justified          BOOLEAN NOT NULL,
    auditor_setting_id BIGINT NOT NULL,
    issues             BIGINT NOT NULL DEFAULT 0,
    score              BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, technology, region, item_active, justified, auditor_setting_id)
);

CREATE TABLE issue_raised_counts (
    account_id         BIGINT NOT NULL,
    auditor_setting_id BIGINT NOT NULL,
    raised             TIMESTAMP NOT NULL,
    issues             BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, auditor_setting_id, raised)
);
CREATE INDEX issue_raised_counts_raised ON issue_raised_counts (raised);

-- Every committed item has a latest revision (ApplyChanges sets it in the
-- transaction that inserts the item), so all items are counted; only the
-- updates that move an item between keys (deletion, reactivation) fire.
CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
    INSERT INTO item_counts (account_id, technology, region, active, items)
    VALUES (NEW.account_id, NEW.technology, NEW.region, NEW.latest_active, 1)
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = items + excluded.items;
END;

CREATE TRIGGER items_count_move AFTER UPDATE OF account_id, technology, region, latest_active ON items
    WHEN OLD.latest_active IS NOT NEW.latest_active OR OLD.account_id IS NOT NEW.account_id
      OR OLD.technology IS NOT NEW.technology OR OLD.region IS NOT NEW.region BEGIN
    INSERT INTO item_counts (account_id, technology, region, active, items)
    VALUES (OLD.account_id, OLD.technology, OLD.region, OLD.latest_active, -1)
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = items + excluded.items;
    INSERT INTO item_counts (account_id, technology, region, active, items)
    VALUES (NEW.account_id, NEW.technology, NEW.region, NEW.latest_active, 1)
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = items + excluded.items;
END;

CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
    INSERT INTO item_counts (account_id, technology, region, active, items)
    VALUES (OLD.account_id, OLD.technology, OLD.region, OLD.latest_active, -1)
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = items + excluded.items;
END;

-- A new issue gets its item's columns from the trigger of migration 0004,
-- an update that would count it twice: the insert counts it with its item's
-- columns, and updates count only issues whose columns are set.
CREATE TRIGGER issues_count_insert AFTER INSERT ON issues BEGIN
    INSERT INTO issue_counts (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
    SELECT i.account_id, i.technology, i.region, i.latest_active, NEW.justified, COALESCE(NEW.auditor_setting_id, 0), 1, NEW.score
      FROM items i WHERE i.id = NEW.item_id AND NEW.fixed = FALSE
    ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id) DO UPDATE SET issues = issues + excluded.issues, score = score + excluded.score;
    INSERT INTO issue_raised_counts (account_id, auditor_setting_id, raised, issues)
    SELECT i.account_id, COALESCE(NEW.auditor_setting_id, 0), NEW.created, 1
      FROM items i WHERE i.id = NEW.item_id AND NEW.fixed = FALSE AND NEW.justified = FALSE AND i.latest_active = TRUE AND NEW.created IS NOT NULL
    ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = issues + excluded.issues;
END;

CREATE TRIGGER issues_count_update AFTER UPDATE OF account_id, technology, region, item_active, justified, auditor_setting_id,
    fixed, score, created ON issues WHEN OLD.account_id <> 0 BEGIN
    INSERT INTO issue_counts (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
    SELECT OLD.account_id, OLD.technology, OLD.region, OLD.item_active, OLD.justified,
        COALESCE(OLD.auditor_setting_id, 0), -1, -1 * OLD.score WHERE OLD.fixed = FALSE
    ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id) DO UPDATE SET issues = issues + excluded.issues, score = score + excluded.score;
    INSERT INTO issue_raised_counts (account_id, auditor_setting_id, raised, issues)
    SELECT OLD.account_id, COALESCE(OLD.auditor_setting_id, 0), OLD.created, -1 WHERE OLD.fixed = FALSE AND OLD.justified = FALSE AND OLD.item_active = TRUE AND OLD.created IS NOT NULL
    ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = issues + excluded.issues;
    INSERT INTO issue_counts (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
    SELECT NEW.account_id, NEW.technology, NEW.region, NEW.item_active, NEW.justified,
        COALESCE(NEW.auditor_setting_id, 0), 1, 1 * NEW.score WHERE NEW.fixed = FALSE
    ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id) DO UPDATE SET issues = issues + excluded.issues, score = score + excluded.score;
    INSERT INTO issue_raised_counts (account_id, auditor_setting_id, raised, issues)
    SELECT NEW.account_id, COALESCE(NEW.auditor_setting_id, 0), NEW.created, 1 WHERE NEW.fixed = FALSE AND NEW.justified = FALSE AND NEW.item_active = TRUE AND NEW.created IS NOT NULL
    ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = issues + excluded.issues;
    DELETE FROM issue_raised_counts WHERE issues = 0 AND account_id = OLD.account_id
        AND auditor_setting_id = COALESCE(OLD.auditor_setting_id, 0) AND raised = OLD.created;
END;

CREATE TRIGGER issues_count_delete AFTER DELETE ON issues WHEN OLD.account_id <> 0 BEGIN
    INSERT INTO issue_counts (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
    SELECT OLD.account_id, OLD.technology, OLD.region, OLD.item_active, OLD.justified,
        COALESCE(OLD.auditor_setting_id, 0), -1, -1 * OLD.score WHERE OLD.fixed = FALSE
    ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id) DO UPDATE SET issues = issues + excluded.issues, score = score + excluded.score;
    INSERT INTO issue_raised_counts (account_id, auditor_setting_id, raised, issues)
    SELECT OLD.account_id, COALESCE(OLD.auditor_setting_id, 0), OLD.created, -1 WHERE OLD.fixed = FALSE AND OLD.justified = FALSE AND OLD.item_active = TRUE AND OLD.created IS NOT NULL
    ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = issues + excluded.issues;
    DELETE FROM issue_raised_counts WHERE issues = 0 AND account_id = OLD.account_id
        AND auditor_setting_id = COALESCE(OLD.auditor_setting_id, 0) AND raised = OLD.created;
END;

-- Backfill (the migration's transaction holds the only writer).
INSERT INTO item_counts (account_id, technology, region, active, items)
SELECT account_id, technology, region, latest_active, COUNT(*) FROM items GROUP BY 1, 2, 3, 4;

INSERT INTO issue_counts (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
SELECT account_id, technology, region, item_active, justified, COALESCE(auditor_setting_id, 0), COUNT(*), SUM(score)
  FROM issues WHERE fixed = FALSE GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO issue_raised_counts (account_id, auditor_setting_id, raised, issues)
SELECT account_id, COALESCE(auditor_setting_id, 0), created, COUNT(*) FROM issues
 WHERE fixed = FALSE AND justified = FALSE AND item_active = TRUE AND created IS NOT NULL GROUP BY 1, 2, 3;
