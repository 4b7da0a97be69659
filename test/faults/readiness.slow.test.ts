import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { clusterDatabase, createCluster } from '../helpers/pg-cluster.js';

// /readyz follows the database: 503 problem details while PostgreSQL is down, 200 again once it is
// back, without restarting the process. Runs against a throwaway cluster on both CI passes.

const cluster = await createCluster();
t.teardown(() => cluster.destroy());
const { app } = await startTestApp(t, { database: await clusterDatabase(cluster) });

const ready = async () => {
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  return {
    status: res.statusCode,
    body: res.json<{ code?: string; status?: unknown }>(),
    type: res.headers['content-type'],
  };
};

t.test('ready while the database answers', async (t) => {
  t.equal((await ready()).status, 200);
});

t.test('503 problem details while it is down, liveness unaffected', async (t) => {
  await cluster.stop('immediate');
  const down = await ready();
  t.equal(down.status, 503);
  t.equal(down.body.code, 'SERVICE_UNAVAILABLE');
  t.match(down.type, /application\/problem\+json/);
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  const api = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer x.y.z' } });
  t.equal(api.statusCode, 503, 'authenticated routes answer 503, not 401 or 500');
});

t.test('ready again once it is back, same process', async (t) => {
  await cluster.start();
  let status = 0;
  for (let i = 0; i < 60 && status !== 200; i++) {
    status = (await ready()).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 500));
  }
  t.equal(status, 200);
});
