/**
 * The weakest Argon2id parameters a wrapped secret may use (t = 2 passes, m = 19 MiB, OWASP's floor):
 * checked before any key is derived, by clients and by the server that stores backups.
 */
export const MIN_OPSLIMIT = 2;
export const MIN_MEMLIMIT = 19 * 1024 * 1024;
