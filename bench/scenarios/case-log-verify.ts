import { randomUUID } from 'node:crypto';
import { extendCaseLog } from '../../src/crypto/case-log-replay.js';
import { emptyCaseLog, type LogDirectory } from '../../src/crypto/case-log-state.js';
import {
  caseLogHash,
  change,
  signCaseLogStatement,
  type CaseLogChange,
  type SignedCaseLogStatement,
} from '../../src/crypto/case-log-statements.js';
import { generateDeviceKeys, type DeviceKeys } from '../../src/crypto/device-keys.js';
import { ratePerSecond } from '../lib/timing.js';
import { inWorker } from '../lib/worker-process.js';
import type { RowInput } from '../lib/summary.js';

// Scenario 5, continued: what opening a situation costs a device the first time in a login, before
// it seals or accepts any key: replaying its whole membership log (docs/crypto-protocol.md §13), 50
// statements of every kind, each signature checked with libsodium and each hash chained.

const LOG_STATEMENTS = 50;

interface Member {
  id: string;
  role: string;
  keys: DeviceKeys;
}

async function member(role: string): Promise<Member> {
  return { id: randomUUID(), role, keys: await generateDeviceKeys() };
}

/** A situation's log as a busy one grows: colleagues added, narrowed and removed, keys, consent, an exception. */
async function busyLog(): Promise<{ statements: SignedCaseLogStatement[]; directory: LogDirectory }> {
  const clsmId = randomUUID();
  const caseId = randomUUID();
  const nurse = await member('health_professional');
  const social = await member('social_worker');
  const coordinator = await member('coordinator');
  const pool = await Promise.all(
    ['health_professional', 'partner', 'social_worker', 'health_professional'].map(member),
  );
  const everyone = new Map([nurse, social, coordinator, ...pool].map((m) => [m.id, m]));
  const statements: SignedCaseLogStatement[] = [];
  const taking = new Set<string>();
  const say = async (author: Member, c: CaseLogChange) => {
    const last = statements.at(-1);
    statements.push(
      await signCaseLogStatement(
        {
          ...c,
          clsmId,
          caseId,
          seq: statements.length,
          prevHash: last === undefined ? null : await caseLogHash(last),
          authorId: author.id,
          authorKeyVersion: 1,
          at: new Date().toISOString(),
        },
        author.keys.signSecretKey,
      ),
    );
  };
  let synthesis = 0;
  const key = (compartment: string, version: number) =>
    say(
      nurse,
      change('key', {
        compartments: [compartment],
        keyVersion: version,
        recipients: [...taking].map((id) => `${id}:1`).sort(),
      }),
    );
  const add = async (m: Member, compartments: string[]) => {
    await say(nurse, change('added', { subjectId: m.id, compartments }));
    taking.add(m.id);
  };

  await say(nurse, change('opened', { subjectId: nurse.id, compartments: ['synthesis', 'health'] }));
  taking.add(nurse.id);
  await add(social, ['synthesis', 'social']);
  await key('synthesis', (synthesis += 1));
  await key('health', 1);
  await say(coordinator, change('consent', { decision: 'given', scope: ['partner:synthesis'] }));
  await say(nurse, change('exception-opened', { scope: ['social_worker:health'], hours: 72 }));
  const opened = statements.length - 1;
  await say(social, change('exception-approved', { ref: opened }));
  await say(nurse, change('exception-closed', { ref: opened }));
  for (let i = 0; statements.length < LOG_STATEMENTS; i += 1) {
    const colleague = pool[i % pool.length] as Member;
    await add(colleague, ['synthesis', 'social']);
    await key('synthesis', (synthesis += 1));
    if (statements.length >= LOG_STATEMENTS) break;
    await say(coordinator, change('narrowed', { subjectId: colleague.id, compartments: ['social'] }));
    await say(coordinator, change('removed', { subjectId: colleague.id }));
    taking.delete(colleague.id);
  }
  const directory: LogDirectory = {
    signKey: (id, version) => (version === 1 ? everyone.get(id)?.keys.signPublicKey : undefined),
    role: (id) => everyone.get(id)?.role,
  };
  return { statements, directory };
}

export async function measureCaseLogVerify(params: { seconds: number; runs: number }): Promise<number[]> {
  const { statements, directory } = await busyLog();
  const { clsmId, caseId } = statements[0] as SignedCaseLogStatement;
  const rates: number[] = [];
  for (let run = 0; run < params.runs; run += 1)
    rates.push(
      await ratePerSecond(params.seconds, () =>
        extendCaseLog(emptyCaseLog(clsmId, caseId), statements, directory),
      ),
    );
  return rates;
}

export async function caseLogVerify(params: { seconds: number; runs: number }): Promise<RowInput[]> {
  const { value, peakRssMb } = await inWorker('case-log-verify', params);
  return [
    {
      scenario: 5,
      peakRssMb,
      id: 'crypto-case-log-50',
      name: `client: verify a ${LOG_STATEMENTS}-statement membership log`,
      unit: 'logs/s',
      runs: value,
    },
  ];
}
