import { sql, type Kysely } from 'kysely';

// Statistics that re-identify no one (docs/statistics.md, docs/adr/0013):
// - The link from a case to its facts moves from cases.stats_fact_id, which the application role
//   could join, to stats.case_links, which no role but the owner reads. The application writes
//   facts through SECURITY DEFINER functions that take a case id and never return a fact id, and
//   reads a year's facts only through stats.release_facts, without ids, once per release. It keeps
//   no SELECT on the fact tables: their months and outcomes, matched against the cases' own dates
//   and outcomes, would rebuild the link.
// - A purged case keeps no link and no category; an objector's facts keep only their month.
// - The objection is the latest consent record by seq, the order access uses.
// - A release may wait for a second person's approval (stats.release_requests, releases.approved_by).
// - Regional releases are frozen like the CLSMs' own (stats.regional_releases).

const DEFINER = 'SECURITY DEFINER SET search_path = pg_catalog, pg_temp';
const YEAR = 'CHECK (year BETWEEN 2000 AND 9999)';

/** Functions the application role calls; EXECUTE is revoked from PUBLIC and granted to it alone. */
const APP_FUNCTIONS = [
  'stats.record_referral(uuid, uuid, text)',
  'stats.declare_person(uuid, uuid, text, text, text, text, text, text[])',
  'stats.record_first_review(uuid, uuid, text, text)',
  'stats.record_decline(uuid, uuid, text)',
  'stats.record_closure(uuid, uuid, text, text, text)',
  'stats.record_decision(uuid, uuid, text, text)',
  'stats.release_facts(uuid, integer)',
  'stats.referrals_received(uuid, integer)',
  'stats.forget_case(uuid, uuid)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE stats.case_links (
       clsm_id uuid NOT NULL,
       case_id uuid NOT NULL,
       fact_id uuid NOT NULL,
       PRIMARY KEY (clsm_id, case_id),
       UNIQUE (clsm_id, fact_id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES public.cases (clsm_id, id),
       FOREIGN KEY (clsm_id, fact_id) REFERENCES stats.case_facts (clsm_id, id)
     )`,
    `INSERT INTO stats.case_links (clsm_id, case_id, fact_id)
       SELECT clsm_id, id, stats_fact_id FROM public.cases WHERE stats_fact_id IS NOT NULL`,
    `ALTER TABLE public.cases DROP COLUMN stats_fact_id`,
    // A purged case keeps its reference, status and dates, not what it was about.
    `ALTER TABLE public.cases ALTER COLUMN reason_category DROP NOT NULL`,
    `ALTER TABLE public.cases ADD CONSTRAINT cases_reason_until_purged
       CHECK (reason_category IS NOT NULL OR purged_at IS NOT NULL)`,
    // When the person's categories were last declared, by the business clock: how many situations
    // changed just before a release decides whether it needs a second person.
    `ALTER TABLE public.cases ADD COLUMN categories_changed_at timestamptz`,

    // The fact row of a case, for the functions below only (it is not granted to anyone).
    `CREATE FUNCTION stats.fact_of(p_clsm_id uuid, p_case_id uuid) RETURNS uuid
       LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
     DECLARE
       found uuid;
     BEGIN
       SELECT l.fact_id INTO found FROM stats.case_links l
        WHERE l.clsm_id = p_clsm_id AND l.case_id = p_case_id;
       IF found IS NULL THEN
         RAISE EXCEPTION 'the case has no statistics facts' USING ERRCODE = 'no_data_found';
       END IF;
       RETURN found;
     END $$`,
    `CREATE FUNCTION stats.record_referral(p_clsm_id uuid, p_case_id uuid, p_month text) RETURNS void
       LANGUAGE plpgsql ${DEFINER} AS $$
     DECLARE
       fact uuid := gen_random_uuid();
     BEGIN
       INSERT INTO stats.case_facts (clsm_id, id, referred_month) VALUES (p_clsm_id, fact, p_month);
       INSERT INTO stats.case_links (clsm_id, case_id, fact_id) VALUES (p_clsm_id, p_case_id, fact);
     END $$`,
    `CREATE FUNCTION stats.declare_person(p_clsm_id uuid, p_case_id uuid, p_source text, p_sex text,
         p_age_band text, p_housing text, p_household text, p_problems text[]) RETURNS void
       LANGUAGE plpgsql ${DEFINER} AS $$
     DECLARE
       fact uuid := stats.fact_of(p_clsm_id, p_case_id);
     BEGIN
       UPDATE stats.case_facts
          SET source = p_source, sex = p_sex, age_band = p_age_band, housing = p_housing,
              household = p_household, problems = p_problems
        WHERE clsm_id = p_clsm_id AND id = fact;
     END $$`,
    `CREATE FUNCTION stats.record_first_review(p_clsm_id uuid, p_case_id uuid, p_month text, p_delay text)
       RETURNS void LANGUAGE plpgsql ${DEFINER} AS $$
     DECLARE
       fact uuid := stats.fact_of(p_clsm_id, p_case_id);
     BEGIN
       UPDATE stats.case_facts SET first_review_month = p_month, first_review_delay = p_delay
        WHERE clsm_id = p_clsm_id AND id = fact AND first_review_month IS NULL;
     END $$`,
    `CREATE FUNCTION stats.record_decline(p_clsm_id uuid, p_case_id uuid, p_reason text) RETURNS void
       LANGUAGE plpgsql ${DEFINER} AS $$
     DECLARE
       fact uuid := stats.fact_of(p_clsm_id, p_case_id);
     BEGIN
       UPDATE stats.case_facts SET decline_reason = p_reason WHERE clsm_id = p_clsm_id AND id = fact;
     END $$`,
    `CREATE FUNCTION stats.record_closure(p_clsm_id uuid, p_case_id uuid, p_month text, p_outcome text,
         p_duration text) RETURNS void
       LANGUAGE plpgsql ${DEFINER} AS $$
     DECLARE
       fact uuid := stats.fact_of(p_clsm_id, p_case_id);
     BEGIN
       UPDATE stats.case_facts SET closure_month = p_month, outcome = p_outcome, duration = p_duration
        WHERE clsm_id = p_clsm_id AND id = fact;
     END $$`,
    `CREATE FUNCTION stats.record_decision(p_clsm_id uuid, p_case_id uuid, p_month text, p_decision text)
       RETURNS void LANGUAGE plpgsql ${DEFINER} AS $$
     BEGIN
       INSERT INTO stats.case_decisions (clsm_id, fact_id, month, decision)
         VALUES (p_clsm_id, stats.fact_of(p_clsm_id, p_case_id), p_month, p_decision)
         ON CONFLICT DO NOTHING;
     END $$`,

    // The input of one year's release: declared facts that touch the year, objections left out
    // (latest consent record by seq), no ids, in an order that is the content's and not the order
    // of referral (which would line the rows up with the cases). A released year is not read again.
    `CREATE FUNCTION stats.release_facts(p_clsm_id uuid, p_year integer)
       RETURNS TABLE (referred_month text, source text, sex text, age_band text, housing text,
                      household text, problems text[], decline_reason text, first_review_month text,
                      first_review_delay text, closure_month text, outcome text, duration text,
                      decisions jsonb)
       LANGUAGE plpgsql STABLE ${DEFINER} AS $$
     #variable_conflict use_column
     DECLARE
       first_month text := p_year::text || '-01';
       last_month text := p_year::text || '-12';
     BEGIN
       IF EXISTS (SELECT 1 FROM stats.releases r WHERE r.clsm_id = p_clsm_id AND r.year = p_year) THEN
         RAISE EXCEPTION 'the bilan of % was already released: its input is not read again', p_year
           USING ERRCODE = 'insufficient_privilege';
       END IF;
       RETURN QUERY
         WITH objected AS (
           SELECT l.fact_id FROM stats.case_links l
             JOIN LATERAL (SELECT r.statistics_objection FROM public.consent_records r
                            WHERE r.clsm_id = l.clsm_id AND r.case_id = l.case_id
                            ORDER BY r.seq DESC LIMIT 1) latest ON true
            WHERE l.clsm_id = p_clsm_id AND latest.statistics_objection
         ),
         per_fact AS (
           SELECT d.fact_id,
                  jsonb_agg(jsonb_build_object('month', d.month, 'decision', d.decision)
                            ORDER BY d.month, d.decision) AS list,
                  bool_or(d.month BETWEEN first_month AND last_month) AS in_year
             FROM stats.case_decisions d WHERE d.clsm_id = p_clsm_id GROUP BY d.fact_id
         )
         SELECT f.referred_month, f.source, f.sex, f.age_band, f.housing, f.household, f.problems,
                f.decline_reason, f.first_review_month, f.first_review_delay, f.closure_month,
                f.outcome, f.duration, coalesce(p.list, '[]'::jsonb)
           FROM stats.case_facts f LEFT JOIN per_fact p ON p.fact_id = f.id
          WHERE f.clsm_id = p_clsm_id AND f.source IS NOT NULL
            AND (f.referred_month BETWEEN first_month AND last_month
                 OR f.first_review_month BETWEEN first_month AND last_month
                 OR f.closure_month BETWEEN first_month AND last_month
                 OR coalesce(p.in_year, false))
            AND NOT EXISTS (SELECT 1 FROM objected o WHERE o.fact_id = f.id)
          ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14;
     END $$`,
    // Every referral of the year counts, described or not, objection or not: an activity figure.
    `CREATE FUNCTION stats.referrals_received(p_clsm_id uuid, p_year integer) RETURNS integer
       LANGUAGE sql STABLE ${DEFINER} AS $$
       SELECT count(*)::integer FROM stats.case_facts f
        WHERE f.clsm_id = p_clsm_id
          AND f.referred_month BETWEEN p_year::text || '-01' AND p_year::text || '-12'
     $$`,

    // After a purge: the link goes and no category stays on the tombstone. The facts stay for the
    // bilans to come; once unlinked an objection could no longer be looked up, so an objector's row
    // keeps only its month of referral, and still counts among the referrals received.
    `CREATE FUNCTION stats.forget_case(p_clsm_id uuid, p_case_id uuid) RETURNS void
       LANGUAGE plpgsql ${DEFINER} AS $$
     DECLARE
       fact uuid;
     BEGIN
       IF NOT EXISTS (SELECT 1 FROM public.cases c
                       WHERE c.clsm_id = p_clsm_id AND c.id = p_case_id AND c.purged_at IS NOT NULL) THEN
         RAISE EXCEPTION 'only a purged case is forgotten' USING ERRCODE = 'insufficient_privilege';
       END IF;
       SELECT l.fact_id INTO fact FROM stats.case_links l
        WHERE l.clsm_id = p_clsm_id AND l.case_id = p_case_id;
       IF fact IS NOT NULL AND coalesce((SELECT r.statistics_objection FROM public.consent_records r
                                          WHERE r.clsm_id = p_clsm_id AND r.case_id = p_case_id
                                          ORDER BY r.seq DESC LIMIT 1), false) THEN
         DELETE FROM stats.case_decisions d WHERE d.clsm_id = p_clsm_id AND d.fact_id = fact;
         UPDATE stats.case_facts
            SET source = NULL, sex = NULL, age_band = NULL, housing = NULL, household = NULL,
                problems = NULL, decline_reason = NULL, first_review_month = NULL,
                first_review_delay = NULL, closure_month = NULL, outcome = NULL, duration = NULL
          WHERE clsm_id = p_clsm_id AND id = fact;
       END IF;
       DELETE FROM stats.case_links l WHERE l.clsm_id = p_clsm_id AND l.case_id = p_case_id;
       UPDATE public.cases
          SET reason_category = NULL, decline_reason = NULL, outcome_category = NULL,
              categories_changed_at = NULL
        WHERE clsm_id = p_clsm_id AND id = p_case_id;
       UPDATE public.case_transitions SET category = NULL
        WHERE clsm_id = p_clsm_id AND case_id = p_case_id AND category IS NOT NULL;
       DELETE FROM public.decisions d WHERE d.clsm_id = p_clsm_id AND d.case_id = p_case_id;
     END $$`,
    // Cases purged before this migration.
    `SELECT stats.forget_case(clsm_id, id) FROM public.cases WHERE purged_at IS NOT NULL`,

    `REVOKE ALL ON FUNCTION stats.fact_of(uuid, uuid) FROM PUBLIC`,
    ...APP_FUNCTIONS.flatMap((f) => [
      `REVOKE ALL ON FUNCTION ${f} FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION ${f} TO clsm_app`,
    ]),
    `REVOKE ALL ON stats.case_facts FROM clsm_app`,
    `REVOKE ALL ON stats.case_decisions FROM clsm_app`,

    // A release whose inputs changed in bulk just before it waits for a second person.
    `CREATE TABLE stats.release_requests (
       clsm_id uuid NOT NULL REFERENCES public.tenants (clsm_id),
       year integer NOT NULL ${YEAR},
       requested_by uuid NOT NULL,
       requested_at timestamptz NOT NULL,
       changed_situations integer NOT NULL CHECK (changed_situations >= 0),
       PRIMARY KEY (clsm_id, year),
       FOREIGN KEY (clsm_id, requested_by) REFERENCES public.members (clsm_id, id)
     )`,
    `ALTER TABLE stats.releases ADD COLUMN approved_by uuid`,
    `ALTER TABLE stats.releases ADD FOREIGN KEY (clsm_id, approved_by) REFERENCES public.members (clsm_id, id)`,
    `ALTER TABLE stats.releases ADD CHECK (approved_by IS NULL OR approved_by <> released_by)`,

    // Regional releases: one row per version, frozen like a CLSM's release. Which CLSMs each table
    // sums stays here: it is what the next version is checked against, and it is not served.
    `CREATE TABLE stats.regional_releases (
       year integer NOT NULL ${YEAR},
       version integer NOT NULL CHECK (version >= 1),
       catalogue_version text NOT NULL CHECK (catalogue_version ~ '^[0-9]{4}\\.[0-9]+$'),
       content text NOT NULL,
       content_hash text NOT NULL CHECK (content_hash = encode(sha256(convert_to(content, 'UTF8')), 'hex')),
       contributions jsonb NOT NULL,
       released_at timestamptz NOT NULL,
       PRIMARY KEY (year, version)
     )`,
    `CREATE TRIGGER regional_releases_no_update BEFORE UPDATE OR DELETE ON stats.regional_releases
       FOR EACH ROW EXECUTE FUNCTION stats.releases_frozen()`,
    `CREATE TRIGGER regional_releases_no_truncate BEFORE TRUNCATE ON stats.regional_releases
       FOR EACH STATEMENT EXECUTE FUNCTION stats.releases_frozen()`,
    `CREATE VIEW stats.published_regional_releases AS
       SELECT year, version, catalogue_version, content, content_hash, released_at FROM stats.regional_releases`,

    `GRANT SELECT, INSERT ON stats.release_requests TO clsm_app`,
    `GRANT SELECT, INSERT ON stats.regional_releases TO clsm_app`,
    `GRANT SELECT ON stats.published_regional_releases TO clsm_stats`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP VIEW stats.published_regional_releases',
    'DROP TABLE stats.regional_releases',
    'ALTER TABLE stats.releases DROP COLUMN approved_by',
    'DROP TABLE stats.release_requests',
    'GRANT SELECT, INSERT, UPDATE ON stats.case_facts TO clsm_app',
    'GRANT SELECT, INSERT, UPDATE ON stats.case_decisions TO clsm_app',
    ...APP_FUNCTIONS.map((f) => `DROP FUNCTION ${f}`),
    'DROP FUNCTION stats.fact_of(uuid, uuid)',
    'ALTER TABLE public.cases DROP COLUMN categories_changed_at',
    'ALTER TABLE public.cases DROP CONSTRAINT cases_reason_until_purged',
    'ALTER TABLE public.cases ADD COLUMN stats_fact_id uuid',
    `UPDATE public.cases c SET stats_fact_id = l.fact_id FROM stats.case_links l
      WHERE l.clsm_id = c.clsm_id AND l.case_id = c.id`,
    'DROP TABLE stats.case_links',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
