/**
 * How long a legal exception lasts once approved, unless its request says otherwise: the SDK sends
 * it explicitly (the exception's log statement carries its duration), and the server's default for
 * requests without one (EXCEPTION_DEFAULT_HOURS) starts from it.
 */
export const DEFAULT_EXCEPTION_HOURS = 72;
