-- Keep identical to the other engine's 0008_dashboard_lists.sql (TestSchemasMatch).
-- The dashboard's lists for chosen accounts: the aging issues (open,
-- unjustified issues of active items, oldest first) and the highest-scoring
-- active items, read per account from these indexes instead of walking every
-- account's rows in order and filtering (1,000,000 items: 96 ms and 23 ms
-- for an account whose rows come after the others'). The first also serves
-- the aging issues of all accounts.
CREATE INDEX issues_aging ON issues (id) WHERE fixed = FALSE AND justified = FALSE AND item_active = TRUE;
CREATE INDEX issues_aging_account ON issues (account_id, id) WHERE fixed = FALSE AND justified = FALSE AND item_active = TRUE;
CREATE INDEX items_top_account ON items (account_id, unjustified_score DESC, id) WHERE latest_active = TRUE;
