import { readFile } from 'node:fs/promises';
import { need, parse, positional, str } from '../args.js';
import { CliError, EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';

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
  await s.save();
  out.result(v, () => {
    out.say(`Sitting ${v.id} (${v.status})`);
    for (const i of v.agenda) {
      out.say(`  ${i.itemId}  ${i.label}`);
      for (const d of i.decisions) out.say(`      decision: ${d.category} (adhesion: ${d.adhesion})`);
      for (const a of i.actions) out.say(`      action for ${a.assigneeId}, due ${a.dueOn}: ${a.status}`);
    }
    for (const m of v.members) out.say(`  ${m.memberId}: ${m.attendance ?? 'not recorded'}`);
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
    await s.save();
    out.result(result, () => {
      out.say(`Done: ${JSON.stringify(result)}`);
    });
    return EXIT.OK;
  };
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
  const { actions: mine } = await s.client.sittings.myActions();
  await s.save();
  out.result(mine, () => {
    if (mine.length === 0) out.say('Nothing assigned to you.');
    for (const a of mine)
      out.say(`${a.overdue ? 'OVERDUE ' : '        '}${a.reference}  due ${a.dueOn}  (${a.id})`);
  });
  return EXIT.OK;
}
