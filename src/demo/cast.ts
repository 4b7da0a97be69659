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
  const { client: coordinator } = await join(world, created.coordinatorCode);
  sees(
    'Claire, coordinator,',
    "enrolls: her device makes its keys and signs the CLSM's root of trust; she accepts the charte éthique",
  );
  const cast: Partial<Cast> = { clsmId: created.clsmId, coordinator };
  for (const [key, role, organisation, name, partner] of PEOPLE) {
    const { code, memberId } = await coordinator.invite(role, organisation, name, partner);
    const joined = await join(world, code);
    cast[key] = joined.client;
    // The code Claire made carries a secret the server never saw: the one the newcomer's device
    // shows after enrolling proves to Claire's that the keys she certifies are theirs.
    await coordinator.directoryWriter.certify(memberId, { sas: joined.sas ?? '' });
    sees(
      name,
      `(${role}, ${organisation}) enrolls with the code Claire gave them, reads her the code their device shows, and accepts the charter; Claire's device certifies their keys`,
    );
  }
  return cast as Cast;
}

async function join(world: World, code: string): Promise<{ client: ClsmClient; sas: string | undefined }> {
  const { identity, anchor, sas } = await ClsmClient.enroll(world.apiUrl, code);
  const client = new ClsmClient(identity, { anchor });
  const charter = await client.charter();
  await client.acceptCharter(charter.version);
  return { client, sas };
}
