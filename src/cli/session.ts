import { ClsmClient } from '../client/client.js';
import { loadedHead, storedHead, type StoredHead } from '../client/directory.js';
import { str, type Parsed } from './args.js';
import { readPassphrase } from './passphrase.js';
import { fileCheckpointMemory } from './checkpoint-memory.js';
import { fileHandoverMemory } from './handover-memory.js';
import {
  loadProfile,
  loadToken,
  profileDir,
  saveDirectoryHead,
  saveToken,
  unlockKeys,
  type ProfileFile,
} from './profile.js';

/**
 * A logged-in SDK client built from the profile; the directory head it verified and the token are
 * written back when it is saved.
 */
export interface Session {
  client: ClsmClient;
  profile: ProfileFile;
  dir: string;
  save(): Promise<void>;
}

/** `passphrase`: already read by a command that needs it for more than unlocking the profile. */
export async function openSession(
  p: Parsed,
  env: NodeJS.ProcessEnv = process.env,
  passphrase?: string,
): Promise<Session> {
  const dir = profileDir(str(p, 'profile'), env);
  const profile = await loadProfile(dir);
  const keys = await unlockKeys(
    profile,
    passphrase ?? (await readPassphrase(str(p, 'passphrase-file'), env)),
  );
  let head: StoredHead | undefined = profile.directoryHead;
  let token = await loadToken(dir);
  const client = new ClsmClient(
    {
      serverUrl: str(p, 'server') ?? env.CLSM_SERVER ?? profile.server,
      clsmId: profile.tenantId,
      memberId: profile.memberId,
      keys,
    },
    {
      anchor: profile.anchor === undefined ? undefined : Buffer.from(profile.anchor, 'base64'),
      directoryHead: head === undefined ? undefined : loadedHead(head),
      onDirectoryHead: (h) => {
        head = storedHead(h);
      },
      token,
      checkpoints: await fileCheckpointMemory(dir),
      handovers: await fileHandoverMemory(dir),
      onToken: (t) => {
        token = t;
      },
    },
  );
  return {
    client,
    profile,
    dir,
    save: async () => {
      await saveDirectoryHead(dir, profile, head);
      await saveToken(dir, token);
    },
  };
}
