import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { useSession } from './device/session.js';
import { CharterScreen } from './screens/charter.js';
import { EnrollScreen } from './screens/enroll.js';
import { Gate, Layout } from './screens/layout.js';
import { RecoverScreen } from './screens/recover.js';
import { ReferScreen } from './screens/refer.js';
import { SituationScreen } from './screens/situation.js';
import { SituationsScreen } from './screens/situations.js';
import { UnlockScreen } from './screens/unlock.js';
import { useMessages } from './ui/messages.js';

// French paths: they show in the address bar.

function Home() {
  const { state } = useSession();
  const m = useMessages();
  if (state.status === 'loading') return <p>{m('common.loading')}</p>;
  if (state.status === 'none') return <Navigate to="/inscription" replace />;
  if (state.status === 'locked') return <Navigate to="/deverrouiller" replace />;
  return <Navigate to="/situations" replace />;
}

function EnrollRoute() {
  const { state } = useSession();
  if (state.status === 'locked') return <Navigate to="/deverrouiller" replace />;
  return <EnrollScreen />;
}

function UnlockRoute() {
  const { state } = useSession();
  const location = useLocation();
  const m = useMessages();
  if (state.status === 'loading') return <p>{m('common.loading')}</p>;
  if (state.status === 'none') return <Navigate to="/inscription" replace />;
  if (state.status === 'unlocked') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from ?? '/situations'} replace />;
  }
  return <UnlockScreen />;
}

function RecoverRoute() {
  const { state } = useSession();
  const m = useMessages();
  if (state.status === 'loading') return <p>{m('common.loading')}</p>;
  return <RecoverScreen />;
}

export const router = createBrowserRouter([
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      { path: 'inscription', element: <EnrollRoute /> },
      { path: 'deverrouiller', element: <UnlockRoute /> },
      // Public like the enrollment: a member who lost their device has no keys to unlock.
      { path: 'recuperation', element: <RecoverRoute /> },
      {
        path: 'charte',
        element: (
          <Gate charterFree>
            <CharterScreen />
          </Gate>
        ),
      },
      {
        path: 'situations',
        element: (
          <Gate>
            <SituationsScreen />
          </Gate>
        ),
      },
      {
        path: 'situations/nouvelle',
        element: (
          <Gate>
            <ReferScreen />
          </Gate>
        ),
      },
      {
        path: 'situations/:id',
        element: (
          <Gate>
            <SituationScreen />
          </Gate>
        ),
      },
      // Screens used less often load on demand: the entry script stays small (docs/performance.md).
      {
        path: 'situations/:id/cercle',
        lazy: async () => {
          const { CircleScreen } = await import('./screens/circle.js');
          return {
            element: (
              <Gate>
                <CircleScreen />
              </Gate>
            ),
          };
        },
      },
      {
        path: 'situations/:id/consentement',
        lazy: async () => {
          const { ConsentScreen } = await import('./screens/consent.js');
          return {
            element: (
              <Gate>
                <ConsentScreen />
              </Gate>
            ),
          };
        },
      },
      {
        path: 'actions',
        lazy: async () => {
          const { MyActionsScreen } = await import('./screens/my-actions.js');
          return {
            element: (
              <Gate>
                <MyActionsScreen />
              </Gate>
            ),
          };
        },
      },
      {
        path: 'membres',
        lazy: async () => {
          const { MembersScreen } = await import('./screens/members.js');
          return {
            element: (
              <Gate>
                <MembersScreen />
              </Gate>
            ),
          };
        },
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
