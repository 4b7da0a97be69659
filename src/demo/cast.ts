import { ClsmClient } from '../client/client.js';
import { createClsm } from '../clsms/clsms.js';
import type { World } from './world.js';
import { say, sees } from './narrator.js';

// The people of the demo: the CLSM of a fictional town and its cellule.

export interface Cast {
  clsmId: string;
  coordinator: ClsmClient;
  nurse: ClsmClient;
  socialWorker: ClsmClient;
  landlord: ClsmClient;
  elected: ClsmClient;
  dpo: ClsmClient;
}

const PEOPLE = [
  [
    'nurse',
    'health_professional',
    'CMP de secteur (psychiatrie)',
    'Inès, infirmière de secteur',
    'psychiatrie',
  ],
  ['socialWorker', 'social_worker', 'CCAS de Villeneuve', 'Samir, travailleur social', 'social_municipal'],
  ['landlord', 'partner', 'Habitat Val-d’Orge', 'Lucie, chargée de gestion locative', 'bailleur'],
  ['elected', 'elected_official', 'Mairie de Villeneuve', 'M. le maire adjoint', 'mairie_elu'],
  ['dpo', 'dpo', 'Mairie de Villeneuve', 'Délégué à la protection des données', 'autre'],
] as const;

export async function assembleCast(world: World): Promise<Cast> {
  const created = await createClsm(
    world.ctx.db,
    `CLSM de Villeneuve-sur-Orge (démo ${new Date().toISOString().slice(0, 16)})`,
    world.ctx.charters,
  );
  say(
    `The operator creates the CLSM (${created.clsmId}) and hands its coordinator a one-time enrollment code.`,
  );
  const coordinator = await join(world, created.coordinatorCode);
  sees('Claire, coordinator,', 'enrolls: her device makes its keys; she accepts the charte éthique');
  const cast: Partial<Cast> = { clsmId: created.clsmId, coordinator };
  for (const [key, role, organisation, name, partner] of PEOPLE) {
    const { code } = await coordinator.invite(role, organisation, name, partner);
    cast[key] = await join(world, code);
    sees(name, `(${role}, ${organisation}) enrolls with the code Claire gave them, and accepts the charter`);
  }
  return cast as Cast;
}

async function join(world: World, code: string): Promise<ClsmClient> {
  const { identity } = await ClsmClient.enroll(world.apiUrl, code);
  const client = new ClsmClient(identity);
  const charter = await client.charter();
  await client.acceptCharter(charter.version);
  return client;
}
