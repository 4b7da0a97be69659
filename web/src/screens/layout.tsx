import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { Button } from 'react-aria-components';
import { Link, NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../device/session.js';
import { LOCK_CHOICES, LOCK_MINUTES_KEY, lockMinutes } from '../device/idle-lock.js';
import { useLocale, type Locale } from '../i18n/locale.js';
import { Choice } from '../ui/choice.js';
import { useMessages } from '../ui/messages.js';
import { useState } from 'react';
import {
  attendsSittings,
  bilanOnly,
  homePath,
  offersSituations,
  ownSpace,
  protectsData,
  seesBilan,
} from './role-scope.js';

// The frame of every screen: skip link, header (navigation, language, lock, logout), main.

function LogoutButton() {
  const m = useMessages();
  const session = useSession();
  return (
    <ConfirmDialog
      button={m('logout.button')}
      buttonClass="button"
      title={m('logout.title')}
      explain={m('logout.explain')}
      cancel={m('logout.cancel')}
      confirm={m('logout.confirm')}
      tone="danger"
      onConfirm={() => void session.logout()}
    />
  );
}

function LockChoice() {
  const m = useMessages();
  const [minutes, setMinutes] = useState(String(lockMinutes()));
  return (
    <Choice
      label={m('lock.after')}
      name="lock-after"
      value={minutes}
      onChange={(v) => {
        localStorage.setItem(LOCK_MINUTES_KEY, v);
        setMinutes(v);
      }}
      options={LOCK_CHOICES.map((n) => ({ id: String(n), label: m('lock.minutes', { minutes: n }) }))}
    />
  );
}

export function Layout() {
  const m = useMessages();
  const { state, lock } = useSession();
  const { locale, setLocale } = useLocale();
  return (
    <>
      <a className="skip-link" href="#main">
        {m('app.skip')}
      </a>
      <header className="header">
        <p className="app-name">{m('app.name')}</p>
        {state.status === 'unlocked' ? (
          <nav aria-label={m('nav.main')}>
            {/* The DPO takes part in no situation: their own screen instead of the situations'. */}
            {protectsData(state.me.role) ? (
              <NavLink to="/protection-des-donnees">{m('nav.privacy')}</NavLink>
            ) : null}
            {offersSituations(state.me.role) ? (
              <>
                <NavLink to="/situations" end>
                  {m('nav.situations')}
                </NavLink>
                <NavLink to="/situations/nouvelle">{m('nav.refer')}</NavLink>
                <NavLink to="/actions">{m('nav.actions')}</NavLink>
              </>
            ) : null}
            {attendsSittings(state.me.role) ? <NavLink to="/seances">{m('nav.sittings')}</NavLink> : null}
            {state.me.role === 'coordinator' ? <NavLink to="/membres">{m('nav.members')}</NavLink> : null}
            {state.me.role === 'coordinator' ? <NavLink to="/parametres">{m('nav.settings')}</NavLink> : null}
            {seesBilan(state.me.role) ? <NavLink to="/bilan">{m('nav.bilan')}</NavLink> : null}
            {/* The person signs no charte: their space is all the app shows them. */}
            {ownSpace(state.me.role) ? (
              <NavLink to="/mon-espace">{m('nav.mySpace')}</NavLink>
            ) : (
              <NavLink to="/charte">{m('nav.charter')}</NavLink>
            )}
          </nav>
        ) : null}
        <div className="header-tools">
          <Choice<Locale>
            label={m('app.language')}
            name="locale"
            value={locale}
            onChange={setLocale}
            options={[
              { id: 'fr', label: 'Français' },
              { id: 'en', label: 'English' },
            ]}
          />
          {state.status === 'unlocked' ? (
            <>
              <LockChoice />
              <Button className="button" onPress={lock}>
                {m('lock.button')}
              </Button>
              <LogoutButton />
            </>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

/** Said instead of a screen about situations to a role that sees only the bilan. */
function NotForRole() {
  const m = useMessages();
  return (
    <section aria-labelledby="title">
      <h1 id="title">{m('scope.title')}</h1>
      <p>{m('scope.explain')}</p>
      <p>
        <Link to="/bilan">{m('scope.link')}</Link>
      </p>
    </section>
  );
}

/**
 * Where the device's state sends the user: enroll, unlock, the charter, or the screen asked for.
 * Screens are not for the roles that see only the bilan unless `allRoles` says otherwise (the DPO,
 * who takes part in no situation either, reaches a situation's access report from their own screen).
 * The person a situation is about accepts no charte and sees their own space (`ownSpace`) only.
 */
export function Gate({
  children,
  charterFree = false,
  allRoles = false,
  ownSpace: forPerson = false,
}: {
  children: React.ReactNode;
  charterFree?: boolean;
  allRoles?: boolean;
  ownSpace?: boolean;
}) {
  const { state } = useSession();
  const m = useMessages();
  const location = useLocation();
  if (state.status === 'loading') return <p>{m('common.loading')}</p>;
  if (state.status === 'none') return <Navigate to="/inscription" replace />;
  if (state.status === 'locked')
    return <Navigate to="/deverrouiller" replace state={{ from: location.pathname }} />;
  if (ownSpace(state.me.role) !== forPerson) return <Navigate to={homePath(state.me.role)} replace />;
  if (!charterFree && !forPerson && !state.me.charterAccepted) return <Navigate to="/charte" replace />;
  if (!allRoles && bilanOnly(state.me.role)) return <NotForRole />;
  return <>{children}</>;
}
