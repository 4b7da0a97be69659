// DESIGN section 3: the parts of a situation, each readable by its own roles under its own key.
// `person` holds what is shared with the person: what was written for them, the decisions put to
// them, their answers and their own statements (src/client/person-space.ts).
export const COMPARTMENTS = ['identity', 'synthesis', 'social', 'health', 'committee', 'person'] as const;
export type Compartment = (typeof COMPARTMENTS)[number];
