import { ClsmClient } from '../client/client.js';
import { KeyPins } from '../client/pins.js';
import { str, type Parsed } from './args.js';
import { readPassphrase } from './passphrase.js';
import { fileCheckpointMemory } from './checkpoint-memory.js';
import { fileHandoverMemory } from './handover-memory.js';
import {
  loadProfile,
  loadToken,
  profileDir,
  savePins,
  saveToken,
  unlockKeys,
  type ProfileFile,
} from './profile.js';

/** A logged-in SDK client built from the profile; pins and token are written back when it is saved. */
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
  const pins = new KeyPins({ ...profile.pins });
  let token = await loadToken(dir);
  const client = new ClsmClient(
    {
      serverUrl: str(p, 'server') ?? env.CLSM_SERVER ?? profile.server,
      clsmId: profile.tenantId,
      memberId: profile.memberId,
      keys,
    },
    {
      pins,
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
      await savePins(dir, profile, pins.toJSON());
      await saveToken(dir, token);
    },
  };
}
