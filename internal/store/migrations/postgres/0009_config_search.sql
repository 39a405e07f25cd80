-- Config and issue text searches (`searchconfig`) served by trigram indexes
-- (Postgres). Keep tables and columns identical to
-- migrations/sqlite/0009_config_search.sql (TestSchemasMatch).
--
-- 1. latest_configs: the latest revision's config of every item, lowered
--    (LOWER, as the search has always compared it), kept by the revision
--    writers in their transaction (ApplyChanges). Items are searched here
--    instead of joining every item with its latest revision.
-- 2. issues.item_name: the item's name (names never change for an item),
--    copied on insert like the item's account, technology and region
--    (migration 0004), so that an issue search's four fields are columns of
--    the issue rows, which one index covers.
-- 3. pg_trgm: trigram GIN indexes serve `LIKE '%term%'` on those lowered
--    texts. pg_trgm is a trusted extension (Postgres 13+: a database owner
--    may create it) shipped with the contrib package. Where it cannot be
--    created the migration still succeeds without the indexes: searches
--    then scan latest_configs and the open issues, as before, and
--    `monkey migrate` logs a warning (docs/decisions.md).

CREATE TABLE latest_configs (
    item_id      BIGINT PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    config_lower TEXT NOT NULL
);
INSERT INTO latest_configs (item_id, config_lower)
SELECT i.id, LOWER(r.config) FROM items i JOIN revisions r ON r.id = i.latest_revision_id;

ALTER TABLE issues ADD COLUMN item_name TEXT NOT NULL DEFAULT '';
UPDATE issues SET item_name = i.name FROM items i WHERE i.id = issues.item_id;

CREATE OR REPLACE FUNCTION issues_copy_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT i.account_id, i.technology, i.region, i.latest_active, i.name
      INTO NEW.account_id, NEW.technology, NEW.region, NEW.item_active, NEW.item_name
      FROM items i WHERE i.id = NEW.item_id;
    RETURN NEW;
END
$$;

DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'pg_trgm unavailable (%): searchconfig scans every config', SQLERRM;
        RETURN;
    END;
    BEGIN
        SET LOCAL maintenance_work_mem = '256MB';
        CREATE INDEX latest_configs_trgm ON latest_configs USING gin (config_lower gin_trgm_ops);
        CREATE INDEX issues_open_search_trgm ON issues USING gin (
            LOWER(issue_text) gin_trgm_ops, LOWER(COALESCE(notes, '')) gin_trgm_ops,
            LOWER(justification) gin_trgm_ops, LOWER(item_name) gin_trgm_ops) WHERE fixed = FALSE;
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'trigram indexes not created (%): searchconfig scans every config', SQLERRM;
    END;
END
$$;
