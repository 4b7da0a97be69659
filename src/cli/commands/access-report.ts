import { parse, positional } from '../args.js';
import { EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';

// "Who looked at my file?": the person's access report, for the coordinator or the DPO to answer
// them, as lines to read or as the CSV the server produces.

export const accessReportHelp = `clsm case access-report CASE [--csv]   who read or changed the situation's file, when, in what role,
    on which legal basis (coordinator, DPO); --csv: the same as CSV on stdout`;

export async function caseAccessReport(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { csv: { type: 'boolean' } });
  const s = await openSession(p);
  const caseId = encodeURIComponent(positional(p, 0, 'CASE'));
  if (p.values.csv === true) {
    const csv = await s.client.cases.accessReportCsv(caseId);
    await s.save();
    out.result({ csv }, () => process.stdout.write(csv));
    return EXIT.OK;
  }
  const report = await s.client.cases.accessReport(caseId);
  await s.save();
  out.result(report, () => {
    out.say(`Access report of ${report.reference}: ${report.lines.length} event(s)`);
    for (const l of report.lines) {
      const who =
        l.displayName === null ? '(system)' : `${l.displayName} (${l.organisation ?? '?'}, ${l.role ?? '?'})`;
      const what = `${l.type}${l.compartment === null ? '' : ` ${l.compartment}`}${l.outcome === 'success' ? '' : ` ${l.outcome}`}`;
      out.say(`${l.at}  ${who}  ${what}${l.legalBasis === null ? '' : `  [${l.legalBasis}]`}`);
    }
  });
  return EXIT.OK;
}
