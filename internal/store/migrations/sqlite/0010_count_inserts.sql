-- The store counts the items and issues it inserts (SQLite).
--
-- SQLite has row triggers only: the insert triggers of migration 0007 ran
-- one upsert into item_counts and two into issue_counts and
-- issue_raised_counts (each joining the issue's item) per inserted row,
-- which cost as much as the rest of a new item's or issue's insert. The
-- store's inserts (ApplyChanges' new items, SaveIssues' new issues) now add
-- their rows to the counts with one upsert per table and statement
-- (store.insertCounts, decision 124). They always set latest_revision_id
-- (items, decision 121) and account_id (issues, decision 120); an insert
-- that leaves them unset is still counted by a trigger, so every row stays
-- counted whatever writes it. Postgres counts inserts with statement
-- triggers over transition tables (its migration 0007): its migration 0010
-- changes nothing, so that both engines' schemas keep one version number.

DROP TRIGGER items_count_insert;
CREATE TRIGGER items_count_insert AFTER INSERT ON items WHEN NEW.latest_revision_id IS NULL BEGIN
    INSERT INTO item_counts (account_id, technology, region, active, items)
    VALUES (NEW.account_id, NEW.technology, NEW.region, NEW.latest_active, 1)
    ON CONFLICT (account_id, technology, region, active) DO UPDATE SET items = items + excluded.items;
END;

DROP TRIGGER issues_count_insert;
CREATE TRIGGER issues_count_insert AFTER INSERT ON issues WHEN NEW.account_id = 0 BEGIN
    INSERT INTO issue_counts (account_id, technology, region, item_active, justified, auditor_setting_id, issues, score)
    SELECT i.account_id, i.technology, i.region, i.latest_active, NEW.justified, COALESCE(NEW.auditor_setting_id, 0), 1, NEW.score
      FROM items i WHERE i.id = NEW.item_id AND NEW.fixed = FALSE
    ON CONFLICT (account_id, technology, region, item_active, justified, auditor_setting_id) DO UPDATE SET issues = issues + excluded.issues, score = score + excluded.score;
    INSERT INTO issue_raised_counts (account_id, auditor_setting_id, raised, issues)
    SELECT i.account_id, COALESCE(NEW.auditor_setting_id, 0), NEW.created, 1
      FROM items i WHERE i.id = NEW.item_id AND NEW.fixed = FALSE AND NEW.justified = FALSE AND i.latest_active = TRUE AND NEW.created IS NOT NULL
    ON CONFLICT (account_id, auditor_setting_id, raised) DO UPDATE SET issues = issues + excluded.issues;
END;
