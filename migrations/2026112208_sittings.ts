import { sql, type Kysely } from 'kysely';

// Sittings of the cellule: who is convened and who came, the agenda (one item per situation
// reviewed), the structured decisions with the person's adhesion, and the follow-up actions. Minutes
// are encrypted entries of the case's committee compartment that refer to their agenda item; once
// the sitting is closed, the database itself refuses new minutes for it (corrections are new
// entries that refer to the original).

export async function up(db: Kysely<unknown>): Promise<void> {
  const partner = `('bailleur', 'psychiatrie', 'social_municipal', 'social_departemental', 'police', 'mairie_elu', 'medico_social', 'association', 'autre')`;
  const statements = [
    `ALTER TABLE enrollment_codes ADD COLUMN partner_category text CHECK (partner_category IN ${partner})`,
    `ALTER TABLE members ADD COLUMN partner_category text CHECK (partner_category IN ${partner})`,
    `CREATE TABLE sittings (
       clsm_id uuid NOT NULL REFERENCES tenants (clsm_id),
       id uuid NOT NULL,
       scheduled_for timestamptz NOT NULL,
       location text NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
       status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'closed')),
       created_by uuid NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       held_at timestamptz,
       closed_at timestamptz,
       PRIMARY KEY (clsm_id, id)
     )`,
    `CREATE TABLE sitting_members (
       clsm_id uuid NOT NULL,
       sitting_id uuid NOT NULL,
       member_id uuid NOT NULL,
       attendance text CHECK (attendance IN ('present', 'excused', 'absent')),
       PRIMARY KEY (clsm_id, sitting_id, member_id),
       FOREIGN KEY (clsm_id, sitting_id) REFERENCES sittings (clsm_id, id),
       FOREIGN KEY (clsm_id, member_id) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX sitting_members_member ON sitting_members (clsm_id, member_id)`,
    `CREATE TABLE agenda_items (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       sitting_id uuid NOT NULL,
       case_id uuid NOT NULL,
       position integer NOT NULL,
       PRIMARY KEY (clsm_id, id),
       UNIQUE (clsm_id, sitting_id, case_id),
       FOREIGN KEY (clsm_id, sitting_id) REFERENCES sittings (clsm_id, id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id)
     )`,
    `CREATE TABLE decisions (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       case_id uuid NOT NULL,
       agenda_item_id uuid NOT NULL,
       category text NOT NULL,
       adhesion text NOT NULL DEFAULT 'not_asked' CHECK (adhesion IN ('agrees', 'disagrees', 'not_asked')),
       decided_at timestamptz NOT NULL,
       recorded_by uuid NOT NULL,
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id),
       FOREIGN KEY (clsm_id, agenda_item_id) REFERENCES agenda_items (clsm_id, id)
     )`,
    `CREATE TABLE follow_up_actions (
       clsm_id uuid NOT NULL,
       id uuid NOT NULL,
       case_id uuid NOT NULL,
       agenda_item_id uuid NOT NULL,
       decision_id uuid,
       assignee_id uuid NOT NULL,
       description_entry_id uuid NOT NULL,
       due_on date NOT NULL,
       status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
       created_by uuid NOT NULL,
       created_at timestamptz NOT NULL,
       completed_at timestamptz,
       PRIMARY KEY (clsm_id, id),
       FOREIGN KEY (clsm_id, case_id) REFERENCES cases (clsm_id, id),
       FOREIGN KEY (clsm_id, agenda_item_id) REFERENCES agenda_items (clsm_id, id),
       FOREIGN KEY (clsm_id, assignee_id) REFERENCES members (clsm_id, id)
     )`,
    `CREATE INDEX follow_up_actions_assignee ON follow_up_actions (clsm_id, assignee_id, status, due_on)`,
    `CREATE INDEX follow_up_actions_due ON follow_up_actions (clsm_id, status, due_on)`,
    // Minutes: an entry of kind 'minutes' refers to an agenda item of its own case, in the committee
    // compartment, of a sitting that is not closed. FOR SHARE waits for a concurrent closing to commit.
    `CREATE FUNCTION minutes_check() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE
       sitting_status text;
     BEGIN
       IF NEW.kind <> 'minutes' THEN RETURN NEW; END IF;
       SELECT s.status INTO sitting_status
         FROM agenda_items a JOIN sittings s ON s.clsm_id = a.clsm_id AND s.id = a.sitting_id
        WHERE a.clsm_id = NEW.clsm_id AND a.id = NEW.refers_to AND a.case_id = NEW.case_id AND NEW.compartment = 'committee'
          FOR SHARE OF s;
       IF NOT FOUND THEN
         RAISE EXCEPTION 'MINUTES_ITEM_UNKNOWN' USING ERRCODE = 'check_violation';
       END IF;
       IF sitting_status = 'closed' THEN
         RAISE EXCEPTION 'MINUTES_FROZEN' USING ERRCODE = 'check_violation';
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER entries_minutes_check BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION minutes_check()`,

    `GRANT SELECT, INSERT, UPDATE ON sittings TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON sitting_members TO clsm_app`,
    `GRANT SELECT, INSERT, DELETE ON agenda_items TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON decisions TO clsm_app`,
    `GRANT SELECT, INSERT, UPDATE ON follow_up_actions TO clsm_app`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP TRIGGER entries_minutes_check ON entries',
    'DROP FUNCTION minutes_check()',
    'DROP TABLE follow_up_actions',
    'DROP TABLE decisions',
    'DROP TABLE agenda_items',
    'DROP TABLE sitting_members',
    'DROP TABLE sittings',
    'ALTER TABLE members DROP COLUMN partner_category',
    'ALTER TABLE enrollment_codes DROP COLUMN partner_category',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
