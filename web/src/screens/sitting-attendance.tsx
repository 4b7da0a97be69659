import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import type { Sittings } from '../../../src/client/sittings.js';
import { useClient } from '../device/session.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { Radios } from '../ui/radios.js';
import { useAction } from '../ui/use-action.js';

// Who was present, excused or absent: recorded by the coordinator until the sitting is closed,
// shown to every member who sees the sitting.

type Member = Awaited<ReturnType<Sittings['view']>>['members'][number];
type Attendance = NonNullable<Member['attendance']>;
const MARKS: readonly Attendance[] = ['present', 'excused', 'absent'];

export function SittingAttendance(props: {
  sittingId: string;
  members: Member[];
  editable: boolean;
  name(id: string): string;
  onSaved(): Promise<void>;
}) {
  const m = useMessages();
  const { client } = useClient();
  const [marks, setMarks] = useState<Record<string, Attendance>>(() =>
    Object.fromEntries(props.members.map((x) => [x.memberId, x.attendance ?? 'present'])),
  );
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction(async () => {
    setSaved(false);
    await client.sittings.attendance(
      props.sittingId,
      Object.entries(marks).map(([memberId, attendance]) => ({ memberId, attendance })),
    );
    setSaved(true);
    await props.onSaved();
  });
  return (
    <section aria-labelledby="attendance-title">
      <h2 id="attendance-title">{m('sitting.attendance.title')}</h2>
      <ul className="attendance">
        {props.members.map((x) => (
          <li key={x.memberId}>
            {props.name(x.memberId)} :{' '}
            {x.attendance === null ? m('sitting.attendance.none') : m(`attendance.${x.attendance}`)}
          </li>
        ))}
      </ul>
      {props.editable ? (
        <Form
          className="no-print"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          {props.members.map((x) => (
            <Radios
              key={x.memberId}
              label={m('sitting.attendance.of', { name: props.name(x.memberId) })}
              name={`attendance-${x.memberId}`}
              value={marks[x.memberId] ?? 'present'}
              onChange={(v) => {
                setMarks((all) => ({ ...all, [x.memberId]: v }));
              }}
              options={MARKS.map((a) => ({ id: a, label: m(`attendance.${a}`) }))}
            />
          ))}
          <ErrorNotice error={error} />
          {saved ? <p role="status">{m('sitting.attendance.saved')}</p> : null}
          <Button type="submit" className="button primary" isDisabled={busy}>
            {m('sitting.attendance.save')}
          </Button>
        </Form>
      ) : null}
    </section>
  );
}
