import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import type { CheckpointFile, FileVerdict } from '../../../src/client/audit-files.js';
import { ErrorNotice } from '../ui/error-notice.js';
import { useMessages } from '../ui/messages.js';
import { saveFile } from '../ui/save-file.js';
import { useAction } from '../ui/use-action.js';
import { verdictWords } from './audit-verdict-words.js';

// The DPO checks the audit log against a checkpoint file kept outside the server, and downloads
// today's checkpoints to keep. An intact log is announced politely (status), a break at once
// (alert). The file input is the browser's own: labelled, and opened with the keyboard.

export function AuditCheck(props: {
  verify: (text: string) => Promise<FileVerdict>;
  checkpoints: () => Promise<CheckpointFile>;
}) {
  const m = useMessages();
  const [file, setFile] = useState<File | undefined>(undefined);
  const [verdict, setVerdict] = useState<FileVerdict | undefined>(undefined);
  const [missing, setMissing] = useState(false);
  const check = useAction(async (chosen: File) => {
    setVerdict(undefined);
    setVerdict(await props.verify(await chosen.text()));
  });
  const download = useAction(async () => {
    const exported = await props.checkpoints();
    const day = new Date().toISOString().slice(0, 10);
    saveFile(`points-de-controle-${day}.json`, `${JSON.stringify(exported, null, 2)}\n`, 'application/json');
  });
  const words = verdict === undefined ? undefined : verdictWords(m, verdict);

  return (
    <section aria-labelledby="check-title">
      <h2 id="check-title">{m('check.title')}</h2>
      <p>{m('check.intro')}</p>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          // Said in words rather than by the browser's `required` bubble, which speaks English.
          setMissing(file === undefined);
          if (file !== undefined) void check.run(file);
        }}
      >
        <div className="field">
          <label htmlFor="checkpoint-file">{m('check.file')}</label>
          <input
            id="checkpoint-file"
            name="checkpoints"
            type="file"
            accept=".json,application/json"
            aria-required="true"
            onChange={(e) => {
              setVerdict(undefined);
              setMissing(false);
              setFile(e.currentTarget.files?.[0]);
            }}
            aria-invalid={missing}
            aria-describedby={missing ? 'checkpoint-file-missing' : undefined}
          />
          {missing ? (
            <p id="checkpoint-file-missing" role="alert" className="field-error">
              {m('check.noFile')}
            </p>
          ) : null}
        </div>
        <Button type="submit" className="button primary" isDisabled={check.busy}>
          {m('check.submit')}
        </Button>
      </Form>
      <div role="status" className={words?.intact === true ? 'notice' : undefined}>
        {check.busy ? <p>{m('check.working')}</p> : null}
        {words?.intact === true ? (
          <>
            <p className="notice-title">{words.title}</p>
            <p>{words.detail}</p>
          </>
        ) : null}
      </div>
      {words !== undefined && !words.intact ? (
        <div role="alert" className="notice notice-error">
          <p className="notice-title">{words.title}</p>
          <p>{words.detail}</p>
          {words.next === undefined ? null : <p>{words.next}</p>}
        </div>
      ) : null}
      <ErrorNotice error={check.error} />
      <div className="row-actions">
        <Button className="button" isDisabled={download.busy} onPress={() => void download.run()}>
          {m('check.export')}
        </Button>
      </div>
      <p className="muted">{m('check.exportHint')}</p>
      <ErrorNotice error={download.error} />
    </section>
  );
}
