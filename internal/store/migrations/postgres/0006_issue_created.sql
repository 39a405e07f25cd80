-- When an issue was first raised: the dashboard's new issues of the last
-- 24 hours and open issues over time. Issues raised before this migration
-- have none. The index serves the recent ones; the second the dashboard's
-- highest-scoring items.
ALTER TABLE issues ADD COLUMN created TIMESTAMPTZ;
CREATE INDEX issues_open_created ON issues (created) WHERE fixed = FALSE;
CREATE INDEX items_active_unjustified_score ON items (unjustified_score DESC, id) WHERE latest_active = TRUE;
