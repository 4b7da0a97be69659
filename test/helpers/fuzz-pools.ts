import type { Part } from './request-model.js';
import type { RouteSpec } from './routes.js';
import type { Seed } from './seed.js';
import type { IdPools } from './zod-arbitrary.js';

// Which existing ids a fuzzed field may take, by where it is and what it is called: a request
// with a real case id reaches the access gate and the lifecycle, one with a random id stops at
// "not found". Path ids of members are colleagues who never call (suspending one takes no
// caller or participant out); the neighbouring CLSM's case is in the pool, so another CLSM's ids are tried too.

export function seededIds(seed: Seed, route: RouteSpec): (part: Part) => IdPools {
  const recent = seed.cases.slice(-4);
  const cases = [...recent.map((c) => c.id), seed.neighbour.caseId];
  const bystanders = seed.bystanders.map((m) => m.id);
  const members = [
    ...seed.targets.map((m) => m.id),
    ...bystanders,
    ...Object.values(seed.callers).map((m) => m.id),
    seed.neighbour.coordinator.id,
  ];
  const entries = recent.flatMap((c) => c.entries);
  const exceptions = recent.map((c) => c.exception);
  const clsmIds = [seed.clsmId, seed.neighbour.clsmId];
  const { sitting } = seed;
  // A path id is what the path says it is: /v1/<things>/:id.
  const byCollection: Record<string, string[]> = {
    members: bystanders,
    cases,
    sittings: [sitting.id],
    actions: [sitting.action],
    decisions: [sitting.decision],
  };
  const everything = [
    ...cases,
    ...members,
    ...entries,
    ...exceptions,
    sitting.id,
    sitting.item,
    sitting.decision,
    sitting.action,
  ];
  return (part) => (field) => {
    if (part === 'params' && field === 'id') return byCollection[route.url.split('/')[2] ?? ''] ?? everything;
    switch (field) {
      case 'memberId':
      case 'granteeId':
      case 'assigneeId':
      case 'convened':
      case 'member':
        return members;
      case 'case':
      case 'caseId':
        return cases;
      case 'exceptionId':
        return exceptions;
      case 'itemId':
        return [sitting.item];
      case 'decisionId':
        return [sitting.decision];
      case 'tenantId':
      case 'tenant':
        return clsmIds;
      case 'justificationEntryId':
      case 'evidenceEntryId':
      case 'descriptionEntryId':
      case 'refersTo':
        return entries;
      default:
        return field.endsWith('Id') ? everything : undefined;
    }
  };
}
