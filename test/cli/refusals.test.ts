import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestApp, mustNotLeak } from '../helpers/app.js';
import { cliRunner, json, type Run } from '../helpers/cli.js';
import { listen } from '../helpers/members.js';
import { createClsm } from '../../src/clsms/clsms.js';
import { commands, globalOptionsHelp, usageText } from '../../src/cli/commands/index.js';
import { commandHelp } from '../../src/cli/help.js';
import { PROJECT_ROOT } from '../../src/util/paths.js';
import { DECISIONS, OUTCOMES, PROBLEMS } from '../../src/stats/vocabulary/categories.js';

// A first-time user types a wrong category or writes where nobody may read: the refusal names the
// field, the values it accepts and the reason, and the help lists those values before anyone guesses.

// Each step is a real process: on a loaded machine the file needs more than the default bound.
t.setTimeout(900_000);
const ta = await startTestApp(t);
const url = await listen(ta.app);
const { clsm } = await cliRunner(t, url);

const must = async (run: Promise<Run>): Promise<Run> => {
  const done = await run;
  if (done.code !== 0) throw new Error(`clsm failed: ${done.stderr}`);
  return done;
};

t.before(async () => {
  const created = await createClsm(ta.ctx.db, 'CLSM des refus lisibles', ta.ctx.charters);
  mustNotLeak(created.coordinatorCode);
  await must(clsm('coordinator', ['enroll', '--code', created.coordinatorCode]));
  await must(clsm('coordinator', ['charter', 'accept']));
  const invitation = json(
    await must(
      clsm('coordinator', ['member', 'invite', '--role', 'partner', '--org', 'Habitat 13', '--json']),
    ),
  ) as { code: string };
  mustNotLeak(invitation.code);
  const landlord = json(await must(clsm('landlord', ['enroll', '--code', invitation.code, '--json']))) as {
    memberId: string;
    sas: string;
  };
  await must(clsm('coordinator', ['member', 'certify', landlord.memberId, '--sas', landlord.sas]));
  await must(clsm('landlord', ['charter', 'accept']));
});

t.test('an unknown --reason is refused naming the field and every accepted value', async (t) => {
  const refused = await clsm('landlord', ['case', 'refer', '--reason', 'bruit']);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /VALIDATION_FAILED: invalid body: reasonCategory must be one of: /);
  for (const reason of PROBLEMS) t.match(refused.stderr, reason);
  t.match(refused.stderr, /next: see the accepted values: clsm COMMAND --help/);

  const asJson = json(await clsm('landlord', ['case', 'refer', '--reason', 'bruit', '--json']));
  t.match(asJson, { ok: false, code: 'VALIDATION_FAILED', errors: [{ field: 'reasonCategory' }] });
  t.same((asJson as { errors: { allowed: string[] }[] }).errors[0]?.allowed, [...PROBLEMS]);
});

t.test('the API names each refused field, why, and the values it accepts', async (t) => {
  const res = await ta.app.inject({
    method: 'POST',
    url: '/v1/enroll/invitation',
    payload: { code: 'short', extra: true },
  });
  t.equal(res.statusCode, 400);
  t.match(res.json(), {
    code: 'VALIDATION_FAILED',
    detail: /^invalid body: (code|extra) .+; (code|extra) /,
    errors: [{ field: String, message: String }],
  });
  const fields = res
    .json<{ errors: { field: string }[] }>()
    .errors.map((e) => e.field)
    .sort();
  t.same(fields, ['code', 'extra']);
});

t.test('writing a compartment nobody on the situation may hold says so, not "invalid body"', async (t) => {
  const referred = json(
    await clsm('landlord', ['case', 'refer', '--reason', 'troubles_voisinage', '--json']),
  ) as { id: string };
  const refused = await clsm('landlord', [
    'entry',
    'add',
    referred.id,
    '--compartment',
    'health',
    '--text',
    'x',
  ]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /NOBODY_ENTITLED: nobody on this situation may hold the health compartment yet/);
  t.match(refused.stderr, /next: add a participant whose role may hold it/);
  t.notMatch(refused.stderr, /invalid body/);
});

t.test('help lists the referral reasons, decision categories and outcomes', async (t) => {
  const help = await clsm('landlord', ['help']);
  t.equal(help.code, 0);
  const manual = await readFile(path.join(PROJECT_ROOT, 'docs', 'cli.md'), 'utf8');
  for (const value of [...PROBLEMS, ...DECISIONS, ...OUTCOMES]) {
    t.match(help.stdout, value);
    t.match(manual, value, `docs/cli.md lists ${value}`);
  }
});

t.test('every command answers --help with its own usage', async (t) => {
  for (const [name, command] of Object.entries(commands)) {
    const subs = typeof command === 'function' ? [undefined] : Object.keys(command);
    for (const sub of subs) {
      const help = commandHelp(usageText, globalOptionsHelp, name, sub);
      const usage = help.slice(0, help.indexOf(globalOptionsHelp));
      t.match(usage, new RegExp(`clsm (.+\\| )?${name}`), `${name} ${sub ?? ''}`);
      if (sub !== undefined) t.match(usage, sub, `${name} ${sub}`);
    }
  }
  const decide = await clsm('nobody', ['sitting', 'decide', '--help']);
  t.equal(decide.code, 0);
  t.match(decide.stdout, /^clsm sitting decide SITTING ITEM --category C/);
  t.notMatch(decide.stdout, /clsm case refer/, 'only the usage of that command');
  for (const decision of DECISIONS) t.match(decide.stdout, decision);
  t.match((await clsm('nobody', ['help', 'case'])).stdout, /clsm case refer/);
});

t.test('global options work before the command', async (t) => {
  const before = await clsm('nobody', ['--profile', 'landlord', '--json', 'whoami']);
  t.equal(before.code, 0, before.stderr);
  t.match(json(before), { role: 'partner' });
  const server = await clsm('landlord', [`--server=${url}`, 'whoami', '--json']);
  t.equal(server.code, 0, server.stderr);
  const unreachable = await clsm('landlord', ['--server', 'http://127.0.0.1:9', 'whoami']);
  t.equal(unreachable.code, 3, 'the server given before the command is the one used');
});
