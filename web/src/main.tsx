import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { SessionProvider } from './device/session.js';
import { LocaleProvider } from './i18n/locale.js';
import { router } from './routes.js';

// React Aria injects an inline <style> unless an element with its id exists: the CSP refuses
// inline styles, and styles.css carries the rule instead.
const placeholder = document.createElement('meta');
placeholder.id = 'react-aria-pressable-style';
document.head.append(placeholder);

const root = document.getElementById('root');
if (root === null) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <LocaleProvider>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </LocaleProvider>
  </StrictMode>,
);
