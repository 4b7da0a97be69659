import type { Compartment } from '../../client/cases.js';
import { need, parse, positional, str } from '../args.js';
import { CliError, EXIT, type Output } from '../output.js';
import { openSession } from '../session.js';
import { loadDirectory, nameOf, receiverLine } from '../directory.js';
import { confirmHandover } from '../handover-confirm.js';
import { COMPARTMENTS } from '../../kernel/compartments.js';

export const casesHelp = `clsm case refer --reason CATEGORY [--urgency routine|soon|urgent]   refer a situation (alias: case create)
clsm case list | show CASE
clsm case accept CASE | advance CASE | decline CASE --reason R | close CASE --outcome O   (coordinator)
clsm case rotate CASE --compartment C [--yes]   create the next key version for the entitled members
clsm case invite-person CASE   invite the person the situation is about to their own space, with them present
clsm participant add CASE MEMBER [--compartments a,b] [--yes]   | participant remove CASE MEMBER
clsm participant pending CASE | approve CASE REQUEST [--yes] | refuse CASE REQUEST   additions waiting for a second person
clsm entry add CASE --compartment C (--text TEXT | --file FILE) [--kind K] [--refers-to ID] [--yes]
clsm entry list CASE --compartment C         decrypt and verify every entry
clsm grant CASE [--compartment C --member M --version V] [--yes]   give pending keys (all of them by default)
clsm revoke CASE --member M --compartment C  take a compartment out of a member's need-to-know`;

function compartment(value: string | undefined): Compartment {
  if (value === undefined || !(COMPARTMENTS as readonly string[]).includes(value)) {
    throw new CliError(`--compartment must be one of ${COMPARTMENTS.join(', ')}`, EXIT.USAGE, 'USAGE');
  }
  return value as Compartment;
}

export async function caseInvitePerson(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const s = await openSession(p);
  const caseId = positional(p, 0, 'CASE');
  const invitation = await s.client.directoryWriter.invitePerson(caseId);
  await s.save();
  out.result(invitation, () => {
    out.say(`One-time code for the person (valid until ${invitation.expiresAt}):`);
    out.say(`    ${invitation.code}`);
    out.say('Give it to them in person: they open the web app and enter it; their device makes their keys.');
    out.say(
      `They read you the 4-symbol code their device shows; then: clsm member certify ${invitation.memberId} --sas CODE`,
    );
    out.say(
      `and add them with their own space: clsm participant add ${caseId} ${invitation.memberId} --compartments person`,
    );
  });
  return EXIT.OK;
}

export async function caseRefer(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { reason: { type: 'string' }, urgency: { type: 'string' } });
  const s = await openSession(p);
  const urgency = (str(p, 'urgency') ?? 'routine') as 'routine' | 'soon' | 'urgent';
  const created = await s.client.cases.refer(need(p, 'reason'), urgency);
  await s.save();
  out.result(created, () => {
    out.say(`Situation ${created.reference} referred (id ${created.id}).`);
    out.say(
      `Next: write the fiche de saisine into it: clsm entry add ${created.id} --compartment synthesis --kind referral --file FILE`,
    );
  });
  return EXIT.OK;
}

export async function caseList(argv: string[], out: Output): Promise<number> {
  const s = await openSession(parse(argv));
  const { cases } = await s.client.cases.list();
  await s.save();
  out.result(cases, () => {
    if (cases.length === 0) out.say('No situation.');
    for (const c of cases) out.say(`${c.reference}  ${c.status.padEnd(13)} ${c.urgency.padEnd(8)} ${c.id}`);
  });
  return EXIT.OK;
}

export async function caseShow(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const s = await openSession(p);
  const view = await s.client.cases.view(positional(p, 0, 'CASE'));
  const directory = await loadDirectory(s.client);
  await s.save();
  out.result(view, () => {
    out.say(`${view.reference} — ${view.status} (${view.urgency})`);
    for (const e of view.exceptions)
      out.say(`!! legal exception in force: ${e.scope.join(', ')} (id ${e.id})`);
    out.say(
      `consent: ${view.consent === null ? 'none recorded' : `${view.consent.decision} ${view.consent.scope.join(', ')}`}`,
    );
    out.say('participants:');
    for (const p2 of view.participants)
      out.say(`  ${nameOf(directory, p2.memberId)}, ${p2.role}: ${p2.compartments.join(', ')}`);
    out.say('compartments:');
    for (const c of view.compartments) {
      out.say(
        `  ${c.name.padEnd(10)} key v${c.keyVersion}${c.rotationRequired ? ' ROTATION REQUIRED' : ''}${c.readable ? '' : ' (not yours)'}`,
      );
    }
    if (view.pendingGrants.length > 0)
      out.say(`${view.pendingGrants.length} key(s) to hand over: clsm grant ${view.id}`);
    for (const h of view.history)
      out.say(`  ${h.at} ${h.from ?? '—'} -> ${h.to}${h.category === null ? '' : ` (${h.category})`}`);
  });
  return EXIT.OK;
}

export function caseTransition(transition: 'accept' | 'advance' | 'decline' | 'close') {
  return async (argv: string[], out: Output): Promise<number> => {
    const p = parse(argv, { reason: { type: 'string' }, outcome: { type: 'string' } });
    const s = await openSession(p);
    const category =
      transition === 'decline' ? need(p, 'reason') : transition === 'close' ? need(p, 'outcome') : undefined;
    const status = await s.client.cases.transition(positional(p, 0, 'CASE'), transition, category);
    await s.save();
    out.result({ status }, () => {
      out.say(`Now ${status}.`);
    });
    return EXIT.OK;
  };
}

export async function caseRotate(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { compartment: { type: 'string' }, yes: { type: 'boolean' } });
  const s = await openSession(p);
  const version = await s.client.cases.rotate(positional(p, 0, 'CASE'), compartment(str(p, 'compartment')), {
    confirm: confirmHandover(p.values.yes === true),
  });
  await s.save();
  out.result({ keyVersion: version }, () => {
    out.say(`Key version ${version} created and sealed to every entitled member.`);
  });
  return EXIT.OK;
}

export async function participantAdd(argv: string[], out: Output): Promise<number> {
  const p = parse(argv, { compartments: { type: 'string' }, yes: { type: 'boolean' } });
  const s = await openSession(p);
  const list = str(p, 'compartments')
    ?.split(',')
    .map((c) => compartment(c.trim()));
  const memberId = positional(p, 1, 'MEMBER');
  const ask = confirmHandover(p.values.yes === true);
  let declined = false;
  const addition = await s.client.cases.addParticipant(positional(p, 0, 'CASE'), memberId, list, {
    confirm: async (g) => {
      const yes = await ask(g);
      declined ||= !yes;
      return yes;
    },
  });
  const receiver = receiverLine(await loadDirectory(s.client), memberId);
  await s.save();
  if (addition.status === 'pending') {
    out.result({ added: false, pending: addition.requestId, receiver }, () => {
      out.say(`Addition of ${receiver} requested (${addition.requestId}).`);
      out.say(
        'It opens nothing until a participant bound by secrecy approves it: clsm participant approve CASE REQUEST.',
      );
    });
    return EXIT.OK;
  }
  out.result({ added: true, keysHandedOver: !declined, receiver }, () => {
    if (declined) {
      out.say(`Participant added; you kept your keys from: ${receiver}`);
      out.say(`Hand them over later with: clsm grant ${positional(p, 0, 'CASE')}`);
      return;
    }
    out.say(`Participant added; the keys you hold were handed over to: ${receiver}`);
    out.say('Compare that fingerprint with them (clsm keys fingerprint on their device).');
  });
  return EXIT.OK;
}

export async function participantPending(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const s = await openSession(p);
  const requests = await s.client.cases.participantRequests(positional(p, 0, 'CASE'));
  const directory = await loadDirectory(s.client);
  await s.save();
  out.result(requests, () => {
    if (requests.length === 0) out.say('No addition waits for approval.');
    for (const r of requests)
      out.say(
        `${r.id} ${receiverLine(directory, r.memberId)}, asked by ${receiverLine(directory, r.requestedBy)} at ${r.requestedAt}`,
      );
  });
  return EXIT.OK;
}

/** Approving hands over the keys the approver holds, each recipient confirmed as `participant add` does. */
export function participantDecide(decision: 'approve' | 'refuse') {
  return async (argv: string[], out: Output): Promise<number> => {
    const p = parse(argv, { yes: { type: 'boolean' } });
    const s = await openSession(p);
    const caseId = positional(p, 0, 'CASE');
    const requestId = positional(p, 1, 'REQUEST');
    const request = (await s.client.cases.participantRequests(caseId)).find((r) => r.id === requestId);
    const ask = confirmHandover(p.values.yes === true);
    let declined = false;
    await s.client.cases.decideParticipant(caseId, requestId, decision, {
      confirm: async (g) => {
        const yes = await ask(g);
        declined ||= !yes;
        return yes;
      },
    });
    const receiver =
      request === undefined ? requestId : receiverLine(await loadDirectory(s.client), request.memberId);
    await s.save();
    const result = decision === 'approve' ? { approved: true, keysHandedOver: !declined } : { refused: true };
    out.result({ ...result, receiver }, () => {
      if (decision === 'refuse') out.say(`Addition of ${receiver} turned down: nothing changed.`);
      else if (declined) {
        out.say(`Addition approved; you kept your keys from: ${receiver}`);
        out.say(`Hand them over later with: clsm grant ${caseId}`);
      } else out.say(`Addition approved; the keys you hold were handed over to: ${receiver}`);
    });
    return EXIT.OK;
  };
}

export async function participantRemove(argv: string[], out: Output): Promise<number> {
  const p = parse(argv);
  const s = await openSession(p);
  await s.client.cases.removeParticipant(positional(p, 0, 'CASE'), positional(p, 1, 'MEMBER'));
  await s.save();
  out.result({ removed: true }, () => {
    out.say(
      'Participant removed: their keys are deleted; the next entry in each compartment they held rotates its key.',
    );
  });
  return EXIT.OK;
}
