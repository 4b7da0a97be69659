import { readFile } from 'node:fs/promises';
import { UnreachableError } from '../../client/http.js';
import { BadKeysError } from '../../client/trust-errors.js';
import { EntryIntegrityError } from '../../crypto/entries.js';
import { GrantIntegrityError } from '../../crypto/grants.js';
import { need, parse, positional, str, type Parsed } from '../args.js';
import { CliError, EXIT, type Output } from '../output.js';
import { openSession, type Session } from '../session.js';
import { loadDirectory, nameOf } from '../directory.js';

export const sittingsHelp = `clsm sitting create --at ISO_DATETIME --place PLACE --convene MEMBER,MEMBER...   (coordinator)
clsm sitting list | show SITTING
clsm sitting agenda SITTING CASE                       put a situation on the agenda
clsm sitting attend SITTING MEMBER present|excused|absent
clsm sitting minutes SITTING ITEM (--text T | --file F) encrypted into the case's committee compartment
clsm sitting decide SITTING ITEM --category C [--adhesion agrees|disagrees|not_asked]
clsm sitting action SITTING ITEM --assignee MEMBER --due YYYY-MM-DD --text WHAT
clsm sitting hold SITTING | close SITTING              closing freezes the minutes
clsm actions [--overdue]                               your actions, overdue first (--overdue: the CLSM's, coordinator)`;

const itemCase = async (
  s: Awaited<ReturnType<typeof openSession>>,
  sittingId: string,
  itemId: string,
): Promise<string> => {
  const item = (await s.client.sittings.view(sittingId)).agenda.find((i) => i.itemId === itemId);
  if (item?.case == null)
    throw new CliError('no such agenda item among those you take part in', EXIT.FAILED, 'NOT_FOUND');
  return item.case.id;
};

const text = async (p: ReturnType<typeof parse>): Promise<Uint8Array> => {
  const file = str(p, 'file');
  if (file !== undefined) return new Uint8Array(await readFile(file));
  return new TextEncoder().encode(need(p, 'text'));
};

export async function sittingCreate(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { at: { type: 'string' }, place: { type: 'string' }, convene: { type: 'string' } });
  const s = await openSession(p);
  const id = await s.client.sittings.create(
    new Date(need(p, 'at')),
    need(p, 'place'),
    (str(p, 'convene') ?? '').split(',').filter((m) => m !== ''),
  );
  await s.save();
  out.result({ id }, () => {
    out.say(`Sitting ${id} planned. Next: clsm sitting agenda ${id} CASE`);
  });
  return EXIT.OK;
}

export async function sittingList(argv: string[], out: Output): Promise<number> {
  const s = await openSession(parse(argv));
  const { sittings } = await s.client.sittings.list();
  await s.save();
  out.result(sittings, () => {
    for (const x of sittings) out.say(`${x.scheduledFor}  ${x.status.padEnd(8)} ${x.location}  ${x.id}`);
  });
  return EXIT.OK;
}

export async function sittingShow(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const s = await openSession(p);
  const v = await s.client.sittings.view(positional(p, 0, 'SITTING'));
  const directory = await loadDirectory(s.client);
  await s.save();
  out.result(v, () => {
    out.say(`Sitting ${v.id} (${v.status})`);
    for (const i of v.agenda) {
      out.say(`  ${i.case?.reference ?? i.label}  (item ${i.itemId})`);
      for (const d of i.decisions) out.say(`      decision: ${d.category} (adhesion: ${d.adhesion})`);
      for (const a of i.actions)
        out.say(`      action for ${nameOf(directory, a.assigneeId)}, due ${a.dueOn}: ${a.status}`);
    }
    for (const m of v.members)
      out.say(`  ${nameOf(directory, m.memberId)}: ${m.attendance ?? 'not recorded'}`);
  });
  return EXIT.OK;
}

export function sittingStep(step: 'agenda' | 'attend' | 'minutes' | 'decide' | 'action' | 'hold' | 'close') {
  return async (argv: string[], out: Output): Promise<number> => {
    const p = parse(argv, {
      text: { type: 'string' },
      file: { type: 'string' },
      category: { type: 'string' },
      adhesion: { type: 'string' },
      assignee: { type: 'string' },
      due: { type: 'string' },
    });
    const s = await openSession(p);
    const sitting = positional(p, 0, 'SITTING');
    let result: Record<string, unknown>;
    switch (step) {
      case 'agenda':
        result = { itemId: await s.client.sittings.addToAgenda(sitting, positional(p, 1, 'CASE')) };
        break;
      case 'attend':
        await s.client.sittings.attendance(sitting, [
          {
            memberId: positional(p, 1, 'MEMBER'),
            attendance: positional(p, 2, 'present|excused|absent') as 'present',
          },
        ]);
        result = { recorded: true };
        break;
      case 'minutes': {
        const item = positional(p, 1, 'ITEM');
        result = {
          entryId: await s.client.sittings.minutes(
            sitting,
            item,
            await itemCase(s, sitting, item),
            await text(p),
          ),
        };
        break;
      }
      case 'decide':
        result = {
          decisionId: await s.client.sittings.decide(
            sitting,
            positional(p, 1, 'ITEM'),
            need(p, 'category'),
            (str(p, 'adhesion') ?? 'not_asked') as 'not_asked',
          ),
        };
        break;
      case 'action': {
        const item = positional(p, 1, 'ITEM');
        result = {
          actionId: await s.client.sittings.action(
            sitting,
            item,
            await itemCase(s, sitting, item),
            need(p, 'assignee'),
            need(p, 'due'),
            await text(p),
          ),
        };
        break;
      }
      case 'hold':
        await s.client.sittings.hold(sitting);
        result = { status: 'held' };
        break;
      case 'close':
        await s.client.sittings.close(sitting);
        result = { status: 'closed' };
        break;
    }
    const said = await describeStep(s, step, sitting, p);
    await s.save();
    out.result(result, () => {
      out.say(said);
    });
    return EXIT.OK;
  };
}

/** What a sitting step did, in names: the situation's reference, the member's name. */
async function describeStep(
  s: Session,
  step: 'agenda' | 'attend' | 'minutes' | 'decide' | 'action' | 'hold' | 'close',
  sittingId: string,
  p: Parsed,
): Promise<string> {
  if (step === 'hold') return 'The sitting is held: minutes, decisions and actions may now be recorded.';
  if (step === 'close')
    return 'The sitting is closed: its minutes are frozen (corrections become new entries).';
  if (step === 'attend') {
    const member = nameOf(await loadDirectory(s.client), positional(p, 1, 'MEMBER'));
    return `${member}: ${positional(p, 2, 'present|excused|absent')}.`;
  }
  const view = await s.client.sittings.view(sittingId);
  const itemOrCase = positional(p, 1, step === 'agenda' ? 'CASE' : 'ITEM');
  const item = view.agenda.find((i) => i.itemId === itemOrCase || i.case?.id === itemOrCase);
  const reference = item?.case?.reference ?? item?.label ?? itemOrCase;
  if (step === 'agenda') return `${reference} is on the agenda (item ${item?.itemId ?? '?'}).`;
  if (step === 'minutes') return `Minutes for ${reference} encrypted into its committee compartment.`;
  if (step === 'decide') return `Decision recorded for ${reference}: ${need(p, 'category')}.`;
  const assignee = nameOf(await loadDirectory(s.client), need(p, 'assignee'));
  return `Action for ${reference} assigned to ${assignee}, due ${need(p, 'due')}.`;
}

/** Action descriptions are committee entries: decrypted here, one read per situation. */
async function descriptions(
  s: Session,
  assigned: { caseId: string; descriptionEntryId: string }[],
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const caseId of new Set(assigned.map((a) => a.caseId))) {
    // A refusal or a key not handed over yet leaves the description unread; forged or
    // altered data, or an unreachable server, stops the command as everywhere else.
    const entries = await s.client.cases.read(caseId, 'committee').catch((err: unknown) => {
      if (
        err instanceof EntryIntegrityError ||
        err instanceof GrantIntegrityError ||
        err instanceof BadKeysError ||
        err instanceof UnreachableError
      )
        throw err;
      return [];
    });
    for (const e of entries) texts.set(e.id, new TextDecoder().decode(e.plaintext));
  }
  return texts;
}

export async function actions(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { overdue: { type: 'boolean' } });
  const s = await openSession(p);
  if (p.values.overdue === true) {
    const { actions: late } = await s.client.sittings.overdue();
    await s.save();
    out.result(late, () => {
      if (late.length === 0) out.say('No overdue action.');
      for (const a of late) out.say(`${a.reference}  due ${a.dueOn}  (${a.id})`);
    });
    return EXIT.OK;
  }
  const { actions: assigned } = await s.client.sittings.myActions();
  const texts = await descriptions(s, assigned);
  await s.save();
  const mine = assigned.map((a) => ({ ...a, description: texts.get(a.descriptionEntryId) ?? null }));
  out.result(mine, () => {
    if (mine.length === 0) out.say('Nothing assigned to you.');
    for (const a of mine) {
      out.say(`${a.overdue ? 'OVERDUE ' : '        '}${a.reference}  due ${a.dueOn}  (${a.id})`);
      out.say(`        ${a.description ?? '(description not readable with the keys you hold)'}`);
    }
  });
  return EXIT.OK;
}
