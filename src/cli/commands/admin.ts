import { writeNewEd25519Key } from '../../config/secrets.js';
import { loadCharterTexts } from '../../charter/texts.js';
import { createClsm } from '../../clsms/clsms.js';
import { POLICIES_DIR } from '../../util/paths.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse, positional } from '../args.js';
import { openLocalDatabase } from '../local-database.js';
import { CliError, EXIT, type Output } from '../output.js';

export const adminHelp = `clsm admin tenant create NAME     (operators, next to the database) a new CLSM and its first coordinator's code
clsm admin keygen FILE            a new Ed25519 key (PEM, mode 0600) for TOKEN_SIGNING_KEY_FILE or AUDIT_SIGNING_KEY_FILE`;

export async function clsmCreate(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const name = positional(p, 0, 'the CLSM name');
  const local = await openLocalDatabase();
  try {
    const created = await createClsm(
      local.db,
      name,
      await loadCharterTexts(path.join(POLICIES_DIR, 'charter')),
    );
    out.result(
      {
        tenantId: created.clsmId,
        name,
        coordinatorCode: created.coordinatorCode,
        expiresAt: created.codeExpiresAt.toISOString(),
      },
      () => {
        out.say(`CLSM "${name}" created: ${created.clsmId}.`);
        out.say(
          `One-time enrollment code for its first coordinator (valid until ${created.codeExpiresAt.toISOString()}):`,
        );
        out.say(`    ${created.coordinatorCode}`);
      },
    );
    return EXIT.OK;
  } finally {
    await local.close();
  }
}

export async function keygen(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const file = path.resolve(positional(p, 0, 'FILE'));
  if (existsSync(file))
    throw new CliError(`${file} exists: keys are never overwritten`, EXIT.USAGE, 'EXISTS');
  await writeNewEd25519Key(file);
  out.result({ file }, () => {
    out.say(`Ed25519 key written to ${file} (mode 0600).`);
  });
  return EXIT.OK;
}
