-- Issue listings filtered by the item's account, technology, region or
-- active flag count and page from one index instead of joining every open
-- issue with the items. The columns copy the item's: account, technology and
-- region never change for an item; its active flag is kept in step by a
-- trigger.
ALTER TABLE issues ADD COLUMN account_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN technology TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN item_active BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE issues SET
    account_id = (SELECT i.account_id FROM items i WHERE i.id = issues.item_id),
    technology = (SELECT i.technology FROM items i WHERE i.id = issues.item_id),
    region = (SELECT i.region FROM items i WHERE i.id = issues.item_id),
    item_active = (SELECT i.latest_active FROM items i WHERE i.id = issues.item_id);

CREATE TRIGGER issues_copy_item AFTER INSERT ON issues BEGIN
    UPDATE issues SET
        account_id = (SELECT i.account_id FROM items i WHERE i.id = NEW.item_id),
        technology = (SELECT i.technology FROM items i WHERE i.id = NEW.item_id),
        region = (SELECT i.region FROM items i WHERE i.id = NEW.item_id),
        item_active = (SELECT i.latest_active FROM items i WHERE i.id = NEW.item_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER items_active_to_issues AFTER UPDATE OF latest_active ON items
    WHEN OLD.latest_active <> NEW.latest_active BEGIN
    UPDATE issues SET item_active = NEW.latest_active WHERE item_id = NEW.id;
END;

CREATE INDEX issues_open_technology ON issues (technology, justified, score DESC, id) WHERE fixed = FALSE;
CREATE INDEX issues_open_account ON issues (account_id, justified, score DESC, id) WHERE fixed = FALSE;
CREATE INDEX issues_open_region ON issues (region, justified, score DESC, id) WHERE fixed = FALSE;
CREATE INDEX issues_open_active ON issues (item_active, justified, score DESC, id) WHERE fixed = FALSE;
