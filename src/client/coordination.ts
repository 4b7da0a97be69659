import type { z } from 'zod';
import type { charterVersionSchema } from '../charter/wire-schema.js';
import type { clsmSettingsSchema } from '../clsms/wire-schema.js';
import type { ClsmClient } from './client.js';

// What the coordination reads and publishes about the CLSM itself: its settings (read-only, set by
// the operator) and the charte's versions.

/** A version of the charte shipped with the service, as a coordinator reads them. */
export type CharterVersion = z.output<typeof charterVersionSchema>;
/** The CLSM's name and how the service is set for it (read-only). */
export type ClsmSettings = z.output<typeof clsmSettingsSchema>;

export class Coordination {
  constructor(private readonly client: ClsmClient) {}

  /** This CLSM's name and how the service is set for it: read-only, set by the operator. */
  async settings(): Promise<ClsmSettings> {
    return this.client.request('GET', '/v1/clsm');
  }

  /** (coordinator) Every version shipped with the service, published in this CLSM or not. */
  async charterVersions(): Promise<CharterVersion[]> {
    return (await this.client.request<{ versions: CharterVersion[] }>('GET', '/v1/charter/versions'))
      .versions;
  }

  /** (coordinator) Publishes a shipped version: every member, the publisher too, must accept it again. */
  async publishCharter(version: number): Promise<void> {
    await this.client.request('POST', '/v1/charter/publish', { version });
  }
}
