import type { FieldError, Problem } from '../http/problem-schema.js';

// The SDK's HTTP layer: JSON in and out, problem details turned into typed errors. It never logs
// and never puts the token anywhere but the Authorization header.

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly requestId: string | undefined,
    /** The fields a 400 refused, why, and the values they accept. */
    readonly errors: FieldError[] = [],
  ) {
    super(`${code}: ${detail}`);
  }
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

export interface RequestOptions {
  body?: unknown;
  accept?: string;
  token?: string | undefined;
}

export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (err) {
      throw new UnreachableError(`cannot reach ${this.baseUrl}: ${(err as Error).message}`);
    }
    if (!response.ok) {
      // Partial: a proxy in between may answer an error that is not problem details.
      const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
      throw new ApiError(
        response.status,
        problem.code ?? `HTTP_${response.status}`,
        problem.detail ?? response.statusText,
        problem.requestId,
        Array.isArray(problem.errors) ? problem.errors : [],
      );
    }
    return response;
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}
