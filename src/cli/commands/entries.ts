import { readFile } from 'node:fs/promises';
import type { Compartment, Grantee } from '../../client/cases.js';
import { need, parse, positional, str } from '../args.js';
import { CliError, EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';
import { loadDirectory, receiverLine } from '../directory.js';
import { confirmHandover } from '../handover-confirm.js';

const asCompartment = (v: string): Compartment => v as Compartment;

export async function entryAdd(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, {
    compartment: { type: 'string' },
    text: { type: 'string' },
    file: { type: 'string' },
    kind: { type: 'string' },
    'refers-to': { type: 'string' },
    yes: { type: 'boolean' },
  });
  const text = str(p, 'text');
  const file = str(p, 'file');
  if ((text === undefined) === (file === undefined))
    throw new CliError('give exactly one of --text and --file', EXIT.USAGE, 'USAGE');
  const content =
    text === undefined ? new Uint8Array(await readFile(file ?? '')) : new TextEncoder().encode(text);
  const s = await openSession(p);
  const refersTo = str(p, 'refers-to');
  const id = await s.client.cases.write(
    positional(p, 0, 'CASE'),
    asCompartment(need(p, 'compartment')),
    content,
    {
      ...(str(p, 'kind') === undefined ? {} : { kind: str(p, 'kind') }),
      ...(refersTo === undefined ? {} : { refersTo }),
      confirm: confirmHandover(p.values.yes === true),
    },
  );
  await s.save();
  out.result({ id }, () => {
    out.say(`Entry ${id} encrypted on this device, signed, and stored.`);
  });
  return EXIT.OK;
}

export async function entryList(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { compartment: { type: 'string' } });
  const s = await openSession(p);
  const entries = await s.client.cases.read(positional(p, 0, 'CASE'), asCompartment(need(p, 'compartment')));
  await s.save();
  const decoded = entries.map((e) => ({
    ...e,
    plaintext: undefined,
    text: new TextDecoder().decode(e.plaintext),
  }));
  out.result(decoded, () => {
    if (entries.length === 0) out.say('No entry.');
    for (const e of decoded)
      out.say(
        `--- ${e.createdAt} ${e.kind} by ${e.authorId} (key v${e.keyVersion}, signature verified)\n${e.text}`,
      );
  });
  return EXIT.OK;
}

export async function grant(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, {
    compartment: { type: 'string' },
    member: { type: 'string' },
    version: { type: 'string' },
    yes: { type: 'boolean' },
  });
  const s = await openSession(p);
  const caseId = positional(p, 0, 'CASE');
  const ask = confirmHandover(p.values.yes === true);
  const declined = new Set<string>();
  const confirm = async (g: Grantee) => {
    const yes = await ask(g);
    if (!yes) declined.add(g.memberId);
    return yes;
  };
  const member = str(p, 'member');
  const directory = await loadDirectory(s.client);
  let given: number;
  let receivers: { memberId: string; compartment: string }[];
  if (member === undefined) {
    receivers = (await s.client.cases.view(caseId)).pendingGrants;
    given = await s.client.cases.shareKeys(caseId, { confirm });
  } else {
    const compartment = asCompartment(need(p, 'compartment'));
    await s.client.cases.grant(caseId, compartment, member, Number(need(p, 'version')), { confirm });
    receivers = [{ memberId: member, compartment }];
    given = declined.has(member) ? 0 : 1;
  }
  await s.save();
  const to = receivers.map((r) => ({
    ...r,
    sealed: directory.get(r.memberId)?.fingerprint !== undefined && !declined.has(r.memberId),
    receiver: receiverLine(directory, r.memberId),
  }));
  out.result({ given, to }, () => {
    if (given === 0 && declined.size === 0) out.say('Nobody is waiting for a key you hold.');
    else out.say(`${given} key(s) sealed and handed over:`);
    for (const r of to) out.say(`  ${r.compartment.padEnd(10)} ${r.sealed ? 'to' : 'NOT to'} ${r.receiver}`);
  });
  return EXIT.OK;
}

export async function revoke(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { compartment: { type: 'string' }, member: { type: 'string' } });
  const s = await openSession(p);
  await s.client.cases.unassign(
    positional(p, 0, 'CASE'),
    need(p, 'member'),
    asCompartment(need(p, 'compartment')),
  );
  await s.save();
  out.result({ revoked: true }, () => {
    out.say(
      'Access revoked: their keys to that compartment are deleted, and the key will be rotated on the next entry.',
    );
  });
  return EXIT.OK;
}
