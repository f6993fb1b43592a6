/** The sandbox database schema (created if missing; every table is additive). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
  token TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, parent_token TEXT NOT NULL,
  created_ms INTEGER NOT NULL, modified_ms INTEGER NOT NULL, size INTEGER, sha256 TEXT,
  version INTEGER NOT NULL DEFAULT 1, deleted_ms INTEGER, owner TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_by_parent ON nodes (parent_token, deleted_ms);
CREATE TABLE IF NOT EXISTS media (
  token TEXT PRIMARY KEY, name TEXT NOT NULL, parent_type TEXT NOT NULL, parent_node TEXT NOT NULL,
  extra TEXT, size INTEGER NOT NULL, sha256 TEXT NOT NULL, created_ms INTEGER NOT NULL, owner TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (
  upload_id TEXT PRIMARY KEY, media INTEGER NOT NULL, identity TEXT NOT NULL, file_name TEXT NOT NULL,
  parent_type TEXT NOT NULL, parent_node TEXT NOT NULL, extra TEXT, size INTEGER NOT NULL,
  block_num INTEGER NOT NULL, file_token TEXT, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS upload_blocks (
  upload_id TEXT NOT NULL, seq INTEGER NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (upload_id, seq));
CREATE TABLE IF NOT EXISTS access_tokens (token TEXT PRIMARY KEY, identity TEXT NOT NULL, expires_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS refresh_tokens (token TEXT PRIMARY KEY, identity TEXT NOT NULL, expires_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS call_counts (
  day TEXT NOT NULL, endpoint TEXT NOT NULL, calls INTEGER NOT NULL, rate_limited INTEGER NOT NULL,
  admitted INTEGER NOT NULL, PRIMARY KEY (day, endpoint));
CREATE TABLE IF NOT EXISTS tasks (task_id TEXT PRIMARY KEY, kind TEXT NOT NULL, token TEXT NOT NULL, created_ms INTEGER NOT NULL);
`;
