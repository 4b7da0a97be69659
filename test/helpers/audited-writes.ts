import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { ClsmClient } from '../../src/client/client.js';
import type { Database } from '../../src/db/schema.js';
import { mustNotLeak } from './app.js';

// The writes the fault tests count: member invitations through HTTP, each named so that it can be
// found afterwards. An invitation is an audited write like any other: its row (the enrollment
// code, kept as a hash) and its `member.invited` event commit together or not at all.

/** What one write got back: an HTTP status, or 0 when no answer came (connection refused, reset). */
export type Ack = number;

export async function invite(url: string, token: string, name: string): Promise<Ack> {
  try {
    const res = await fetch(`${url}/v1/members/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      // The inviter's device would derive the code's hash; the server cannot tell it from random bytes.
      body: JSON.stringify({
        role: 'partner',
        organisation: 'Bailleur social',
        displayName: name,
        invitationId: randomUUID(),
        codeHash: randomBytes(32).toString('base64'),
      }),
    });
    await res.json();
    return res.status;
  } catch {
    return 0;
  }
}

export interface Found {
  /** Names whose row is in the database with exactly one `member.invited` event. */
  whole: Set<string>;
  /** Rows without their event, or with more than one. */
  torn: string[];
  /** `member.invited` events whose row does not exist. */
  orphanEvents: number;
}

/**
 * Waits until none of the CLSM's events waits to be sealed: a write whose connection was cut
 * between its commit and its sealing, or whose sealing a crash of the database took back, is chained
 * by the next opening of the database or by the API's sealing job, within seconds (docs/adr/0032).
 */
async function nothingLeftToSeal(db: Kysely<Database>, clsmId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const left = await sql<{ n: number }>`
      select count(*)::int as n from audit_pending where clsm_id = ${clsmId}`.execute(db);
    if (left.rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Every invitation named with `prefix`, and whether each is whole, once the CLSM's events are all
 * sealed (or 20 s have passed).
 */
export async function invitations(db: Kysely<Database>, clsmId: string, prefix: string): Promise<Found> {
  await nothingLeftToSeal(db, clsmId);
  const rows = await sql<{ name: string; events: number }>`
    select c.display_name as name,
      (select count(*)::int from audit_events a
        where a.clsm_id = c.clsm_id and a.type = 'member.invited' and a.resource_id = c.id::text) as events
    from enrollment_codes c
    where c.clsm_id = ${clsmId} and c.display_name like ${`${prefix}%`}`.execute(db);
  const orphans = await sql<{ n: number }>`
    select count(*)::int as n from audit_events a
    where a.clsm_id = ${clsmId} and a.type = 'member.invited'
      and not exists (select 1 from enrollment_codes c where c.clsm_id = a.clsm_id and c.id::text = a.resource_id)`.execute(
    db,
  );
  return {
    whole: new Set(rows.rows.filter((r) => r.events === 1).map((r) => r.name)),
    torn: rows.rows.filter((r) => r.events !== 1).map((r) => r.name),
    orphanEvents: orphans.rows[0]?.n ?? 0,
  };
}

/** Enrolls the first coordinator of a freshly started service, as the CLI would, and logs in. */
export async function firstCoordinator(
  url: string,
  code: string,
): Promise<{ token: string; clsmId: string }> {
  const { identity } = await ClsmClient.enroll(url, code);
  const client = new ClsmClient(identity);
  const token = await client.login();
  mustNotLeak(token.value);
  await client.acceptCharter((await client.charter()).version);
  return { token: token.value, clsmId: identity.clsmId };
}
