import { approveBilan, releaseBilan, StatsClient, type ReleaseSummary } from '../../client/stats.js';
import type { RegionalTable } from '../../stats/vocabulary/regional-schema.js';
import type { PublishedTable } from '../../stats/vocabulary/release-schema.js';
import { parse, positional, str, type Parsed } from '../args.js';
import { CliError, EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';

export const statsHelp = `clsm stats release YEAR        (coordinator) release and freeze the bilan of a past year, once;
    if many situations were described just before, it waits for a second person's approval
clsm stats approve YEAR        (another coordinator, or the DPO) approve and release a waiting bilan
clsm stats show YEAR [TABLE] [--csv] [--regional] [--stats-server URL]
    a released bilan, or one table of it, from the statistics server (CLSM_STATS_SERVER; by default
    the API's address on port 3001); --regional: the region's aggregate (stats_reader, operator)`;

const DEFAULT_STATS_PORT = '3001';

function year(p: Parsed): number {
  const value = positional(p, 0, 'YEAR');
  if (!/^\d{4}$/.test(value))
    throw new CliError('YEAR must be a calendar year, e.g. 2025', EXIT.USAGE, 'USAGE');
  return Number(value);
}

/** --stats-server, else CLSM_STATS_SERVER, else the API's own address on the statistics port. */
export function statsServerUrl(p: Parsed, apiUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = str(p, 'stats-server') ?? env.CLSM_STATS_SERVER;
  if (explicit !== undefined && explicit !== '') return explicit;
  const url = new URL(apiUrl);
  url.port = DEFAULT_STATS_PORT;
  return url.toString();
}

export async function statsRelease(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const releaseYear = year(p);
  const s = await openSession(p);
  if (!out.json)
    out.progress(`Building the ${releaseYear} bilan and checking that no hidden cell can be recovered…`);
  const answer = await releaseBilan(s.client, releaseYear);
  await s.save();
  if ('status' in answer) {
    out.result(answer, () => {
      out.say(
        `Bilan ${answer.year} not released yet: ${answer.changedSituations} situations were described or ` +
          `changed in the last ${answer.windowDays} days (threshold ${answer.threshold}).`,
      );
      out.say(
        `A second person (another coordinator, or the DPO) approves it with: clsm stats approve ${answer.year}`,
      );
    });
    return EXIT.OK;
  }
  sayReleased(out, answer);
  return EXIT.OK;
}

export async function statsApprove(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const approveYear = year(p);
  const s = await openSession(p);
  const released = await approveBilan(s.client, approveYear);
  await s.save();
  sayReleased(out, released);
  return EXIT.OK;
}

function sayReleased(out: Output, released: ReleaseSummary): void {
  out.result(released, () => {
    const withheld = released.tables.filter((t) => t.status === 'withheld').map((t) => t.id);
    out.say(`Bilan ${released.year} released and frozen (catalogue ${released.catalogueVersion}).`);
    out.say(`SHA-256 ${released.contentHash}`);
    out.say(
      `${released.tables.length - withheld.length} tables published` +
        (withheld.length === 0
          ? '.'
          : `, ${withheld.length} withheld (fewer than 11 situations): ${withheld.join(', ')}.`),
    );
    out.say(`Readers see it with: clsm stats show ${released.year}`);
  });
}

export async function statsShow(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, {
    csv: { type: 'boolean' },
    regional: { type: 'boolean' },
    'stats-server': { type: 'string' },
  });
  const showYear = year(p);
  const table = p.positionals[1];
  const regional = p.values.regional === true;
  if (p.values.csv === true && table === undefined) {
    throw new CliError('--csv needs a TABLE: clsm stats show YEAR TABLE --csv', EXIT.USAGE, 'USAGE');
  }
  const s = await openSession(p);
  const stats = new StatsClient(s.client, statsServerUrl(p, s.client.identity.serverUrl));
  if (table !== undefined && p.values.csv === true) {
    const csv = await stats.tableCsv(showYear, table, regional);
    out.result({ csv }, () => process.stdout.write(csv));
  } else if (table !== undefined) {
    const found = await stats.table(showYear, table, regional);
    out.result(found, () => {
      printTable(out, found);
    });
  } else {
    const { value, contentHash } = await stats.bilan(showYear, regional);
    out.result({ ...value, contentHash }, () => {
      const scope =
        'contributors' in value
          ? `region, ${value.contributors} CLSM, version ${value.version}`
          : 'your CLSM';
      out.say(
        `Bilan ${value.year} (${scope}), catalogue ${value.catalogueVersion}, SHA-256 ${contentHash} (checked)`,
      );
      for (const t of value.tables) out.say(`  ${t.id.padEnd(24)} ${t.status.padEnd(9)} ${t.title}`);
      out.say(`One table: clsm stats show ${value.year} TABLE [--csv]`);
    });
  }
  await s.save();
  return EXIT.OK;
}

function printTable(out: Output, table: PublishedTable | RegionalTable): void {
  out.say(table.title);
  out.say(table.population + ('contributors' in table ? ` (${table.contributors} CLSM)` : ''));
  if (table.status === 'withheld') out.say('  (not published)');
  const width = Math.max(10, ...table.cells.map((c) => c.label.length));
  for (const cell of table.cells) out.say(`  ${cell.label.padEnd(width)}  ${String(cell.value).padStart(5)}`);
  if (table.total !== null) out.say(`  ${'Total'.padEnd(width)}  ${String(table.total).padStart(5)}`);
  for (const note of table.notes) out.say(`  * ${note}`);
}
