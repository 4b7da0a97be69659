import type { AppContext } from '../context.js';
import type { Compartment } from '../kernel/compartments.js';
import type { Caller } from '../access/authorize.js';
import { by, type LegalBasis } from '../kernel/audit-events.js';
import { AppError } from '../kernel/errors.js';
import { withCase } from '../unit-of-work/case-unit.js';
import { entitledMembers } from './entitlement.js';
import { checkGrant, insertGrant, type SignedGrantInput } from './grants.js';
import { keyRefusal } from './refusals.js';
import { currentKeysOf, keysCertified, keysSelfSigned } from './current-keys.js';
import { appendCaseLog } from '../case-log/append.js';
import type { LogSealWire } from '../case-log/wire-schema.js';
import { change, recipientList } from '../crypto/case-log-statements.js';

/**
 * A new version of a compartment key (version 1 creates the first). Accepted only with a grant for
 * exactly the members entitled now — everyone who may read it, no one else — each signed by the
 * rotating member, and with its membership log statement (who it was sealed to). Old entries stay under their old versions; removed members never get the new one.
 */
export async function rotateKey(
  ctx: AppContext,
  caller: Caller,
  caseId: string,
  compartment: Compartment,
  keyVersion: number,
  grants: SignedGrantInput[],
  log?: LogSealWire,
): Promise<void> {
  // A rotation is a write to the compartment: a key under which its next entries will be written.
  const request = { caseId, action: 'compartment.write', compartment } as const;
  await withCase(ctx, caller, request, async (trx, scope) => {
    const { state } = scope;
    const offered = grants.map((g) => g.granteeId);
    const missing: string[] = [];
    for (const { id } of entitledMembers(ctx.policies, state, compartment)) {
      if (offered.includes(id)) continue;
      // Keys no client would seal to (not self-signed for this member: they got into the table
      // around enrollment's check; or not certified in the directory log) are owed no grant, or one
      // bad entry or one member not certified yet would block every rotation.
      const member = { clsmId: caller.clsmId, memberId: id };
      const keys = await currentKeysOf(trx, member);
      if (keys !== undefined && keysSelfSigned(member, keys) && (await keysCertified(trx, member, keys)))
        missing.push(id);
    }
    if (missing.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        `a rotation must give the new key to every entitled member; missing: ${missing.join(', ')}`,
      );
    }
    if (new Set(offered).size !== offered.length)
      throw new AppError('VALIDATION_FAILED', 'one grant per member');
    // Serialises rotations: only one can move the version from keyVersion - 1 to keyVersion.
    const moved = await trx
      .updateTable('case_compartments')
      .set({ key_version: keyVersion, rotation_required: false })
      .where('clsm_id', '=', caller.clsmId)
      .where('case_id', '=', caseId)
      .where('compartment', '=', compartment)
      .where('key_version', '=', keyVersion - 1)
      .returning('key_version')
      .executeTakeFirst();
    if (moved === undefined) {
      throw keyRefusal(
        caller,
        'KEY_VERSION_MISMATCH',
        `version ${keyVersion} does not follow the current ${compartment} key`,
        { type: 'key.rotated', caseId, compartment, keyVersion },
      );
    }
    // Each grantee is checked against the policy: an extra, unentitled grantee is refused and recorded.
    const checked: [SignedGrantInput, LegalBasis | undefined][] = [];
    for (const grant of grants) {
      checked.push([grant, await checkGrant(trx, ctx, caller, state, compartment, keyVersion, grant)]);
    }
    const made = change('key', {
      compartments: [compartment],
      keyVersion,
      recipients: recipientList(grants),
    });
    await appendCaseLog(trx, { caller, caseId, action: 'compartment.write' }, made, log);
    scope.audit({ ...by(caller), type: 'key.rotated', outcome: 'success', caseId, compartment, keyVersion });
    for (const [grant, basis] of checked) {
      await insertGrant(trx, scope, caller, caseId, compartment, keyVersion, grant, basis);
    }
  });
}
