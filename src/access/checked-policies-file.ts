import '../util/v8-flags.js';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { PROJECT_ROOT } from '../util/paths.js';
import { checkPolicies, VOCABULARY, type CheckedPolicies } from './policy-check.js';
import type { PolicySources } from './policy-sources.js';

// The outcome of checking the shipped policies, recorded once by the build (scripts/build-server.ts)
// so that a start does not pay for Cedar's validation again (docs/adr/0033). The record holds a
// digest of everything the checks depend on: the schema and policy texts, the application's
// vocabulary, Cedar's version, and the outcome itself. A start uses the record only when the
// digest it computes is the recorded one; otherwise it checks the policies itself.

export const CHECKED_POLICIES_FILE = path.join(PROJECT_ROOT, 'dist', 'checked-policies.json');

interface StoredRecord extends CheckedPolicies {
  digest: string;
}

function digestOf(sources: PolicySources, checked: CheckedPolicies): string {
  const input = JSON.stringify({
    cedar: cedar.getCedarVersion(),
    vocabulary: VOCABULARY,
    sources,
    checked: { policies: checked.policies, memoized: checked.memoized },
  });
  return createHash('sha256').update(input).digest('hex');
}

/** Checks the policies (throwing PolicyError as a start would) and records the outcome in `file`. */
export async function recordCheckedPolicies(sources: PolicySources, file: string): Promise<void> {
  const checked = checkPolicies(sources);
  const record: StoredRecord = { ...checked, digest: digestOf(sources, checked) };
  await writeFile(file, `${JSON.stringify(record)}\n`);
}

/** The recorded outcome for exactly these sources, or undefined (no record, or another one). */
export async function readCheckedPolicies(
  sources: PolicySources,
  file: string,
): Promise<CheckedPolicies | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let record: Partial<StoredRecord>;
  try {
    record = JSON.parse(text) as Partial<StoredRecord>;
  } catch {
    return undefined;
  }
  const { policies, memoized, digest } = record;
  if (typeof policies !== 'object' || typeof memoized !== 'boolean' || typeof digest !== 'string')
    return undefined;
  const checked = { policies, memoized };
  return digestOf(sources, checked) === digest ? checked : undefined;
}
