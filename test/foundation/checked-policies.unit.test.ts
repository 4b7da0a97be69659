import t from 'tap';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPolicyEngine, PolicyError } from '../../src/access/policy-engine.js';
import { checkPolicies } from '../../src/access/policy-check.js';
import { readCheckedPolicies, recordCheckedPolicies } from '../../src/access/checked-policies-file.js';
import { readPolicySources } from '../../src/access/policy-sources.js';
import { POLICIES_DIR } from '../../src/util/paths.js';
import { scratchDir } from '../helpers/paths.js';

// The build checks the shipped policies once and records the outcome; a start uses that record
// only for exactly the sources it was made from, and otherwise checks the policies itself.

async function recorded(): Promise<{ dir: string; file: string }> {
  const dir = await scratchDir('policies');
  await cp(POLICIES_DIR, dir, { recursive: true });
  const file = path.join(await scratchDir('record'), 'checked-policies.json');
  await recordCheckedPolicies(await readPolicySources(dir), file);
  return { dir, file };
}

t.test('the record of checked policies stands for the checks on the same sources', async (t) => {
  const { dir, file } = await recorded();
  const sources = await readPolicySources(dir);
  t.same(await readCheckedPolicies(sources, file), checkPolicies(sources));
  const engine = await loadPolicyEngine(dir, file);
  t.ok(engine.memoized);
  t.same(engine.policyIds, Object.keys(checkPolicies(sources).policies));
});

t.test('a policy changed after the build is checked at start: an invalid one stops it', async (t) => {
  const { dir, file } = await recorded();
  await writeFile(
    path.join(dir, 'extra.cedar'),
    '@id("typo") permit (principal, action == Clsm::Action::"case.raed", resource);',
  );
  t.equal(await readCheckedPolicies(await readPolicySources(dir), file), undefined);
  await t.rejects(loadPolicyEngine(dir, file), PolicyError);

  const schemaDrift = await recorded();
  const schemaFile = path.join(schemaDrift.dir, 'schema.cedarschema');
  await writeFile(schemaFile, (await readFile(schemaFile, 'utf8')).replace('"stats.read",', '"stats.raed",'));
  await t.rejects(loadPolicyEngine(schemaDrift.dir, schemaDrift.file), {
    message: /unknown action "stats.raed" in the schema/,
  });
});

t.test('a valid policy changed after the build is the one enforced', async (t) => {
  const { dir, file } = await recorded();
  await writeFile(
    path.join(dir, 'extra.cedar'),
    '@id("one-member") permit (principal == Clsm::Member::"a1", action == Clsm::Action::"case.read", resource);',
  );
  const engine = await loadPolicyEngine(dir, file);
  t.ok(engine.policyIds.includes('one-member'));
  t.notOk(engine.memoized, 'checked again: the new policy names one member');
});

t.test('a record edited after the build is not used', async (t) => {
  const { dir, file } = await recorded();
  const sources = await readPolicySources(dir);
  const record = JSON.parse(await readFile(file, 'utf8'));

  const widened = structuredClone(record);
  const firstId = Object.keys(widened.policies)[0]!;
  widened.policies[firstId] = `@id("${firstId}")\npermit (principal, action, resource);`;
  await writeFile(file, JSON.stringify(widened));
  t.equal(await readCheckedPolicies(sources, file), undefined, 'a policy text changed in the record');
  const engine = await loadPolicyEngine(dir, file);
  t.same(engine.policyIds, Object.keys(checkPolicies(sources).policies));

  await writeFile(file, JSON.stringify({ ...record, memoized: false }));
  t.equal(await readCheckedPolicies(sources, file), undefined, 'the memo flag changed');
  await writeFile(file, '{"policies":');
  t.equal(await readCheckedPolicies(sources, file), undefined, 'a truncated record');
  t.equal(await readCheckedPolicies(sources, path.join(dir, 'none.json')), undefined, 'no record');
});
