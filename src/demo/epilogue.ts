import { approveBilan, releaseBilan, StatsClient } from '../client/stats.js';
import type { Cast } from './cast.js';
import type { Situations } from './situations.js';
import type { World } from './world.js';
import { mustFail, say, sees, step } from './narrator.js';

// Act three: consent withdrawn and what it does, "who looked at my file?", the audit log checked,
// and the year's anonymised bilan.

interface ReportLine {
  at: string;
  type: string;
  role: string | null;
  displayName: string | null;
  compartment: string | null;
  legalBasis: string | null;
}

interface PublishedCell {
  label: string;
  value: number | 'n.d.';
}

export async function epilogue(world: World, cast: Cast, s: Situations): Promise<void> {
  step('The person withdraws her consent');
  world.clock.set(new Date('2025-04-10T09:00:00Z'));
  const withdrawn = await cast.nurse.consent.record(s.b, { decision: 'withdrawn', obtained: 'oral' });
  say(
    `   ${withdrawn.keysRevoked} wrapped key(s) deleted at once; the synthesis must get a new key before its next entry.`,
  );
  await mustFail('Lucie', 'read the synthesis she could read yesterday', () =>
    cast.landlord.cases.read(s.b, 'synthesis'),
  );
  await cast.nurse.cases.write(
    s.b,
    'synthesis',
    new TextEncoder().encode('Visite réalisée ; désencombrement en cours.'),
  );
  const view = await cast.nurse.cases.view(s.b);
  const version = view.compartments.find((c) => c.name === 'synthesis')?.keyVersion;
  sees(
    'Inès',
    `writes again: the synthesis is now under key version ${String(version)}, sealed only to those still entitled`,
  );

  world.clock.set(new Date('2025-09-15T09:00:00Z'));
  await cast.coordinator.cases.transition(s.a, 'close', 'soins_engages');
  await cast.coordinator.cases.transition(s.b, 'close', 'logement');

  step(`"Who looked at my file?" — the access report of ${view.reference}, for the person`);
  say('   (The audit log is stamped by the database clock: real time, while this story simulates 2025.)');
  const report = await cast.coordinator.request<{ lines: ReportLine[] }>(
    'GET',
    `/v1/cases/${s.b}/access-report`,
  );
  for (const l of report.lines.filter((x) => x.type === 'compartment.read' || x.type === 'entry.written')) {
    say(
      `   ${l.at.slice(0, 16)}  ${(l.displayName ?? '?').padEnd(36)} ${l.type.padEnd(17)} ${(l.compartment ?? '').padEnd(10)} basis: ${l.legalBasis ?? '—'}`,
    );
  }

  step('The DPO checks the audit log');
  const verdict = await cast.dpo.request<{ ok: boolean; events: number; checkpointsChecked: number }>(
    'GET',
    '/v1/audit/verify',
  );
  if (!verdict.ok) throw new Error('the audit chain does not verify');
  sees('The DPO', `recomputes the chain: ${verdict.events} events, intact`);

  step('January 2026: the bilan of 2025');
  world.clock.set(new Date('2026-01-15T09:00:00Z'));
  const answer = await releaseBilan(cast.coordinator, 2025);
  // Many situations described just before the release: a second person approves it.
  const released = 'status' in answer ? await approveBilan(cast.dpo, 2025) : answer;
  sees(
    'Claire',
    `releases the 2025 bilan: ${released.tables.length} tables, frozen (SHA-256 ${released.contentHash.slice(0, 16)}…)`,
  );
  const stats = new StatsClient(cast.elected, world.statsUrl);
  const sources = (await stats.table(2025, 'saisines_origine')) as {
    title: string;
    cells: PublishedCell[];
    total: number | string | null;
  };
  sees('The elected official', `reads "${sources.title}" from the statistics server:`);
  for (const cell of sources.cells) say(`      ${cell.label.padEnd(44)} ${String(cell.value)}`);
  say(`      ${'Total'.padEnd(44)} ${String(sources.total)}`);
  say(
    '   "n.d." = not disclosed: fewer than 11 people, or a cell that would let one be deduced; others are rounded to 5.',
  );
  await mustFail('The elected official', 'read a case', () => cast.elected.cases.read(s.a, 'synthesis'));
}
