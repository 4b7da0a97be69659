import { ApiError } from '../../../src/client/http.js';
import type { MessageId } from '../i18n/fr.js';
import { fr } from '../i18n/fr.js';
import { UnlockError } from '../device/unlock.js';
import { useMessages } from './messages.js';

// Every refusal in plain words, with what to do next. The API's stable codes and the SDK's error
// names map to catalogue messages; nothing from the server's text is shown.

export function errorMessageId(err: unknown): MessageId {
  const name =
    err instanceof ApiError
      ? err.code
      : err instanceof UnlockError
        ? err.message
        : (err as Error | undefined)?.name;
  const id = `error.${name ?? 'unknown'}`;
  return id in fr ? (id as MessageId) : 'error.unknown';
}

export function ErrorNotice({ error }: { error: unknown }) {
  const m = useMessages();
  if (error === undefined) return null;
  return (
    <div role="alert" className="notice notice-error">
      <p className="notice-title">{m('error.title')}</p>
      <p>{m(errorMessageId(error))}</p>
    </div>
  );
}
