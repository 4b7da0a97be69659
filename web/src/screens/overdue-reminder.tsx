import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useClient } from '../device/session.js';
import { useMessages } from '../ui/messages.js';

// On the screen the app opens on: how many of the member's follow-up actions are past their due
// date, linking to mes actions. Nothing is said when none is (or when the list cannot be had: mes
// actions says why).

export function OverdueReminder() {
  const m = useMessages();
  const { client } = useClient();
  const [late, setLate] = useState(0);
  useEffect(() => {
    client.sittings.myActions().then(
      ({ actions }) => {
        setLate(actions.filter((a) => a.overdue).length);
      },
      () => {
        setLate(0);
      },
    );
  }, [client]);
  if (late === 0) return null;
  return (
    <p className="notice">
      <Link to="/actions">{m('actions.reminder', { count: late })}</Link>
    </p>
  );
}
