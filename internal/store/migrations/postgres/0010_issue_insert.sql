-- Nothing to change on Postgres: its copy trigger (issues_copy_item) runs
-- BEFORE INSERT and sets the new issue's item columns in the same write.
-- SQLite's ran after the insert and rewrote every new issue: see
-- migrations/sqlite/0010_issue_insert.sql. (The engines keep the same
-- migration versions.)
SELECT 1;
