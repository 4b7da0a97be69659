import { sql, type Kysely } from 'kysely';

// The `stats` schema (docs/statistics.md, "What is stored where"). Facts hold category codes and
// months only: no free text, no day, no case id or reference. The only link from a case to its facts
// is cases.stats_fact_id, in the main schema, which the statistics role cannot read. That role reads
// one view over the frozen releases and calls two narrow functions that re-check a bearer's session
// (docs/adr/0009); it can read no fact table and nothing outside `stats`.

const MONTH = `'^[0-9]{4}-(0[1-9]|1[0-2])$'`;
const list = (codes: string[]) => codes.map((c) => `'${c}'`).join(', ');
const oneOf = (column: string, codes: string[]) => `CHECK (${column} IN (${list(codes)}))`;

const SOURCES = [
  'bailleur',
  'social_municipal',
  'social_departemental',
  'psychiatrie',
  'medecin',
  'police',
  'mairie_elu',
  'mandataire_judiciaire',
  'medico_social',
  'association_hebergement',
  'autre',
];
const SEXES = ['femme', 'homme', 'autre_non_renseigne'];
const AGE_BANDS = ['moins_25', '25_44', '45_64', '65_plus', 'inconnu'];
const HOUSING = [
  'locataire_social',
  'locataire_prive',
  'proprietaire',
  'heberge_tiers',
  'hebergement_institution',
  'sans_domicile',
  'inconnu',
];
const HOUSEHOLDS = ['seul', 'couple_sans_enfant', 'couple_avec_enfants', 'parent_isole', 'autre', 'inconnu'];
const PROBLEMS = [
  'troubles_psychiques',
  'rupture_soins',
  'incurie',
  'troubles_voisinage',
  'isolement',
  'danger_pour_soi',
  'risque_pour_autrui',
  'addictions',
  'dettes',
  'menace_expulsion',
  'perte_autonomie',
  'violences_subies',
  'droits_non_ouverts',
];
const DELAYS = ['moins_1_mois', '1_3_mois', 'plus_3_mois'];
const DECISIONS = [
  'visite_conjointe',
  'orientation_soins',
  'evaluation_protection',
  'ouverture_droits',
  'accompagnement_renforce',
  'action_logement',
  'referent_designe',
  'veille',
  'cloture',
  'autre',
];
const OUTCOMES = [
  'resolue',
  'droit_commun',
  'soins_engages',
  'mesure_protection',
  'logement',
  'sans_solution',
  'refus_personne',
  'deces_depart',
  'autre',
];
const DURATIONS = ['moins_3_mois', '3_6_mois', '6_12_mois', 'plus_12_mois'];
const DECLINE_REASONS = ['hors_champ', 'deja_suivie', 'informations_insuffisantes', 'autre'];
const PARTNERS = [
  'bailleur',
  'psychiatrie',
  'social_municipal',
  'social_departemental',
  'police',
  'mairie_elu',
  'medico_social',
  'association',
  'autre',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // One row per referred case, created at referral. Person facts stay NULL until declared; a stage
    // is filled in when it happens. A row is complete or NULL per group, never half-declared.
    `CREATE TABLE stats.case_facts (
       clsm_id uuid NOT NULL REFERENCES public.tenants (clsm_id),
       id uuid NOT NULL,
       referred_month text NOT NULL CHECK (referred_month ~ ${MONTH}),
       source text ${oneOf('source', SOURCES)},
       sex text ${oneOf('sex', SEXES)},
       age_band text ${oneOf('age_band', AGE_BANDS)},
       housing text ${oneOf('housing', HOUSING)},
       household text ${oneOf('household', HOUSEHOLDS)},
       problems text[] CHECK (problems <@ ARRAY[${list(PROBLEMS)}]::text[]),
       decline_reason text ${oneOf('decline_reason', DECLINE_REASONS)},
       first_review_month text CHECK (first_review_month ~ ${MONTH}),
       first_review_delay text ${oneOf('first_review_delay', DELAYS)},
       closure_month text CHECK (closure_month ~ ${MONTH}),
       outcome text ${oneOf('outcome', OUTCOMES)},
       duration text ${oneOf('duration', DURATIONS)},
       PRIMARY KEY (clsm_id, id),
       CHECK ((source IS NULL) = (sex IS NULL) AND (sex IS NULL) = (age_band IS NULL)
          AND (age_band IS NULL) = (housing IS NULL) AND (housing IS NULL) = (household IS NULL)
          AND (household IS NULL) = (problems IS NULL)),
       CHECK ((first_review_month IS NULL) = (first_review_delay IS NULL)),
       CHECK ((closure_month IS NULL) = (outcome IS NULL) AND (outcome IS NULL) = (duration IS NULL))
     )`,
    // Each decision category a case received, in the month of the sitting that took it; the same
    // category twice in one month is one fact.
    `CREATE TABLE stats.case_decisions (
       clsm_id uuid NOT NULL,
       fact_id uuid NOT NULL,
       month text NOT NULL CHECK (month ~ ${MONTH}),
       decision text NOT NULL ${oneOf('decision', DECISIONS)},
       PRIMARY KEY (clsm_id, fact_id, month, decision),
       FOREIGN KEY (clsm_id, fact_id) REFERENCES stats.case_facts (clsm_id, id)
     )`,
    // Activity: counters per month, never per sitting or per person.
    `CREATE TABLE stats.sittings_held (
       clsm_id uuid NOT NULL REFERENCES public.tenants (clsm_id),
       month text NOT NULL CHECK (month ~ ${MONTH}),
       held integer NOT NULL CHECK (held >= 0),
       PRIMARY KEY (clsm_id, month)
     )`,
    `CREATE TABLE stats.attendance (
       clsm_id uuid NOT NULL REFERENCES public.tenants (clsm_id),
       month text NOT NULL CHECK (month ~ ${MONTH}),
       partner text NOT NULL ${oneOf('partner', PARTNERS)},
       expected integer NOT NULL CHECK (expected >= 0),
       present integer NOT NULL CHECK (present >= 0 AND present <= expected),
       PRIMARY KEY (clsm_id, month, partner)
     )`,

    // A year's bilan, released once and frozen: the canonical JSON and its SHA-256, checked here too
    // so that no writer can store a hash that does not match the bytes served.
    `CREATE TABLE stats.releases (
       clsm_id uuid NOT NULL REFERENCES public.tenants (clsm_id),
       year integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
       catalogue_version text NOT NULL CHECK (catalogue_version ~ '^[0-9]{4}\\.[0-9]+$'),
       content text NOT NULL,
       content_hash text NOT NULL CHECK (content_hash = encode(sha256(convert_to(content, 'UTF8')), 'hex')),
       released_at timestamptz NOT NULL,
       released_by uuid NOT NULL,
       PRIMARY KEY (clsm_id, year),
       FOREIGN KEY (clsm_id, released_by) REFERENCES public.members (clsm_id, id)
     )`,
    `CREATE FUNCTION stats.releases_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'a released bilan is frozen (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
     END $$`,
    `CREATE TRIGGER releases_no_update BEFORE UPDATE OR DELETE ON stats.releases
       FOR EACH ROW EXECUTE FUNCTION stats.releases_frozen()`,
    `CREATE TRIGGER releases_no_truncate BEFORE TRUNCATE ON stats.releases
       FOR EACH STATEMENT EXECUTE FUNCTION stats.releases_frozen()`,

    // What the statistics server reads: the frozen releases, without who released them.
    `CREATE VIEW stats.published_releases AS
       SELECT clsm_id, year, catalogue_version, content, content_hash, released_at FROM stats.releases`,

    // Authentication on the statistics server (docs/adr/0009): the role and charter acceptance of a
    // member whose session (built-in) or OIDC subject is valid right now; no row otherwise. SECURITY
    // DEFINER so that clsm_stats needs no right on members or sessions; search_path pinned so that no
    // object the caller creates can stand in for ours (every name is qualified as well).
    `CREATE FUNCTION stats.session_principal(p_clsm_id uuid, p_member_id uuid, p_session_id uuid)
       RETURNS TABLE (role text, charter_accepted boolean)
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
       SELECT m.role,
              EXISTS (SELECT 1 FROM public.charter_acceptances a
                       WHERE a.clsm_id = m.clsm_id AND a.member_id = m.id
                         AND a.version = (SELECT max(p.version) FROM public.charter_publications p
                                           WHERE p.clsm_id = m.clsm_id))
         FROM public.sessions s
         JOIN public.members m ON m.clsm_id = s.clsm_id AND m.id = s.member_id
        WHERE s.clsm_id = p_clsm_id AND s.id = p_session_id AND s.member_id = p_member_id
          AND m.status = 'active' AND s.revoked_at IS NULL AND s.expires_at > now()
     $$`,
    `CREATE FUNCTION stats.oidc_principal(p_subject text, p_token_hash bytea)
       RETURNS TABLE (clsm_id uuid, member_id uuid, role text, charter_accepted boolean)
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
       SELECT m.clsm_id, m.id, m.role,
              EXISTS (SELECT 1 FROM public.charter_acceptances a
                       WHERE a.clsm_id = m.clsm_id AND a.member_id = m.id
                         AND a.version = (SELECT max(p.version) FROM public.charter_publications p
                                           WHERE p.clsm_id = m.clsm_id))
         FROM public.members m
        WHERE m.oidc_subject = p_subject AND m.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM public.revoked_tokens r WHERE r.token_hash = p_token_hash)
     $$`,

    // Functions are executable by PUBLIC unless revoked: only the statistics role may call these.
    `REVOKE ALL ON FUNCTION stats.session_principal(uuid, uuid, uuid) FROM PUBLIC`,
    `REVOKE ALL ON FUNCTION stats.oidc_principal(text, bytea) FROM PUBLIC`,
    `REVOKE ALL ON FUNCTION stats.releases_frozen() FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION stats.session_principal(uuid, uuid, uuid) TO clsm_stats`,
    `GRANT EXECUTE ON FUNCTION stats.oidc_principal(text, bytea) TO clsm_stats`,

    // Every case has its facts row from its referral on; cases referred before this migration get
    // one holding their month of referral (their earlier stages are not reconstructed).
    `UPDATE public.cases SET stats_fact_id = gen_random_uuid() WHERE stats_fact_id IS NULL`,
    `INSERT INTO stats.case_facts (clsm_id, id, referred_month)
       SELECT clsm_id, stats_fact_id, to_char(referred_at AT TIME ZONE 'UTC', 'YYYY-MM') FROM public.cases`,

    `GRANT SELECT, INSERT, UPDATE ON stats.case_facts TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON stats.case_decisions TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON stats.sittings_held TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON stats.attendance TO clsm_app`,
    `GRANT SELECT, INSERT ON stats.releases TO clsm_app`,
    `GRANT SELECT ON stats.published_releases TO clsm_stats`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP FUNCTION stats.oidc_principal(text, bytea)',
    'DROP FUNCTION stats.session_principal(uuid, uuid, uuid)',
    'DROP VIEW stats.published_releases',
    'DROP TABLE stats.releases',
    'DROP FUNCTION stats.releases_frozen()',
    'DROP TABLE stats.attendance',
    'DROP TABLE stats.sittings_held',
    'DROP TABLE stats.case_decisions',
    'DROP TABLE stats.case_facts',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
