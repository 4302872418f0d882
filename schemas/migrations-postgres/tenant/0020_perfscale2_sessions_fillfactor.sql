-- Interim updates of an open session change only its counters, times and address, none of them indexed:
-- with room left on the row's page PostgreSQL keeps the new version there as a heap-only tuple and writes
-- no entry into the three indexes of sessions (PostgreSQL 15 manual, "Database Physical Storage",
-- "Heap-Only Tuples (HOT)": "You can increase the likelihood of sufficient page space for HOT updates by
-- decreasing a table's fillfactor"; CREATE TABLE, "Storage Parameters", fillfactor). At the default 100,
-- 14 % of the scaled bench's session updates were HOT (issue 11). 70 leaves room for about eight more
-- versions of the rows on a page; pruning frees dead ones as the page is read again.
ALTER TABLE "sessions" SET (fillfactor = 70);
