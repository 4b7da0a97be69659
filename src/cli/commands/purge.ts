import { expiredCases, purgeExpired } from '../../cases/purge.js';
import { parse } from '../args.js';
import { openLocalDatabase } from '../local-database.js';
import { EXIT, type Output } from '../output.js';

export const purgeHelp = `clsm purge [--dry-run]          (operators, next to the database) crypto-shred the cases past their retention date`;

export async function purge(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { 'dry-run': { type: 'boolean' } });
  const local = await openLocalDatabase();
  try {
    const now = new Date();
    const dryRun = p.values['dry-run'] === true;
    const cases = dryRun
      ? await expiredCases(local.db, now)
      : await purgeExpired(local.db, now, (done, total) => {
          if (!out.json) out.progress(`purged ${done}/${total}`);
        });
    out.result(
      {
        dryRun,
        cases: cases.map((c) => ({
          tenantId: c.clsmId,
          reference: c.reference,
          retentionUntil: c.retentionUntil.toISOString(),
        })),
      },
      () => {
        if (cases.length === 0) out.say('No case has reached the end of its retention period.');
        for (const c of cases)
          out.say(
            `${dryRun ? 'would purge' : 'purged'} ${c.reference} (CLSM ${c.clsmId}, retention ended ${c.retentionUntil.toISOString()})`,
          );
      },
    );
    return EXIT.OK;
  } finally {
    await local.close();
  }
}
