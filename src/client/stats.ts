import { sha256Hex } from '../crypto/hash.js';
import type { RegionalAggregate, RegionalTable } from '../stats/vocabulary/regional-schema.js';
import type { PublishedTable, Release } from '../stats/vocabulary/release-schema.js';
import type { ClsmClient } from './client.js';
import { ApiError, HttpClient } from './http.js';
import type { z } from 'zod';
import type { awaitingApprovalSchema, releasedSchema } from '../stats/releases/wire-schema.js';

// The bilan: released through the API, read from the statistics server, which accepts the same
// tokens. The client checks that the bytes it received are those whose hash the server announces.

export type ReleaseSummary = z.output<typeof releasedSchema>;

/** The release waits for a second person: another coordinator, or the DPO, approves it. */
export type PendingApproval = z.output<typeof awaitingApprovalSchema>;

export interface Fetched<T> {
  value: T;
  /** SHA-256 of the bytes received, as announced by the server and recomputed here. */
  contentHash: string;
}

export class StatsIntegrityError extends Error {
  override name = 'StatsIntegrityError';
}

/**
 * Releases and freezes the bilan of a past year (coordinator), through the API; when its inputs
 * changed in bulk just before, the release waits for a second person's approval instead.
 */
export function releaseBilan(client: ClsmClient, year: number): Promise<ReleaseSummary | PendingApproval> {
  return client.request('POST', '/v1/stats/releases', { year });
}

/** Approves a release someone else asked for (another coordinator, or the DPO): it is released at once. */
export function approveBilan(client: ClsmClient, year: number): Promise<ReleaseSummary> {
  return client.request('POST', `/v1/stats/releases/${year}/approval`);
}

/** Reads released bilans from the statistics server. */
export class StatsClient {
  private readonly http: HttpClient;

  constructor(
    private readonly client: ClsmClient,
    readonly statsServerUrl: string,
  ) {
    this.http = new HttpClient(statsServerUrl);
  }

  /** The released bilan of a year of the member's CLSM, or with `regional` the region's aggregate. */
  async bilan(year: number, regional = false): Promise<Fetched<Release | RegionalAggregate>> {
    const response = await this.get(this.path(year, regional), 'application/json');
    const body = new Uint8Array(await response.arrayBuffer());
    const announced = response.headers.get('x-content-sha256');
    const computed = await sha256Hex(body);
    if (announced !== computed) throw new StatsIntegrityError('the bilan received does not match its hash');
    return {
      value: JSON.parse(new TextDecoder().decode(body)) as Release | RegionalAggregate,
      contentHash: computed,
    };
  }

  async table(year: number, table: string, regional = false): Promise<PublishedTable | RegionalTable> {
    const response = await this.get(`${this.path(year, regional)}/${table}`, 'application/json');
    return (await response.json()) as PublishedTable | RegionalTable;
  }

  async tableCsv(year: number, table: string, regional = false): Promise<string> {
    return (await this.get(`${this.path(year, regional)}/${table}`, 'text/csv')).text();
  }

  private path(year: number, regional: boolean): string {
    return regional ? `/v1/stats/regional/${year}` : `/v1/stats/${this.client.identity.clsmId}/${year}`;
  }

  private async get(path: string, accept: string): Promise<Response> {
    try {
      return await this.http.send('GET', path, { accept, token: await this.client.accessToken() });
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'TOKEN_INVALID') throw err;
      return this.http.send('GET', path, { accept, token: await this.client.accessToken({ renew: true }) });
    }
  }
}
