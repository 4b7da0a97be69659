import { assembleCast } from './cast.js';
import { epilogue } from './epilogue.js';
import { say, step } from './narrator.js';
import { holdSitting } from './sitting.js';
import { referSituations } from './situations.js';
import { startWorld } from './world.js';

// `npm run demo`: a whole year of a cellule, through the real HTTP API and the SDK, narrated.

const world = await startWorld(new Date('2025-01-06T09:00:00Z'));
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
