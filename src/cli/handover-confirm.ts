import { createInterface } from 'node:readline/promises';
import type { ConfirmGrantee, Grantee } from '../client/handover.js';
import { CliError, EXIT } from './output.js';

// Before the keys of a situation go to a member for the first time, the user reads who they are
// and says yes: on a terminal, a question; in a script, `--yes` says it beforehand, and without it
// the command stops rather than hand keys over unseen.

export function describeGrantee(g: Grantee): string {
  return `${g.displayName}, ${g.role}, ${g.organisation} (added by ${g.addedBy}) — fingerprint ${g.fingerprint}`;
}

export function confirmHandover(yes: boolean): ConfirmGrantee {
  return async (g) => {
    if (yes) return true;
    if (!process.stdin.isTTY) {
      throw new CliError(
        `keys are about to be handed over to ${describeGrantee(g)}: nobody confirmed it`,
        EXIT.USAGE,
        'CONFIRMATION_NEEDED',
        'run it on a terminal to be asked, or, once you have compared the fingerprint with them, pass --yes',
      );
    }
    process.stderr.write(`Keys of this situation for ${describeGrantee(g)}\n`);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question('Compare the fingerprint with them. Hand over the keys? [y/N] ');
      return /^(y|yes|o|oui)$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}
