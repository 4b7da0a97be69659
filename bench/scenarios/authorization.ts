import { randomUUID } from 'node:crypto';
import { COMPARTMENTS } from '../../src/kernel/compartments.js';
import { COMPARTMENT_ACTIONS } from '../../src/kernel/actions.js';
import { authorize, type Caller } from '../../src/access/authorize.js';
import { loadPolicyEngine, type PolicyEngine } from '../../src/access/policy-engine.js';
import { AuditedRefusal } from '../../src/kernel/refusal.js';
import { factsFor, loadCaseState } from '../../src/access/case-state.js';
import { POLICIES_DIR } from '../../src/util/paths.js';
import { openAsApp, type DatabaseAccess } from '../lib/database.js';
import { ratePerSecond } from '../lib/timing.js';
import { inWorker } from '../lib/worker-process.js';
import type { RowInput } from '../lib/summary.js';

// Scenario 4: Cedar decisions per second on a real case with 10 participants, loaded by the same
// query the services use. Each call is what a request pays: the facts of the caller, then the gate,
// for every participant, compartment and action in turn, allowed and refused alike (a refusal asks
// the engine again to tell "not found" from "forbidden", so decisions are counted at the engine).

export interface AuthorizationParams {
  access: DatabaseAccess;
  clsmId: string;
  caseId: string;
  seconds: number;
  runs: number;
}

export async function measureAuthorization(params: AuthorizationParams): Promise<number[]> {
  const dbs = await openAsApp(params.access, 1);
  const state = await dbs.db
    .transaction()
    .execute((trx) => loadCaseState(trx, params.clsmId, params.caseId, new Date()))
    .finally(() => dbs.close());
  if (state === undefined) throw new Error('the authorization case is missing');
  const engine = await loadPolicyEngine(POLICIES_DIR);
  let decisions = 0;
  const counting: PolicyEngine = {
    policyIds: engine.policyIds,
    memoized: engine.memoized,
    decide: (request) => {
      decisions += 1;
      return engine.decide(request);
    },
  };
  const callers: Caller[] = state.participants.map((p) => ({
    clsmId: params.clsmId,
    memberId: p.id,
    role: p.role,
    charterAccepted: true,
    requestId: randomUUID(),
  }));
  let i = 0;
  const decide = () => {
    const caller = callers[i % callers.length] as Caller;
    const compartment = COMPARTMENTS[i % COMPARTMENTS.length] ?? 'health';
    const action = COMPARTMENT_ACTIONS[Math.floor(i / 7) % COMPARTMENT_ACTIONS.length] ?? 'compartment.read';
    i += 1;
    try {
      authorize(counting, caller, {
        kind: 'compartment',
        action,
        facts: factsFor(state, caller),
        compartment,
      });
    } catch (err) {
      if (!(err instanceof AuditedRefusal)) throw err;
    }
  };
  // The first calls into the WASM module are slow (compilation, caches): not what a server pays.
  await ratePerSecond(Math.min(0.5, params.seconds), decide);
  const rates: number[] = [];
  for (let run = 0; run < params.runs; run += 1) {
    const [decisionsBefore, callsBefore] = [decisions, i];
    const callsPerSecond = await ratePerSecond(params.seconds, decide);
    rates.push((callsPerSecond * (decisions - decisionsBefore)) / (i - callsBefore));
  }
  return rates;
}

export async function authorization(params: AuthorizationParams): Promise<RowInput[]> {
  const { value, peakRssMb } = await inWorker('authorization', params);
  return [
    {
      id: 'cedar-decisions',
      scenario: 4,
      name: 'Cedar decisions, case with 10 participants',
      unit: 'decisions/s',
      runs: value,
      peakRssMb,
    },
  ];
}
