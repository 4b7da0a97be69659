import { sql, type Kysely } from 'kysely';

// A follow-up action that names a decision names one of its own situation: the link becomes a
// foreign key on (clsm_id, case_id, decision_id). Links recorded before that pointed nowhere or at
// another situation's decision mean nothing: they are dropped (the action itself stays), and the
// migration says how many.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `DO $$
       DECLARE unlinked integer;
       BEGIN
         UPDATE follow_up_actions a SET decision_id = NULL
          WHERE a.decision_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM decisions d
                             WHERE d.clsm_id = a.clsm_id AND d.case_id = a.case_id AND d.id = a.decision_id);
         GET DIAGNOSTICS unlinked = ROW_COUNT;
         IF unlinked > 0 THEN
           RAISE NOTICE 'follow_up_actions: % link(s) to a decision of no situation or another one dropped', unlinked;
         END IF;
       END $$`,
    )
    .execute(db);
  for (const statement of [
    `ALTER TABLE decisions ADD CONSTRAINT decisions_case_id_unique UNIQUE (clsm_id, case_id, id)`,
    `ALTER TABLE follow_up_actions ADD CONSTRAINT follow_up_actions_decision_fk
       FOREIGN KEY (clsm_id, case_id, decision_id) REFERENCES decisions (clsm_id, case_id, id)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'ALTER TABLE follow_up_actions DROP CONSTRAINT follow_up_actions_decision_fk',
    'ALTER TABLE decisions DROP CONSTRAINT decisions_case_id_unique',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
