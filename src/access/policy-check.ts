import '../util/v8-flags.js';
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
import { PolicyError, type PolicySources } from './policy-sources.js';
import { suggest } from './suggest.js';

// Validates the policies against the schema and checks that schema and application speak of the
// same roles, compartments and actions. Any problem is a message naming the file and the fix.

export const NS = 'Clsm';

/** Policies that passed every check, by id, and what the engine may do with them. */
export interface CheckedPolicies {
  policies: Record<string, string>;
  /** Whether decisions may be remembered (no policy names a particular member, case or CLSM). */
  memoized: boolean;
}

/** The application's vocabulary, which the schema must declare exactly. */
export const VOCABULARY = {
  roles: ROLES,
  compartments: COMPARTMENTS,
  actions: ALL_ACTIONS,
  // Each union is asked about one resource type (src/access/authorize.ts): an action declared on
  // another type would be refused by every decision, or allowed on the wrong facts.
  actionsByResource: {
    Clsm: CLSM_ACTIONS,
    Case: CASE_ACTIONS,
    CaseCompartment: COMPARTMENT_ACTIONS,
    Sitting: SITTING_ACTIONS,
  },
} as const;

export function checkPolicies(sources: PolicySources): CheckedPolicies {
  const schemaJson = cedar.schemaToJson(sources.schema);
  if (schemaJson.type === 'failure') {
    throw new PolicyError(
      `policies/schema.cedarschema: ${schemaJson.errors.map((e) => e.message).join('; ')}`,
    );
  }
  checkVocabulary(schemaJson.json);

  const policies: Record<string, string> = {};
  for (const { name, text } of sources.files) {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure')
      throw new PolicyError(`policies/${name}: ${parts.errors.map((e) => e.message).join('; ')}`);
    for (const policy of parts.policies) {
      const id = /@id\("([^"]+)"\)/.exec(policy)?.[1];
      if (id === undefined)
        throw new PolicyError(`policies/${name}: every policy needs an @id("...") annotation`);
      if (id in policies) throw new PolicyError(`policies/${name}: duplicate policy id ${id}`);
      policies[id] = policy;
    }
  }

  const validation = cedar.validate({
    schema: sources.schema,
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
  return { policies, memoized: !namesIdentities(policies) };
}

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
  compareSets('role', ns.entityTypes.Role?.enum ?? [], VOCABULARY.roles);
  compareSets('compartment', ns.entityTypes.Compartment?.enum ?? [], VOCABULARY.compartments);
  compareSets('action', Object.keys(ns.actions), VOCABULARY.actions);
  for (const [type, actions] of Object.entries(VOCABULARY.actionsByResource)) {
    const declared = Object.entries(ns.actions)
      .filter(([, a]) => a.appliesTo?.resourceTypes?.includes(type) ?? false)
      .map(([name]) => name);
    compareSets(`${type} action`, declared, actions);
  }
}

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
