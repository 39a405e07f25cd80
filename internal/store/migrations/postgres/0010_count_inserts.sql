-- The SQLite store counts the items and issues it inserts itself (its
-- migration 0010, decision 124). Postgres already counts inserts once per
-- statement (statement triggers over transition tables, migration 0007):
-- nothing changes here; the migration keeps both engines' schemas at one
-- version number.
SELECT 1;
