import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once released.
// Every tenant-scoped table is keyed by (clsm_id, id) and references its parents with clsm_id
// included, so the database itself refuses a row that points into another tenant.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Roles are created here when absent (PGlite, development); on a managed PostgreSQL the DBA
    // creates them with LOGIN beforehand and these statements leave them alone.
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clsm_app') THEN CREATE ROLE clsm_app NOLOGIN; END IF;
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clsm_stats') THEN CREATE ROLE clsm_stats NOLOGIN; END IF;
     END $$`,
    `CREATE SCHEMA IF NOT EXISTS stats`,
    `REVOKE ALL ON SCHEMA stats FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA stats TO clsm_app, clsm_stats`,
    `GRANT SELECT ON kysely_migration TO clsm_app`,

    `CREATE TABLE tenants (
       clsm_id uuid PRIMARY KEY,
       name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    // The platform pseudo-tenant holds audit events that belong to no CLSM (e.g. a forged token).
    `INSERT INTO tenants (clsm_id, name) VALUES ('00000000-0000-0000-0000-000000000000', 'platform')`,

    `CREATE TABLE members (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       id uuid NOT NULL,
       role text NOT NULL CHECK (role IN ('coordinator', 'health_professional', 'social_worker', 'partner',
                                          'elected_official', 'dpo', 'stats_reader', 'operator')),
       organisation text NOT NULL CHECK (length(organisation) BETWEEN 1 AND 120),
       display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
       status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
       oidc_subject text UNIQUE,
       created_at timestamptz NOT NULL DEFAULT now(),
       suspended_at timestamptz,
       PRIMARY KEY (clsm_id, id)
     )`,

    `CREATE TABLE member_keys (
       clsm_id uuid NOT NULL,
       member_id uuid NOT NULL,
       version integer NOT NULL CHECK (version > 0),
       sign_public_key bytea NOT NULL CHECK (octet_length(sign_public_key) = 32),
       box_public_key bytea NOT NULL CHECK (octet_length(box_public_key) = 32),
       self_signature bytea NOT NULL CHECK (octet_length(self_signature) = 64),
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (clsm_id, member_id, version),
       FOREIGN KEY (clsm_id, member_id) REFERENCES members (clsm_id, id)
     )`,

    `CREATE TABLE enrollment_codes (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       id uuid NOT NULL,
       code_hash bytea NOT NULL UNIQUE CHECK (octet_length(code_hash) = 32),
       role text NOT NULL,
       organisation text NOT NULL,
       display_name text NOT NULL,
       created_by uuid,
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz NOT NULL,
       used_at timestamptz,
       used_by uuid,
       PRIMARY KEY (clsm_id, id)
     )`,

    `CREATE TABLE auth_challenges (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       member_id uuid NOT NULL,
       nonce bytea NOT NULL CHECK (octet_length(nonce) = 32),
       expires_at timestamptz NOT NULL,
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, member_id) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX auth_challenges_expiry ON auth_challenges (expires_at)`,

    `CREATE TABLE sessions (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       member_id uuid NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz NOT NULL,
       revoked_at timestamptz,
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, member_id) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX sessions_member ON sessions (clsm_id, member_id)`,

    // OIDC tokens are not ours to revoke at the provider: a logout records the token's hash until it expires.
    `CREATE TABLE revoked_tokens (
       token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       expires_at timestamptz NOT NULL
     )`,

    `GRANT SELECT, INSERT ON tenants TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON members TO clsm_app`,
    `GRANT SELECT, INSERT ON member_keys TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON enrollment_codes TO clsm_app`,
    `GRANT SELECT, INSERT, DELETE ON auth_challenges TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON sessions TO clsm_app`,
    `GRANT SELECT, INSERT, DELETE ON revoked_tokens TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'revoked_tokens',
    'sessions',
    'auth_challenges',
    'enrollment_codes',
    'member_keys',
    'members',
    'tenants',
  ]) {
    await sql.raw(`DROP TABLE ${table}`).execute(db);
  }
  await sql.raw('DROP SCHEMA stats').execute(db);
}
