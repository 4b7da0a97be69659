import t from 'tap';
import type { Member } from '../../src/client/client.js';
import type { MemberWire } from '../../src/client/member.js';
import { withNewKeys } from '../../web/src/screens/new-keys.js';

// The Membres screen offers to certify by fingerprint the members who replaced their device: their
// registered keys are newer than their certified ones.

const keys = (version: number) => ({
  version,
  signPublicKey: new Uint8Array(32),
  boxPublicKey: new Uint8Array(32),
});

function member(id: string, certified: number | undefined, status: Member['status'] = 'active'): Member {
  return {
    id,
    role: 'social_worker',
    organisation: 'CCAS',
    displayName: id,
    status,
    keys: certified === undefined ? undefined : keys(certified),
  };
}

function listed(id: string, registered: number | null): MemberWire {
  return {
    id,
    role: 'social_worker',
    organisation: 'CCAS',
    displayName: id,
    status: 'active',
    keys:
      registered === null
        ? null
        : { version: registered, signPublicKey: '', boxPublicKey: '', selfSignature: '' },
    invitationId: null,
  };
}

t.test('a certified member whose registered keys are newer is listed, no one else', async (t) => {
  const members = [
    member('recovered', 1),
    member('unchanged', 1),
    member('newcomer', undefined),
    member('suspended', 1, 'suspended'),
  ];
  const server = [
    listed('recovered', 2),
    listed('unchanged', 1),
    listed('newcomer', 1),
    listed('suspended', 2),
  ];
  t.same(
    withNewKeys(members, server).map((x) => x.id),
    ['recovered'],
  );
  t.same(withNewKeys([member('gone', 1)], []), [], 'a member the server no longer lists');
});
