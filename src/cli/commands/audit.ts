import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fromCheckpointFile } from '../../audit/checkpoints.js';
import type { Checkpoint, WitnessedCheckpoint } from '../../audit/signer.js';
import { readWitnessFile } from '../../audit/witness.js';
import { verifyAll, verifyClsm, type Verdict } from '../../audit/verify.js';
import { parse, str } from '../args.js';
import { openLocalDatabase } from '../local-database.js';
import { CliError, EXIT, type Output } from '../output.js';
import type { Session } from '../session.js';

export const auditHelp = `clsm audit verify [--tenant ID] [--checkpoints FILE] [--witness FILE] [--public-key BASE64]
    Recompute every chain from the database (DATABASE_URL or DATA_DIR; the server may be running on
    PostgreSQL) and check it against every signed checkpoint known: the database's, the witness file's
    (--witness, else AUDIT_WITNESS_FILE, else DATA_DIR/audit-witness.jsonl) and an exported file's.
    Exit 0 if intact, 1 with the CLSM and the first bad seq otherwise.
clsm audit checkpoints --out FILE      Export the signed checkpoints of your CLSM (coordinator, DPO).`;

export async function auditVerify(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, {
    tenant: { type: 'string' },
    checkpoints: { type: 'string' },
    witness: { type: 'string' },
    'public-key': { type: 'string' },
  });
  const local = await openLocalDatabase();
  try {
    let publicKey =
      str(p, 'public-key') === undefined
        ? local.auditPublicKey
        : Buffer.from(str(p, 'public-key') ?? '', 'base64');
    let external: Checkpoint[] = [];
    let clsmId = str(p, 'tenant');
    const witness = await witnessedCheckpoints(str(p, 'witness'));
    if (witness.length > 0) {
      external = witness;
      // Without the key file, the witness's key is the one to trust: it was kept outside the database.
      publicKey ??= witness[0]?.publicKey;
    }
    const file = str(p, 'checkpoints');
    if (file !== undefined) {
      const parsed = fromCheckpointFile(JSON.parse(await readFile(file, 'utf8')));
      external = [...external, ...parsed.checkpoints];
      // The file's key was taken outside the database: it is the one to trust.
      publicKey = parsed.publicKey;
      clsmId ??= parsed.checkpoints[0]?.clsmId;
    }
    if (publicKey === undefined)
      out.say(
        'note: no audit public key available (AUDIT_SIGNING_KEY_FILE): stored checkpoints are not checked',
      );
    const options = {
      publicKey,
      external,
      onProgress: (n: number) => {
        if (n >= 100_000 && !out.json) out.progress(`verified ${n} events`);
      },
    };
    const verdicts: Verdict[] =
      clsmId === undefined
        ? await verifyAll(local.db, options)
        : [
            await verifyClsm(local.db, clsmId, {
              ...options,
              external: external.filter((cp) => cp.clsmId === clsmId),
            }),
          ];
    // An empty answer must not read as "intact": a wrong database or CLSM verifies nothing.
    if (verdicts.every((v) => v.ok && v.events === 0))
      throw new CliError(
        clsmId === undefined
          ? 'this database holds no audit log: nothing was verified (check DATA_DIR or DATABASE_URL)'
          : `CLSM ${clsmId} has no audit log in this database: nothing was verified (check --tenant, DATA_DIR or DATABASE_URL)`,
        EXIT.FAILED,
        'NOTHING_TO_VERIFY',
      );
    out.result({ ok: verdicts.every((v) => v.ok), tenants: verdicts }, () => {
      for (const v of verdicts) {
        if (v.ok)
          out.say(
            `CLSM ${v.clsmId}: intact (${v.events} events, ${v.checkpointsChecked} checkpoints matched)`,
          );
        else out.say(`CLSM ${v.clsmId}: BROKEN at seq ${v.firstBadSeq ?? '?'}: ${v.problem ?? ''}`);
      }
    });
    return verdicts.every((v) => v.ok) ? EXIT.OK : EXIT.FAILED;
  } finally {
    await local.close();
  }
}

/** The witness file named, or the server's default one if it is there; a named file must exist. */
async function witnessedCheckpoints(named: string | undefined): Promise<WitnessedCheckpoint[]> {
  const env = process.env;
  const explicit = named ?? (env.AUDIT_WITNESS_FILE === '' ? undefined : env.AUDIT_WITNESS_FILE);
  if (explicit !== undefined) {
    if (!existsSync(explicit))
      throw new CliError(`the witness file ${explicit} does not exist`, EXIT.USAGE, 'NO_WITNESS');
    return readWitnessFile(explicit);
  }
  if (env.DATA_DIR === undefined || env.DATA_DIR === '') return [];
  return readWitnessFile(path.join(path.resolve(env.DATA_DIR), 'audit-witness.jsonl'));
}

export async function auditCheckpoints(
  argv: string[],
  out: Output,
  session: () => Promise<Session>,
): Promise<number> {
  const p = parse(argv, { out: { type: 'string' } });
  const target = str(p, 'out');
  if (target === undefined) throw new CliError('--out FILE is required', EXIT.USAGE, 'USAGE');
  const s = await session();
  const file = await s.client.audit.checkpoints();
  await writeFile(target, `${JSON.stringify(file, null, 2)}\n`);
  out.result({ file: target, checkpoints: file.checkpoints.length }, () => {
    out.say(
      `${file.checkpoints.length} signed checkpoints written to ${target}: keep this file outside the database's reach`,
    );
  });
  return EXIT.OK;
}
