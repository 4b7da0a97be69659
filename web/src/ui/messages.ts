import { useIntl } from 'react-intl';
import type { MessageId } from '../i18n/fr.js';

/** The catalogue's messages by id, type-checked against the French catalogue. */
export function useMessages(): (id: MessageId, values?: Record<string, string | number>) => string {
  const intl = useIntl();
  return (id, values) => intl.formatMessage({ id }, values);
}
