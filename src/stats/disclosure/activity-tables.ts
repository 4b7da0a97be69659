import { PARTNER_CATEGORIES, PARTNER_CATEGORY_LABELS } from '../vocabulary/categories.js';
import { ACTIVITY_TABLE, ATTENDANCE_TABLE } from '../vocabulary/catalogue.js';
import type { ActivityFacts } from '../vocabulary/facts.js';
import { NOT_DISCLOSED, type PublishedTable, type PublishedValue } from '../vocabulary/release-schema.js';

// Activity figures describe the cellule, not the people it discusses, so they are published exact
// and even when fewer than 11 cases were referred. Attendance is published as a rate per category of
// institution only: seat counts would add nothing for the reader and, where a category has one
// member, would read as that professional's personal record (docs/statistics.md, "Activity").

export function activityTable(activity: ActivityFacts): PublishedTable {
  return {
    ...ACTIVITY_TABLE,
    status: 'published',
    cells: [
      { key: 'seances', label: 'Séances tenues', value: activity.sittingsHeld },
      { key: 'saisines', label: 'Saisines reçues', value: activity.referralsReceived },
    ],
    total: null,
    notes: [
      "Chiffres exacts : ils décrivent l'activité de la cellule, non les personnes.",
      "Les saisines reçues comprennent celles des personnes qui se sont opposées à l'usage statistique de leur situation ; les autres tableaux ne les comptent pas.",
    ],
  };
}

export function attendanceTable(activity: ActivityFacts): PublishedTable {
  const seats = new Map(activity.attendance.map((a) => [a.partner, a]));
  const expected = activity.attendance.reduce((sum, a) => sum + a.expected, 0);
  const present = activity.attendance.reduce((sum, a) => sum + a.present, 0);
  return {
    ...ATTENDANCE_TABLE,
    status: 'published',
    cells: PARTNER_CATEGORIES.map((partner) => ({
      key: partner,
      label: PARTNER_CATEGORY_LABELS[partner],
      value: rate(seats.get(partner)?.present ?? 0, seats.get(partner)?.expected ?? 0),
    })),
    total: rate(present, expected),
    notes: [
      "Présences rapportées aux convocations de l'année, en pourcentage arrondi à l'unité, par catégorie d'institution et jamais par personne.",
      'n.d. : aucune convocation dans la catégorie.',
      'Total : toutes catégories confondues.',
    ],
  };
}

/** Percentage rounded half up, in integers so that no floating-point error can change a digit. */
const rate = (present: number, expected: number): PublishedValue =>
  expected === 0 ? NOT_DISCLOSED : Math.floor((200 * present + expected) / (2 * expected));
