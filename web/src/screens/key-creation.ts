import type { CaseView, Compartment } from '../../../src/client/cases.js';
import type { ClsmClient } from '../../../src/client/client.js';
import { entitledHolders, type EntitlementFacts } from '../../../src/client/entitled.js';
import { describeGrantee, type Grantee } from '../../../src/client/handover.js';
import { BadKeysError } from '../../../src/client/trust-errors.js';

// Before an entry makes a compartment's key (the first entry, or the first after a removal or a
// narrowed access), its author sees to whom the new key will be sealed: the participants this
// device entitles to it (src/client/entitled.ts), the computation the SDK seals by.

/**
 * Who will receive the key writing in this compartment now creates; undefined when the current key
 * serves, or when nobody may hold one (the SDK refuses that write: NobodyEntitledError).
 */
export function keyRecipients(
  view: CaseView,
  facts: EntitlementFacts,
  compartment: Compartment,
): string[] | undefined {
  const state = view.compartments.find((c) => c.name === compartment);
  if (state === undefined || (state.keyVersion > 0 && !state.rotationRequired)) return undefined;
  const holders = entitledHolders(facts, compartment);
  return holders.length === 0 ? undefined : holders;
}

/** A recipient as shown; `refused` when the directory log does not vouch for their keys (nothing is sealed to them). */
export type Recipient = Grantee & { refused: boolean };

export async function describeRecipients(
  client: ClsmClient,
  view: CaseView,
  ids: readonly string[],
): Promise<Recipient[]> {
  const members = await client.members();
  return Promise.all(
    ids.map(async (id) => {
      try {
        return { ...(await describeGrantee(client, view.id, id)), refused: false };
      } catch (err) {
        if (!(err instanceof BadKeysError)) throw err;
        const member = members.find((x) => x.id === id);
        return {
          memberId: id,
          displayName: member?.displayName ?? id,
          role: member?.role ?? 'unknown',
          organisation: member?.organisation ?? '',
          addedBy: '',
          fingerprint: '',
          refused: true,
        };
      }
    }),
  );
}
