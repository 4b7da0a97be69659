import { assembleCast } from './cast.js';
import { epilogue } from './epilogue.js';
import { say, step } from './narrator.js';
import { holdSitting } from './sitting.js';
import { referSituations } from './situations.js';
import { startWorld, type World } from './world.js';
import { startupFailure } from '../startup-failure.js';

// `npm run demo`: a whole year of a cellule, through the real HTTP API and the SDK, narrated.

async function openWorld(): Promise<World | undefined> {
  try {
    return await startWorld(new Date('2025-01-06T09:00:00Z'));
  } catch (err) {
    const setup = startupFailure(err);
    if (setup === undefined) throw err;
    process.stderr.write(`demo: cannot start: ${setup}\n`);
    return undefined;
  }
}

const world = await openWorld();
if (world === undefined) process.exitCode = 1;
else {
  try {
    say('CLSM cellule — demonstration');
    say(`API ${world.apiUrl} · statistics ${world.statsUrl} · ${world.where}`);
    step('The CLSM of Villeneuve-sur-Orge and its cellule');
    const cast = await assembleCast(world);
    const situations = await referSituations(world, cast);
    await holdSitting(world, cast, situations);
    await epilogue(world, cast, situations);
    say('\ndemo: ok');
  } finally {
    await world.close();
  }
}
