import type { FileVerdict } from '../../../src/client/audit-files.js';
import type { MessageId } from '../i18n/fr.js';

// A checkpoint file's verdict in plain words: intact, or where the log (or the file) breaks and
// what that means, with what to do next.

type Messages = (id: MessageId, values?: Record<string, string | number>) => string;

export interface VerdictWords {
  intact: boolean;
  title: string;
  detail: string;
  next?: string;
}

export function verdictWords(m: Messages, v: FileVerdict): VerdictWords {
  if (v.kind === 'forged')
    return { intact: false, title: m('check.forged', { seq: v.seq }), detail: m('check.forgedDetail') };
  if (v.kind !== 'checked') return { intact: false, title: m('check.refused'), detail: m(`check.${v.kind}`) };
  const c = v.verdict;
  if (c.ok)
    return {
      intact: true,
      title: m('check.intact'),
      detail: m('check.intactDetail', {
        events: c.events,
        lastSeq: c.lastSeq,
        checkpoints: c.checkpointsChecked,
      }),
    };
  const seq = c.firstBadSeq ?? c.lastSeq + 1;
  const related = c.relatedSeq ?? 0;
  const reason: MessageId =
    c.reason === undefined
      ? 'check.reason.modified'
      : c.reason === 'contradicted' && related === 0
        ? 'check.reason.contradictedFromStart'
        : `check.reason.${c.reason}`;
  return {
    intact: false,
    title: m('check.broken', { seq }),
    detail: m(reason, { seq, related, last: seq - 1 }),
    next: m('check.next'),
  };
}
