// The few error classes of the service: each has an HTTP status and a stable code that clients
// may branch on. Messages are written for the caller and must never carry case data, keys or tokens.

export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_SIGNATURE: 400,
  TOKEN_IN_QUERY: 400,
  QUERY_NOT_ALLOWED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_INVALID: 401,
  LOGIN_FAILED: 401,
  ENROLLMENT_CODE_INVALID: 401,
  FORBIDDEN: 403,
  CHARTER_NOT_ACCEPTED: 403,
  CONSENT_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  ROTATION_REQUIRED: 409,
  KEY_VERSION_MISMATCH: 409,
  LOG_HEAD_MOVED: 409,
  INVALID_TRANSITION: 409,
  MINUTES_FROZEN: 409,
  RELEASE_EXISTS: 409,
  YEAR_NOT_OVER: 409,
  CASE_PURGED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    /** Safe to show to the caller. */
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(detail, options);
    this.status = ERROR_CODES[code];
  }
}

export const notFound = (what = 'resource'): AppError => new AppError('NOT_FOUND', `${what} not found`);
export const badRequest = (detail: string): AppError => new AppError('VALIDATION_FAILED', detail);
export const conflict = (detail: string): AppError => new AppError('CONFLICT', detail);
