import type { MessageId } from '../i18n/fr.js';

// Plain words for the person's own space: who (a role, in everyday words), which part of their
// file, and the legal ground of an exception. A code these lists do not know (a newer server)
// falls back to words that stay true.

type Messages = (id: MessageId, values?: Record<string, string | number>) => string;

const PARTS = ['identity', 'synthesis', 'social', 'health', 'committee', 'person'];
const WHO = ['coordinator', 'health_professional', 'social_worker', 'partner'];
const BASES = ['danger_grave_imminent', 'unable_to_express_will', 'legal_representative'];

export const partWords = (m: Messages, compartment: string | null): string =>
  compartment !== null && PARTS.includes(compartment)
    ? m(`person.part.${compartment}` as MessageId)
    : m('person.access.part.any');

export const whoWords = (m: Messages, role: string): string =>
  WHO.includes(role) ? m(`person.who.${role}` as MessageId) : role;

export const basisWords = (m: Messages, basis: string | null): string =>
  basis !== null && BASES.includes(basis)
    ? m(`person.basis.${basis}` as MessageId)
    : m('person.basis.unknown');

/** "le résumé de votre situation, les décisions de la cellule" from `role:compartment` pairs. */
export const partsOf = (m: Messages, scope: readonly string[]): string =>
  scope.map((pair) => partWords(m, pair.split(':')[1] ?? null)).join(', ');
