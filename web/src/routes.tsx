import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { useSession } from './device/session.js';
import { EnrollScreen } from './screens/enroll.js';
import { Gate, Layout } from './screens/layout.js';
import { homePath } from './screens/role-scope.js';
import { UnlockScreen } from './screens/unlock.js';
import { useMessages } from './ui/messages.js';

// French paths: they show in the address bar. The entry script carries what a first visit and an
// unlock need (the enrollment and unlock screens); every other screen loads with its route, so that
// the script sent before unlock stays small (docs/performance.md).

/**
 * A route whose screen loads on demand, behind the unlock (and the charte, unless `charterFree`);
 * not for the roles that see only the bilan, unless `allRoles`; the person's own space only for
 * the person (`ownSpace`), and nothing else for them (role-scope.ts).
 */
function gated(
  load: () => Promise<ComponentType>,
  options: { charterFree?: boolean; allRoles?: boolean; ownSpace?: boolean } = {},
) {
  return async () => {
    const Screen = await load();
    return {
      element: (
        <Gate
          charterFree={options.charterFree ?? false}
          allRoles={options.allRoles ?? false}
          ownSpace={options.ownSpace ?? false}
        >
          <Screen />
        </Gate>
      ),
    };
  };
}

function Home() {
  const { state } = useSession();
  const m = useMessages();
  if (state.status === 'loading') return <p>{m('common.loading')}</p>;
  if (state.status === 'none') return <Navigate to="/inscription" replace />;
  if (state.status === 'locked') return <Navigate to="/deverrouiller" replace />;
  return <Navigate to={homePath(state.me.role)} replace />;
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
    return <Navigate to={from ?? homePath(state.me.role)} replace />;
  }
  return <UnlockScreen />;
}

function RecoverRoute({ Screen }: { Screen: ComponentType }) {
  const { state } = useSession();
  const m = useMessages();
  if (state.status === 'loading') return <p>{m('common.loading')}</p>;
  return <Screen />;
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
      {
        path: 'recuperation',
        lazy: async () => {
          const { RecoverScreen } = await import('./screens/recover.js');
          return { element: <RecoverRoute Screen={RecoverScreen} /> };
        },
      },
      {
        path: 'charte',
        lazy: gated(async () => (await import('./screens/charter.js')).CharterScreen, {
          charterFree: true,
          allRoles: true,
        }),
      },
      {
        path: 'mon-espace',
        lazy: gated(async () => (await import('./screens/person-home.js')).PersonHomeScreen, {
          ownSpace: true,
        }),
      },
      {
        path: 'mon-espace/:id',
        lazy: gated(async () => (await import('./screens/person-home.js')).PersonHomeScreen, {
          ownSpace: true,
        }),
      },
      {
        path: 'situations',
        lazy: gated(async () => (await import('./screens/situations.js')).SituationsScreen),
      },
      {
        path: 'situations/nouvelle',
        lazy: gated(async () => (await import('./screens/refer.js')).ReferScreen),
      },
      {
        path: 'situations/:id',
        lazy: gated(async () => (await import('./screens/situation.js')).SituationScreen),
      },
      {
        path: 'situations/:id/cercle',
        lazy: gated(async () => (await import('./screens/circle.js')).CircleScreen),
      },
      {
        path: 'situations/:id/consentement',
        lazy: gated(async () => (await import('./screens/consent.js')).ConsentScreen),
      },
      {
        path: 'situations/:id/plan',
        lazy: gated(async () => (await import('./screens/plan.js')).PlanScreen),
      },
      {
        path: 'situations/:id/acces',
        lazy: gated(async () => (await import('./screens/access-report.js')).AccessReportScreen),
      },
      {
        path: 'actions',
        lazy: gated(async () => (await import('./screens/my-actions.js')).MyActionsScreen),
      },
      {
        path: 'seances',
        lazy: gated(async () => (await import('./screens/sittings.js')).SittingsScreen),
      },
      {
        path: 'seances/:id',
        lazy: gated(async () => (await import('./screens/sitting.js')).SittingScreen),
      },
      {
        path: 'protection-des-donnees',
        lazy: gated(async () => (await import('./screens/privacy.js')).PrivacyScreen),
      },
      {
        path: 'membres',
        lazy: gated(async () => (await import('./screens/members.js')).MembersScreen),
      },
      {
        path: 'parametres',
        lazy: gated(async () => (await import('./screens/clsm-settings.js')).ClsmSettingsScreen),
      },
      {
        path: 'bilan',
        lazy: gated(async () => (await import('./screens/bilan.js')).BilanScreen, { allRoles: true }),
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
