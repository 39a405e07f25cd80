-- SQLite only (Postgres's copy trigger runs BEFORE INSERT, in the same write):
-- see migrations/postgres/0010_issue_insert.sql. New issues are inserted with their item's columns (store: dialect
-- insertIssues); the copy trigger fills them only for an insert that leaves
-- them unset, instead of rewriting every new issue and its indexes.
DROP TRIGGER issues_copy_item;
CREATE TRIGGER issues_copy_item AFTER INSERT ON issues WHEN NEW.account_id = 0 BEGIN
    UPDATE issues SET
        account_id = (SELECT i.account_id FROM items i WHERE i.id = NEW.item_id),
        technology = (SELECT i.technology FROM items i WHERE i.id = NEW.item_id),
        region = (SELECT i.region FROM items i WHERE i.id = NEW.item_id),
        item_active = (SELECT i.latest_active FROM items i WHERE i.id = NEW.item_id),
        item_name = (SELECT i.name FROM items i WHERE i.id = NEW.item_id)
    WHERE id = NEW.id;
END;
