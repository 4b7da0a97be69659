import { ApiError } from '../../../src/client/http.js';
import type { MessageId } from '../i18n/fr.js';
import { fr } from '../i18n/fr.js';
import { UnlockError } from '../device/unlock.js';
import { useMessages } from './messages.js';

// Every refusal in plain words, with what to do next. The API's stable codes and the SDK's error
// names map to catalogue messages; nothing from the server's text is shown.

/**
 * The message for a refusal; `action` names what was attempted, for the codes whose next step
 * depends on it (`error.FORBIDDEN.exception.approve`: ask another member), else the code's own.
 */
export function errorMessageId(err: unknown, action?: string): MessageId {
  const name =
    err instanceof ApiError
      ? err.code
      : err instanceof UnlockError
        ? err.message
        : (err as Error | undefined)?.name;
  const specific = `error.${name ?? 'unknown'}.${action ?? ''}`;
  if (action !== undefined && specific in fr) return specific as MessageId;
  const id = `error.${name ?? 'unknown'}`;
  return id in fr ? (id as MessageId) : 'error.unknown';
}

export function ErrorNotice({ error, action }: { error: unknown; action?: string }) {
  const m = useMessages();
  if (error === undefined) return null;
  return (
    <div role="alert" className="notice notice-error">
      <p className="notice-title">{m('error.title')}</p>
      <p>{m(errorMessageId(error, action))}</p>
    </div>
  );
}
