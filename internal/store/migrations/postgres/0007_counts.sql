-- Counts kept by the writers (Postgres). Keep tables and columns identical
-- to migrations/sqlite/0007_counts.sql (TestSchemasMatch).
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
-- Triggers keep them in the writing transaction, whatever the statement
-- (scans, justifications, cascades of account or item deletions):
-- statement-level ones with transition tables where a statement writes many
-- rows. Each adds the new rows' keys and subtracts the
-- old rows', in key order (concurrent writers lock counter rows in one
-- order). Rows that reach zero stay (a later write reuses them), but for
-- issue_raised_counts, whose keys grow with time.

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
    raised             TIMESTAMPTZ NOT NULL,
    issues             BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, auditor_setting_id, raised)
);
CREATE INDEX issue_raised_counts_raised ON issue_raised_counts (raised);

-- Items: statement-level triggers for inserts and deletions; a row trigger
-- for the updates that move an item between keys (a deletion or
-- reactivation: rare), so that the many updates of other columns (hashes,
-- scores, latest revision) capture nothing. Every committed item has a
-- latest revision (ApplyChanges sets it in the transaction that inserts the
-- item), so all items are counted.
CREATE FUNCTION items_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item_counts AS c (account_id, technology, region, active, items)
    SELECT account_id, technology, region, latest_active, COUNT(*) FROM new_items
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = c.items + excluded.items;
    RETURN NULL;
END
$$;

CREATE FUNCTION items_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item_counts AS c (account_id, technology, region, active, items)
    SELECT account_id, technology, region, latest_active, -COUNT(*) FROM old_items
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = c.items + excluded.items;
    RETURN NULL;
END
$$;

CREATE FUNCTION items_count_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item_counts AS c (account_id, technology, region, active, items)
    VALUES (OLD.account_id, OLD.technology, OLD.region, OLD.latest_active, -1)
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = c.items + excluded.items;
    INSERT INTO item_counts AS c (account_id, technology, region, active, items)
    VALUES (NEW.account_id, NEW.technology, NEW.region, NEW.latest_active, 1)
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = c.items + excluded.items;
    RETURN NULL;
END
$$;

CREATE TRIGGER items_count_insert AFTER INSERT ON items REFERENCING NEW TABLE AS new_items
    FOR EACH STATEMENT EXECUTE FUNCTION items_count_insert();
CREATE TRIGGER items_count_delete AFTER DELETE ON items REFERENCING OLD TABLE AS old_items
    FOR EACH STATEMENT EXECUTE FUNCTION items_count_delete();
CREATE TRIGGER items_count_move AFTER UPDATE OF account_id, technology, region, latest_active ON items FOR EACH ROW
    WHEN (OLD.latest_active IS DISTINCT FROM NEW.latest_active OR OLD.account_id <> NEW.account_id
          OR OLD.technology <> NEW.technology OR OLD.region <> NEW.region)
    EXECUTE FUNCTION items_count_move();

-- Issues.
CREATE FUNCTION issues_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO issue_counts AS c (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
    SELECT x.account_id, x.technology, x.region, x.item_active, x.justified, x.setting, SUM(x.d), SUM(x.d * x.score)
      FROM (SELECT account_id, technology, region, item_active, justified, COALESCE(auditor_setting_id, 0) AS setting,
                   score, 1 AS d FROM new_issues WHERE fixed = FALSE) x
     GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(x.d) <> 0 OR SUM(x.d * x.score) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id)
    DO UPDATE SET issues = c.issues + excluded.issues, score = c.score + excluded.score;

    INSERT INTO issue_raised_counts AS c (account_id, auditor_setting_id, raised, issues)
    SELECT x.account_id, x.setting, x.created, SUM(x.d)
      FROM (SELECT account_id, COALESCE(auditor_setting_id, 0) AS setting, created, 1 AS d FROM new_issues
             WHERE fixed = FALSE AND justified = FALSE AND item_active = TRUE AND created IS NOT NULL) x
     GROUP BY 1, 2, 3 HAVING SUM(x.d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = c.issues + excluded.issues;
    RETURN NULL;
END
$$;

CREATE FUNCTION issues_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO issue_counts AS c (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
    SELECT x.account_id, x.technology, x.region, x.item_active, x.justified, x.setting, SUM(x.d), SUM(x.d * x.score)
      FROM (SELECT account_id, technology, region, item_active, justified, COALESCE(auditor_setting_id, 0) AS setting,
                   score, 1 AS d FROM new_issues WHERE fixed = FALSE
            UNION ALL
            SELECT account_id, technology, region, item_active, justified, COALESCE(auditor_setting_id, 0) AS setting,
                   score, -1 AS d FROM old_issues WHERE fixed = FALSE) x
     GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(x.d) <> 0 OR SUM(x.d * x.score) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id)
    DO UPDATE SET issues = c.issues + excluded.issues, score = c.score + excluded.score;

    INSERT INTO issue_raised_counts AS c (account_id, auditor_setting_id, raised, issues)
    SELECT x.account_id, x.setting, x.created, SUM(x.d)
      FROM (SELECT account_id, COALESCE(auditor_setting_id, 0) AS setting, created, 1 AS d FROM new_issues
             WHERE fixed = FALSE AND justified = FALSE AND item_active = TRUE AND created IS NOT NULL
            UNION ALL
            SELECT account_id, COALESCE(auditor_setting_id, 0) AS setting, created, -1 AS d FROM old_issues
             WHERE fixed = FALSE AND justified = FALSE AND item_active = TRUE AND created IS NOT NULL) x
     GROUP BY 1, 2, 3 HAVING SUM(x.d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = c.issues + excluded.issues;
    DELETE FROM issue_raised_counts c USING (SELECT DISTINCT account_id, COALESCE(auditor_setting_id, 0) AS setting, created
      FROM old_issues WHERE created IS NOT NULL) o
     WHERE c.issues = 0 AND c.account_id = o.account_id AND c.auditor_setting_id = o.setting AND c.raised = o.created;
    RETURN NULL;
END
$$;

CREATE FUNCTION issues_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO issue_counts AS c (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
    SELECT x.account_id, x.technology, x.region, x.item_active, x.justified, x.setting, SUM(x.d), SUM(x.d * x.score)
      FROM (SELECT account_id, technology, region, item_active, justified, COALESCE(auditor_setting_id, 0) AS setting,
                   score, -1 AS d FROM old_issues WHERE fixed = FALSE) x
     GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(x.d) <> 0 OR SUM(x.d * x.score) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id)
    DO UPDATE SET issues = c.issues + excluded.issues, score = c.score + excluded.score;

    INSERT INTO issue_raised_counts AS c (account_id, auditor_setting_id, raised, issues)
    SELECT x.account_id, x.setting, x.created, SUM(x.d)
      FROM (SELECT account_id, COALESCE(auditor_setting_id, 0) AS setting, created, -1 AS d FROM old_issues
             WHERE fixed = FALSE AND justified = FALSE AND item_active = TRUE AND created IS NOT NULL) x
     GROUP BY 1, 2, 3 HAVING SUM(x.d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = c.issues + excluded.issues;
    DELETE FROM issue_raised_counts c USING (SELECT DISTINCT account_id, COALESCE(auditor_setting_id, 0) AS setting, created
      FROM old_issues WHERE created IS NOT NULL) o
     WHERE c.issues = 0 AND c.account_id = o.account_id AND c.auditor_setting_id = o.setting AND c.raised = o.created;
    RETURN NULL;
END
$$;

CREATE TRIGGER issues_count_insert AFTER INSERT ON issues REFERENCING NEW TABLE AS new_issues
    FOR EACH STATEMENT EXECUTE FUNCTION issues_count_insert();
CREATE TRIGGER issues_count_update AFTER UPDATE ON issues REFERENCING OLD TABLE AS old_issues NEW TABLE AS new_issues
    FOR EACH STATEMENT EXECUTE FUNCTION issues_count_update();
CREATE TRIGGER issues_count_delete AFTER DELETE ON issues REFERENCING OLD TABLE AS old_issues
    FOR EACH STATEMENT EXECUTE FUNCTION issues_count_delete();

-- Backfill, after the triggers: creating them waited for the writers in
-- flight and holds their tables until this migration commits.
INSERT INTO item_counts (account_id, technology, region, active, items)
SELECT account_id, technology, region, latest_active, COUNT(*) FROM items GROUP BY 1, 2, 3, 4;

INSERT INTO issue_counts (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
SELECT account_id, technology, region, item_active, justified, COALESCE(auditor_setting_id, 0), COUNT(*), SUM(score)
  FROM issues WHERE fixed = FALSE GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO issue_raised_counts (account_id, auditor_setting_id, raised, issues)
SELECT account_id, COALESCE(auditor_setting_id, 0), created, COUNT(*) FROM issues
 WHERE fixed = FALSE AND justified = FALSE AND item_active = TRUE AND created IS NOT NULL GROUP BY 1, 2, 3;
