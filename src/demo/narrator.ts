// The demo's voice: a short, readable narrative on stdout. (The demo is a program for people, not
// server code: it prints; the server it starts logs through pino, silenced here.)

export const say = (line: string): void => {
  console.log(line);
};

export const step = (title: string): void => {
  console.log(`\n── ${title}`);
};

export const sees = (who: string, what: string): void => {
  console.log(`   ✓ ${who} ${what}`);
};

export const refused = (who: string, what: string, err: unknown): void => {
  const code = (err as { code?: string }).code ?? (err as Error).name;
  console.log(`   ✗ ${who} ${what}: refused (${code})`);
};

/** Runs what must be refused; a success here would be a defect, so it stops the demo. */
export async function mustFail(who: string, what: string, attempt: () => Promise<unknown>): Promise<void> {
  try {
    await attempt();
  } catch (err) {
    refused(who, what, err);
    return;
  }
  throw new Error(`${who} could ${what}: the demo expected a refusal`);
}
