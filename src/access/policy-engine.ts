import '../util/v8-flags.js';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { checkPolicies, NS } from './policy-check.js';
import { CHECKED_POLICIES_FILE, readCheckedPolicies } from './checked-policies-file.js';
import { PolicyError, readPolicySources } from './policy-sources.js';

// Loads the Cedar policies of policies/, checked (src/access/policy-check.ts) at this start or,
// for exactly the sources the build checked, by the build (src/access/checked-policies-file.ts),
// and parses everything once. Any problem stops start-up with a message naming the file and the fix.

export { PolicyError };

export type CedarValue =
  boolean | string | number | CedarValue[] | { __entity: { type: string; id: string } };

export interface Request {
  principal: { id: string; role: string; charterAccepted: boolean };
  action: string;
  resource: { type: 'Clsm' | 'Case' | 'CaseCompartment' | 'Sitting'; id: string };
  context: Record<string, CedarValue>;
}

export interface Decision {
  allowed: boolean;
  /** Ids of the policies that determined the decision (permits if allowed, forbids if denied). */
  policies: string[];
}

export interface PolicyEngine {
  decide(request: Request): Decision;
  /** The policy ids, for tests and the policy README. */
  readonly policyIds: readonly string[];
  /** Whether decisions are remembered (only when no policy names a particular member, case or CLSM). */
  readonly memoized: boolean;
}

let engineCounter = 0;

export const entity = (type: string, id: string): CedarValue => ({
  __entity: { type: `${NS}::${type}`, id },
});

/** `checkedFile`: the build's record of checked policies, used only if it is for these very sources. */
export async function loadPolicyEngine(
  directory: string,
  checkedFile: string = CHECKED_POLICIES_FILE,
): Promise<PolicyEngine> {
  const sources = await readPolicySources(directory);
  const { policies, memoized } = (await readCheckedPolicies(sources, checkedFile)) ?? checkPolicies(sources);
  const memo = memoized ? new Map<string, Decision>() : undefined;
  engineCounter += 1;
  const schemaName = `schema-${engineCounter}`;
  const setId = `policies-${engineCounter}`;
  const parsedSchema = cedar.preparseSchema(schemaName, sources.schema);
  const parsedSet = cedar.preparsePolicySet(setId, { staticPolicies: policies });
  if (parsedSchema.type === 'failure' || parsedSet.type === 'failure')
    throw new PolicyError('policies could not be preparsed');

  return {
    policyIds: Object.keys(policies),
    memoized: memo !== undefined,
    decide(request) {
      // No policy names a particular member, case or CLSM (checked with the policies), so a decision depends
      // only on the role, the charter, the action, the resource type and the context: the same
      // question always gets the same answer, and is asked of the engine once.
      const key =
        memo === undefined
          ? undefined
          : JSON.stringify([
              request.principal.role,
              request.principal.charterAccepted,
              request.action,
              request.resource.type,
              request.context,
            ]);
      const known = key === undefined ? undefined : memo?.get(key);
      if (known !== undefined) return known;
      const decision = evaluate(request);
      if (key !== undefined && memo !== undefined) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(key, decision);
      }
      return decision;
    },
  };

  function evaluate(request: Request): Decision {
    const answer = cedar.statefulIsAuthorized({
      principal: { type: `${NS}::Member`, id: request.principal.id },
      action: { type: `${NS}::Action`, id: request.action },
      resource: { type: `${NS}::${request.resource.type}`, id: request.resource.id },
      context: request.context,
      entities: [
        {
          uid: { type: `${NS}::Member`, id: request.principal.id },
          attrs: {
            role: entity('Role', request.principal.role),
            charterAccepted: request.principal.charterAccepted,
          },
          parents: [],
        },
      ],
      preparsedPolicySetId: setId,
      preparsedSchemaName: schemaName,
      // The request is built by the application from typed values; validating it on every call
      // would halve the decision rate (measured) for no added safety.
      validateRequest: false,
    });
    // Deny by default: an evaluation error is a refusal, never a permit.
    if (answer.type === 'failure') return { allowed: false, policies: [] };
    const { decision, diagnostics } = answer.response;
    if (diagnostics.errors.length > 0 && decision === 'allow') return { allowed: false, policies: [] };
    return { allowed: decision === 'allow', policies: diagnostics.reason };
  }
}

const MEMO_LIMIT = 10_000;
