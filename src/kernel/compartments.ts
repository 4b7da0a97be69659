// DESIGN section 3: the parts of a situation, each readable by its own roles under its own key.
export const COMPARTMENTS = ['identity', 'synthesis', 'social', 'health', 'committee'] as const;
export type Compartment = (typeof COMPARTMENTS)[number];
