import { z } from 'zod';

// The coarse categories a case is described by for statistics (docs/statistics.md, "Categories").
// Codes are stable identifiers stored in the `stats` schema; labels are the French wording of the
// published bilan. The order of each list is the order of the published rows.

type Labels<T extends readonly string[]> = { readonly [K in T[number]]: string };

export const REFERRAL_SOURCES = [
  'bailleur',
  'social_municipal',
  'social_departemental',
  'psychiatrie',
  'medecin',
  'police',
  'mairie_elu',
  'mandataire_judiciaire',
  'medico_social',
  'association_hebergement',
  'autre',
] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export const referralSourceSchema = z.enum(REFERRAL_SOURCES);
export const REFERRAL_SOURCE_LABELS: Labels<typeof REFERRAL_SOURCES> = {
  bailleur: 'Bailleur',
  social_municipal: 'CCAS / service social municipal',
  social_departemental: 'Service social départemental',
  psychiatrie: 'Psychiatrie',
  medecin: 'Médecin',
  police: 'Police / gendarmerie',
  mairie_elu: 'Mairie / élu',
  mandataire_judiciaire: 'Mandataire judiciaire',
  medico_social: 'Établissement ou service médico-social',
  association_hebergement: 'Association / hébergement',
  autre: 'Autre',
};

export const SEXES = ['femme', 'homme', 'autre_non_renseigne'] as const;
export type Sex = (typeof SEXES)[number];
export const sexSchema = z.enum(SEXES);
export const SEX_LABELS: Labels<typeof SEXES> = {
  femme: 'Femme',
  homme: 'Homme',
  autre_non_renseigne: 'Autre / non renseigné',
};

/** Age at referral. */
export const AGE_BANDS = ['moins_25', '25_44', '45_64', '65_plus', 'inconnu'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const ageBandSchema = z.enum(AGE_BANDS);
export const AGE_BAND_LABELS: Labels<typeof AGE_BANDS> = {
  moins_25: 'Moins de 25 ans',
  '25_44': 'De 25 à 44 ans',
  '45_64': 'De 45 à 64 ans',
  '65_plus': '65 ans et plus',
  inconnu: 'Âge inconnu',
};

export const HOUSING_SITUATIONS = [
  'locataire_social',
  'locataire_prive',
  'proprietaire',
  'heberge_tiers',
  'hebergement_institution',
  'sans_domicile',
  'inconnu',
] as const;
export type HousingSituation = (typeof HOUSING_SITUATIONS)[number];
export const housingSituationSchema = z.enum(HOUSING_SITUATIONS);
export const HOUSING_SITUATION_LABELS: Labels<typeof HOUSING_SITUATIONS> = {
  locataire_social: 'Locataire du parc social',
  locataire_prive: 'Locataire du parc privé',
  proprietaire: 'Propriétaire',
  heberge_tiers: 'Hébergé chez un tiers',
  hebergement_institution: 'Hébergement ou institution',
  sans_domicile: 'Sans domicile',
  inconnu: 'Non renseigné',
};

export const HOUSEHOLDS = [
  'seul',
  'couple_sans_enfant',
  'couple_avec_enfants',
  'parent_isole',
  'autre',
  'inconnu',
] as const;
export type Household = (typeof HOUSEHOLDS)[number];
export const householdSchema = z.enum(HOUSEHOLDS);
export const HOUSEHOLD_LABELS: Labels<typeof HOUSEHOLDS> = {
  seul: 'Personne seule',
  couple_sans_enfant: 'Couple sans enfant',
  couple_avec_enfants: 'Couple avec enfant(s)',
  parent_isole: 'Parent isolé',
  autre: 'Autre composition',
  inconnu: 'Non renseigné',
};

/** Several per case. A sensitive variable: never crossed, never published near 0 or near N. */
export const PROBLEMS = [
  'troubles_psychiques',
  'rupture_soins',
  'incurie',
  'troubles_voisinage',
  'isolement',
  'danger_pour_soi',
  'risque_pour_autrui',
  'addictions',
  'dettes',
  'menace_expulsion',
  'perte_autonomie',
  'violences_subies',
  'droits_non_ouverts',
] as const;
export type ProblemCategory = (typeof PROBLEMS)[number];
export const problemCategorySchema = z.enum(PROBLEMS);
export const PROBLEM_LABELS: Labels<typeof PROBLEMS> = {
  troubles_psychiques: 'Troubles psychiques',
  rupture_soins: 'Rupture ou refus de soins',
  incurie: 'Incurie / encombrement',
  troubles_voisinage: 'Troubles du voisinage',
  isolement: 'Isolement',
  danger_pour_soi: 'Danger pour soi',
  risque_pour_autrui: 'Risque pour autrui',
  addictions: 'Addictions',
  dettes: 'Dettes / impayés',
  menace_expulsion: "Menace d'expulsion",
  perte_autonomie: "Perte d'autonomie",
  violences_subies: 'Violences subies',
  droits_non_ouverts: 'Droits non ouverts',
};

/** Whole months between the referral and the first sitting that examined the case. */
export const DELAY_BANDS = ['moins_1_mois', '1_3_mois', 'plus_3_mois'] as const;
export type DelayBand = (typeof DELAY_BANDS)[number];
export const delayBandSchema = z.enum(DELAY_BANDS);
export const DELAY_BAND_LABELS: Labels<typeof DELAY_BANDS> = {
  moins_1_mois: "Moins d'un mois",
  '1_3_mois': 'De 1 à 3 mois',
  plus_3_mois: 'Plus de 3 mois',
};

export const DECISIONS = [
  'visite_conjointe',
  'orientation_soins',
  'evaluation_protection',
  'ouverture_droits',
  'accompagnement_renforce',
  'action_logement',
  'referent_designe',
  'veille',
  'cloture',
  'autre',
] as const;
export type Decision = (typeof DECISIONS)[number];
export const decisionSchema = z.enum(DECISIONS);
export const DECISION_LABELS: Labels<typeof DECISIONS> = {
  visite_conjointe: 'Visite à domicile conjointe',
  orientation_soins: 'Orientation vers le soin',
  evaluation_protection: "Évaluation en vue d'une mesure de protection",
  ouverture_droits: 'Ouverture de droits',
  accompagnement_renforce: 'Accompagnement social renforcé',
  action_logement: 'Action sur le logement',
  referent_designe: "Désignation d'un référent de situation",
  veille: 'Veille / suivi',
  cloture: 'Décision de clôture',
  autre: 'Autre décision',
};

/** A sensitive variable: never crossed, never published near 0 or near N. */
export const OUTCOMES = [
  'resolue',
  'droit_commun',
  'soins_engages',
  'mesure_protection',
  'logement',
  'sans_solution',
  'refus_personne',
  'deces_depart',
  'autre',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const outcomeSchema = z.enum(OUTCOMES);
export const OUTCOME_LABELS: Labels<typeof OUTCOMES> = {
  resolue: 'Situation résolue ou apaisée',
  droit_commun: 'Orientation vers le droit commun',
  soins_engages: 'Soins engagés',
  mesure_protection: 'Mesure de protection',
  logement: 'Relogement ou maintien dans le logement',
  sans_solution: 'Sans solution',
  refus_personne: 'Refus de la personne',
  deces_depart: 'Décès ou départ',
  autre: 'Autre issue',
};

/** Whole months from the referral to the closure. */
export const DURATION_BANDS = ['moins_3_mois', '3_6_mois', '6_12_mois', 'plus_12_mois'] as const;
export type DurationBand = (typeof DURATION_BANDS)[number];
export const durationBandSchema = z.enum(DURATION_BANDS);
export const DURATION_BAND_LABELS: Labels<typeof DURATION_BANDS> = {
  moins_3_mois: 'Moins de 3 mois',
  '3_6_mois': 'De 3 à 6 mois',
  '6_12_mois': 'De 6 à 12 mois',
  plus_12_mois: 'Plus de 12 mois',
};

export const DECLINE_REASONS = ['hors_champ', 'deja_suivie', 'informations_insuffisantes', 'autre'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];
export const declineReasonSchema = z.enum(DECLINE_REASONS);
export const DECLINE_REASON_LABELS: Labels<typeof DECLINE_REASONS> = {
  hors_champ: 'Hors du champ de la cellule',
  deja_suivie: 'Situation déjà suivie',
  informations_insuffisantes: 'Informations insuffisantes',
  autre: 'Autre motif',
};

/** Institutions sitting in the cellule, for attendance. Never a person. */
export const PARTNER_CATEGORIES = [
  'bailleur',
  'psychiatrie',
  'social_municipal',
  'social_departemental',
  'police',
  'mairie_elu',
  'medico_social',
  'association',
  'autre',
] as const;
export type PartnerCategory = (typeof PARTNER_CATEGORIES)[number];
export const partnerCategorySchema = z.enum(PARTNER_CATEGORIES);
export const PARTNER_CATEGORY_LABELS: Labels<typeof PARTNER_CATEGORIES> = {
  bailleur: 'Bailleurs',
  psychiatrie: 'Psychiatrie',
  social_municipal: 'Service social municipal / CCAS',
  social_departemental: 'Service social départemental',
  police: 'Police / gendarmerie',
  mairie_elu: 'Mairie / élus',
  medico_social: 'Médico-social',
  association: 'Associations',
  autre: 'Autres partenaires',
};
