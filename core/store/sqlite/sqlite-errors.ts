/** better-sqlite3's SqliteError carries SQLite's extended code, e.g. 'SQLITE_CONSTRAINT_PRIMARYKEY'. */
export function isConstraintError(err: unknown, code = 'SQLITE_CONSTRAINT'): boolean {
  const found = (err as { code?: unknown } | null)?.code;
  return typeof found === 'string' && found.startsWith(code);
}
