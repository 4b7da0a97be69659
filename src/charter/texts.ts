import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface CharterText {
  version: number;
  text: string;
  sha256: Buffer;
}

/** The charter versions shipped in policies/charter/ (v1.md, v2.md...), oldest first. */
export async function loadCharterTexts(directory: string): Promise<CharterText[]> {
  const files = (await readdir(directory)).filter((f) => /^v[1-9][0-9]*\.md$/.test(f));
  const texts = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(directory, file), 'utf8');
      return { version: Number(file.slice(1, -3)), text, sha256: createHash('sha256').update(text).digest() };
    }),
  );
  if (texts.length === 0) throw new Error(`no charter text (v1.md...) in ${directory}`);
  return texts.sort((a, b) => a.version - b.version);
}
