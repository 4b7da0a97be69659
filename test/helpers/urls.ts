/** The same server as a PostgreSQL URL, with another role and/or database. */
export function databaseUrlFor(url: string, change: { user?: string; database?: string }): string {
  const u = new URL(url);
  if (change.user !== undefined) {
    u.username = change.user;
    u.password = '';
  }
  if (change.database !== undefined) u.pathname = `/${change.database}`;
  return u.toString();
}
