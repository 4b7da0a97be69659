/**
 * The weakest Argon2id parameters a wrapped secret may use (t = 2 passes, m = 19 MiB, OWASP's floor):
 * checked before any key is derived, by clients and by the server that stores backups.
 */
export const MIN_OPSLIMIT = 2;
export const MIN_MEMLIMIT = 19 * 1024 * 1024;

/**
 * The costliest ones (libsodium's SENSITIVE level: t = 4, m = 1 GiB), checked as early: parameters
 * travel with the blob, and a server that lies about them must not make a device spend minutes or
 * allocate gigabytes before the passphrase is even tried. Plain numbers (a test holds them to
 * libsodium's constants), so that the request schemas can use them.
 */
export const MAX_OPSLIMIT = 4;
export const MAX_MEMLIMIT = 1024 * 1024 * 1024;
