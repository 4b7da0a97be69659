// Messages between the benchmark and the server process it forked (over the IPC channel).

export type ServerRequest = { id: number; type: 'create-clsm'; name: string } | { id: number; type: 'stop' };

export type ServerReply =
  | { type: 'ready'; apiUrl: string; bareUrl: string }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

export interface CreatedClsm {
  clsmId: string;
  /** One-time enrollment code of the first coordinator: a credential, never logged or stored. */
  code: string;
}
