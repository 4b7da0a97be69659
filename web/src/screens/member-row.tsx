import type { Member } from '../../../src/client/client.js';
import type { MessageId } from '../i18n/fr.js';
import { useMessages } from '../ui/messages.js';
import { Certify } from './member-certify.js';
import { RecoveryCode } from './member-recovery-code.js';
import { ReinstateButton, SuspendButton } from './member-suspend.js';

// One member of the directory, as the coordination manages them: role, organisation and status as
// the verified directory log says; suspend or reinstate; a lost device replaced (a recovery code,
// then the new keys certified by the fingerprint the member reads out), all in the member's row.

/** Where a member stands: enrolled but not certified, certified, new keys to certify, suspended. */
export type Stage = 'enrolled' | 'certified' | 'newKeys' | 'suspended';

export function stageOf(member: Member, renewed: boolean): Stage {
  if (member.status === 'suspended') return 'suspended';
  if (member.certifiedBy === undefined) return 'enrolled';
  return renewed ? 'newKeys' : 'certified';
}

export function MemberRow(props: {
  member: Member;
  stage: Stage;
  self: boolean;
  onChanged: () => Promise<void>;
}) {
  const m = useMessages();
  const { member, stage } = props;
  const titleId = `member-${member.id}`;
  const managed = !props.self && stage !== 'enrolled';
  return (
    <li>
      <article aria-labelledby={titleId} className="member">
        <h3 id={titleId}>{member.displayName}</h3>
        <p>
          {m(`role.${member.role}` as MessageId)} · {member.organisation} ·{' '}
          <strong>{m(`members.stage.${stage}`)}</strong>
        </p>
        {managed ? (
          <div className="member-actions">
            {stage === 'suspended' ? (
              <ReinstateButton member={member} onDone={props.onChanged} />
            ) : (
              <>
                <SuspendButton member={member} onDone={props.onChanged} />
                <RecoveryCode member={member} />
              </>
            )}
          </div>
        ) : null}
        {stage === 'newKeys' ? (
          <Certify member={member} by="fingerprint" onCertified={props.onChanged} />
        ) : null}
      </article>
    </li>
  );
}
