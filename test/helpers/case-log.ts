import { randomUUID } from 'node:crypto';
import { change, signCaseLogStatement } from '../../src/crypto/case-log-statements.js';
import type { LogSealWire } from '../../src/case-log/wire-schema.js';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import type { TestMember } from './members.js';

/**
 * What a referral sent by hand carries, as the referrer's device makes it: the new situation's id
 * and the opening statement of its membership log, signed with the member's keys.
 */
export async function referral(member: TestMember): Promise<{ id: string; log: LogSealWire }> {
  const id = randomUUID();
  const signed = await signCaseLogStatement(
    {
      ...change('opened', { subjectId: member.id, compartments: COMPARTMENTS }),
      clsmId: member.clsmId,
      caseId: id,
      seq: 0,
      prevHash: null,
      authorId: member.id,
      authorKeyVersion: member.keys.version,
      at: new Date().toISOString(),
    },
    member.keys.signSecretKey,
  );
  return {
    id,
    log: {
      seq: 0,
      prevHash: null,
      at: signed.at,
      signature: Buffer.from(signed.signature).toString('base64'),
    },
  };
}
