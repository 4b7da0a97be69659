import { useEffect, useState } from 'react';
import type { Fetched } from '../../../src/client/stats.js';
import { ApiError } from '../../../src/client/http.js';
import type { RegionalAggregate } from '../../../src/stats/vocabulary/regional-schema.js';
import type { Release } from '../../../src/stats/vocabulary/release-schema.js';
import { useClient } from '../device/session.js';
import { Choice } from '../ui/choice.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { saveFile } from '../ui/save-file.js';
import { BilanRelease } from './bilan-release.js';
import { BilanSection } from './bilan-section.js';
import { approvesRelease, readsBilan, readsRegional, releasesBilan } from './role-scope.js';
import { useStatsClient } from './use-stats-client.js';

// The bilan annuel: the released tables of a year, for the coordinator, elected officials and
// statistics readers (the CLSM's), and for statistics readers and operators (the region's). Only
// past years can be released, so the years offered end with the last one.

type Scope = 'clsm' | 'region';
const YEARS_OFFERED = 6;

export function BilanScreen() {
  const m = useMessages();
  const { me } = useClient();
  const { stats, error: settingsError } = useStatsClient();
  const lastYear = new Date().getFullYear() - 1;
  const [year, setYear] = useState(String(lastYear));
  const scopes: Scope[] = [
    ...(readsBilan(me.role) ? (['clsm'] as const) : []),
    ...(readsRegional(me.role) ? (['region'] as const) : []),
  ];
  const [scope, setScope] = useState<Scope | undefined>(scopes[0]);
  const [released, setReleased] = useState(0);
  const [bilan, setBilan] = useState<Fetched<Release | RegionalAggregate> | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    if (stats === undefined || scope === undefined) return;
    setBilan(undefined);
    setError(undefined);
    stats.bilan(Number(year), scope === 'region').then(setBilan, (err: unknown) => {
      // Not released yet (or, for the region, no version frozen): said as such, not as a refusal.
      if (err instanceof ApiError && err.code === 'NOT_FOUND') setBilan(null);
      else setError(err);
    });
  }, [stats, year, scope, released]);

  const years = Array.from({ length: YEARS_OFFERED }, (_, i) => String(lastYear - i));
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('bilan.title')}</h1>
      <p>{m('bilan.intro')}</p>
      <div className="filters">
        <Choice
          label={m('bilan.year')}
          name="year"
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ id: y, label: y }))}
        />
        {scopes.length > 1 && scope !== undefined ? (
          <Choice<Scope>
            label={m('bilan.scope')}
            name="scope"
            value={scope}
            onChange={setScope}
            options={scopes.map((s) => ({ id: s, label: m(`bilan.scope.${s}`) }))}
          />
        ) : null}
      </div>
      {releasesBilan(me.role) || approvesRelease(me.role) ? (
        <BilanRelease
          key={year}
          year={Number(year)}
          onReleased={() => {
            setReleased((n) => n + 1);
          }}
        />
      ) : null}
      <ErrorNotice error={settingsError ?? error} />
      {scope === undefined ? null : (
        <>
          <section className="notice" aria-labelledby="nd-title">
            <h2 id="nd-title">{m('bilan.nd.title')}</h2>
            <p>{m('bilan.nd.text')}</p>
          </section>
          {bilan === undefined && error === undefined ? <p>{m('common.loading')}</p> : null}
          {bilan === null ? (
            <p>{m(scope === 'region' ? 'bilan.region.none' : 'bilan.none', { year })}</p>
          ) : null}
          {bilan === undefined || bilan === null || stats === undefined ? null : (
            <>
              <p className="muted">
                {'version' in bilan.value
                  ? m('bilan.region.version', {
                      version: bilan.value.version,
                      contributors: bilan.value.contributors,
                    })
                  : null}{' '}
                {m('bilan.hash', { hash: bilan.contentHash })}
              </p>
              {bilan.value.tables.map((table) => (
                <BilanSection
                  key={table.id}
                  table={table}
                  contributors={'contributors' in table ? table.contributors : undefined}
                  download={async () => {
                    const text = await stats.tableCsv(Number(year), table.id, scope === 'region');
                    saveFile(
                      `bilan-${scope === 'region' ? 'regional-' : ''}${year}-${table.id}.csv`,
                      text,
                      'text/csv;charset=utf-8',
                    );
                  }}
                />
              ))}
            </>
          )}
        </>
      )}
    </section>
  );
}
