import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { PendingApproval, ReleaseSummary } from '../../../src/client/stats.js';
import { approveBilan, releaseBilan } from '../../../src/client/stats.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { ResultHeading } from '../ui/result-heading.js';
import { useAction } from '../ui/use-action.js';
import { approvesRelease, releasesBilan } from './role-scope.js';

// Releasing a year, through the API (docs/statistics.md, "Releasing a year"): the coordinator asks;
// when many situations were described just before, the release waits for a second person, another
// coordinator or the DPO, who approves it here. Once released, a year is frozen for good.

type Outcome = ReleaseSummary | PendingApproval;

export function BilanRelease({ year, onReleased }: { year: number; onReleased: () => void }) {
  const m = useMessages();
  const { client, me } = useClient();
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const settle = (answer: Outcome) => {
    setOutcome(answer);
    if (!('status' in answer)) onReleased();
  };
  const release = useAction(async () => {
    settle(await releaseBilan(client, year));
  });
  const approve = useAction(async () => {
    settle(await approveBilan(client, year));
  });
  const busy = release.busy || approve.busy;
  return (
    <section className="notice bilan-release" aria-labelledby="release-title">
      <h2 id="release-title">{m('bilan.release.title')}</h2>
      <p>{m('bilan.release.explain')}</p>
      <div className="row-actions">
        {releasesBilan(me.role) ? (
          <Button className="button primary" isDisabled={busy} onPress={() => void release.run()}>
            {m('bilan.release.button', { year })}
          </Button>
        ) : null}
        {approvesRelease(me.role) ? (
          <Button className="button" isDisabled={busy} onPress={() => void approve.run()}>
            {m('bilan.approve.button', { year })}
          </Button>
        ) : null}
      </div>
      {outcome === undefined ? null : (
        <div role="status">
          <ResultHeading id="release-result" level={3} key={'status' in outcome ? 'pending' : 'done'}>
            {'status' in outcome
              ? m('bilan.release.pending', { year: outcome.year })
              : m('bilan.release.done', { year: outcome.year })}
          </ResultHeading>
          <p>
            {!('status' in outcome)
              ? m('bilan.hash', { hash: outcome.contentHash })
              : outcome.threshold === 0
                ? m('bilan.release.pendingAlways')
                : m('bilan.release.pendingWhy', {
                    changed: outcome.changedSituations,
                    days: outcome.windowDays,
                    threshold: outcome.threshold,
                  })}
          </p>
        </div>
      )}
      <ErrorNotice error={release.error} action="stats.release" />
      <ErrorNotice error={approve.error} action="stats.approve" />
    </section>
  );
}
