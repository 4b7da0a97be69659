import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

// The Cedar schema and policy files of a policies/ directory, as read at start-up.

export class PolicyError extends Error {
  override name = 'PolicyError';
}

export interface PolicySources {
  schema: string;
  /** The .cedar files, sorted by name. */
  files: { name: string; text: string }[];
}

export async function readPolicySources(directory: string): Promise<PolicySources> {
  const schemaFile = path.join(directory, 'schema.cedarschema');
  const schema = await readFile(schemaFile, 'utf8').catch(() => {
    throw new PolicyError(`no Cedar schema at ${schemaFile}`);
  });
  const names = (await readdir(directory)).filter((f) => f.endsWith('.cedar')).sort();
  if (names.length === 0) throw new PolicyError(`no .cedar policy file in ${directory}`);
  const files = await Promise.all(
    names.map(async (name) => ({ name, text: await readFile(path.join(directory, name), 'utf8') })),
  );
  return { schema, files };
}
