import '../util/v8-flags.js';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { ROLES } from '../kernel/roles.js';
import {
  ALL_ACTIONS,
  CASE_ACTIONS,
  COMPARTMENT_ACTIONS,
  SITTING_ACTIONS,
  CLSM_ACTIONS,
} from '../kernel/actions.js';
import { COMPARTMENTS } from '../kernel/compartments.js';
import { suggest } from './suggest.js';

// Loads the Cedar policies of policies/, validates them against the schema, checks that schema
// and application speak of the same roles, compartments and actions, and parses everything once.
// Any problem stops start-up with a message naming the file and the fix.

export class PolicyError extends Error {
  override name = 'PolicyError';
}

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
const NS = 'Clsm';

export const entity = (type: string, id: string): CedarValue => ({
  __entity: { type: `${NS}::${type}`, id },
});

export async function loadPolicyEngine(directory: string): Promise<PolicyEngine> {
  const schemaText = await readFile(path.join(directory, 'schema.cedarschema'), 'utf8').catch(() => {
    throw new PolicyError(`no Cedar schema at ${path.join(directory, 'schema.cedarschema')}`);
  });
  const schemaJson = cedar.schemaToJson(schemaText);
  if (schemaJson.type === 'failure') {
    throw new PolicyError(
      `policies/schema.cedarschema: ${schemaJson.errors.map((e) => e.message).join('; ')}`,
    );
  }
  checkVocabulary(schemaJson.json);

  const policies: Record<string, string> = {};
  const files = (await readdir(directory)).filter((f) => f.endsWith('.cedar')).sort();
  if (files.length === 0) throw new PolicyError(`no .cedar policy file in ${directory}`);
  for (const file of files) {
    const text = await readFile(path.join(directory, file), 'utf8');
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure')
      throw new PolicyError(`policies/${file}: ${parts.errors.map((e) => e.message).join('; ')}`);
    for (const policy of parts.policies) {
      const id = /@id\("([^"]+)"\)/.exec(policy)?.[1];
      if (id === undefined)
        throw new PolicyError(`policies/${file}: every policy needs an @id("...") annotation`);
      if (id in policies) throw new PolicyError(`policies/${file}: duplicate policy id ${id}`);
      policies[id] = policy;
    }
  }

  const validation = cedar.validate({
    schema: schemaText,
    policies: { staticPolicies: policies },
    validationSettings: { mode: 'strict' },
  });
  if (validation.type === 'failure') {
    throw new PolicyError(`policy validation failed: ${validation.errors.map((e) => e.message).join('; ')}`);
  }
  if (validation.validationErrors.length > 0) {
    const lines = validation.validationErrors.map(
      (e) => `  ${e.policyId}: ${e.error.message}${e.error.help ? ` (${e.error.help})` : ''}`,
    );
    throw new PolicyError(`policies do not match the schema:\n${lines.join('\n')}`);
  }

  const memo = namesIdentities(policies) ? undefined : new Map<string, Decision>();
  engineCounter += 1;
  const schemaName = `schema-${engineCounter}`;
  const setId = `policies-${engineCounter}`;
  const parsedSchema = cedar.preparseSchema(schemaName, schemaText);
  const parsedSet = cedar.preparsePolicySet(setId, { staticPolicies: policies });
  if (parsedSchema.type === 'failure' || parsedSet.type === 'failure')
    throw new PolicyError('policies could not be preparsed');

  return {
    policyIds: Object.keys(policies),
    memoized: memo !== undefined,
    decide(request) {
      // No policy names a particular member, case or CLSM (checked above), so a decision depends
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
const IDENTIFIED_TYPES = ['Member', 'Case', 'CaseCompartment', 'Clsm', 'Sitting'].map((t) => `${NS}::${t}`);

/** Whether any policy names one particular member, case, compartment of a case or CLSM. */
function namesIdentities(policies: Record<string, string>): boolean {
  return Object.values(policies).some((text) => {
    const json = cedar.policyToJson(text);
    if (json.type === 'failure') return true;
    const found = JSON.stringify(json.json).match(/"type":"([A-Za-z:]+)","id":/g) ?? [];
    return found.some((m) => IDENTIFIED_TYPES.some((t) => m.includes(`"${t}"`)));
  });
}

interface SchemaJson {
  [namespace: string]: {
    entityTypes: Record<string, { enum?: string[] }>;
    actions: Record<string, { appliesTo?: { resourceTypes?: string[] } }>;
  };
}

function checkVocabulary(json: unknown): void {
  const ns = (json as SchemaJson)[NS];
  if (ns === undefined) throw new PolicyError(`the Cedar schema must declare namespace ${NS}`);
  compareSets('role', ns.entityTypes.Role?.enum ?? [], ROLES);
  compareSets('compartment', ns.entityTypes.Compartment?.enum ?? [], COMPARTMENTS);
  compareSets('action', Object.keys(ns.actions), ALL_ACTIONS);
  // Each union is asked about one resource type (src/access/authorize.ts): an action declared on
  // another type would be refused by every decision, or allowed on the wrong facts.
  for (const [type, actions] of Object.entries(ACTIONS_BY_RESOURCE)) {
    const declared = Object.entries(ns.actions)
      .filter(([, a]) => a.appliesTo?.resourceTypes?.includes(type) ?? false)
      .map(([name]) => name);
    compareSets(`${type} action`, declared, actions);
  }
}

const ACTIONS_BY_RESOURCE: Record<Request['resource']['type'], readonly string[]> = {
  Clsm: CLSM_ACTIONS,
  Case: CASE_ACTIONS,
  CaseCompartment: COMPARTMENT_ACTIONS,
  Sitting: SITTING_ACTIONS,
};

function compareSets(kind: string, inSchema: readonly string[], inApp: readonly string[]): void {
  const problems: string[] = [];
  for (const name of inSchema) {
    if (!inApp.includes(name))
      problems.push(`unknown ${kind} "${name}" in the schema${suggest(name, inApp)}`);
  }
  for (const name of inApp) {
    if (!inSchema.includes(name))
      problems.push(`${kind} "${name}" is missing from the schema${suggest(name, inSchema)}`);
  }
  if (problems.length > 0) throw new PolicyError(`policies/schema.cedarschema: ${problems.join('; ')}`);
}
