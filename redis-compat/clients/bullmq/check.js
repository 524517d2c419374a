// BullMQ against one server (Fickle or redis-server): a Queue, a Worker, QueueEvents (XREAD
// BLOCK on the events stream), a FlowProducer and a job scheduler. Plain, delayed, retried
// (attempts: 3 with backoff) and always-failing jobs; each must run the expected number of times
// with the right result. Prints one JSON line with the outcome (nothing timing-dependent in it,
// so two servers can be compared) and exits 1 if any expectation failed.
//
//   node check.js PORT
'use strict';
const { Queue, Worker, QueueEvents, FlowProducer } = require('bullmq');

const port = Number(process.argv[2]);
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const QUEUE = 'fickle-check';
const PLAIN = 40;
const DELAYS = [300, 600, 900];
const DEADLINE_MS = 40000;

const problems = [];
function expect(what, got, want) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) problems.push(`${what}: got ${g}, want ${w}`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main() {
  const queue = new Queue(QUEUE, { connection });
  await queue.obliterate({ force: true });
  const events = new QueueEvents(QUEUE, { connection });
  await events.waitUntilReady();

  // Every processor run, by job id: [attempt number seen at the start of the run, ...].
  const runs = new Map();
  // QueueEvents, by job id: {event name: how many times}.
  const eventsSeen = new Map();
  const EVENTS = ['added', 'waiting', 'active', 'delayed', 'completed', 'failed',
    'retries-exhausted', 'waiting-children'];
  for (const name of EVENTS) {
    events.on(name, ({ jobId }) => {
      const counts = eventsSeen.get(jobId) || {};
      counts[name] = (counts[name] || 0) + 1;
      eventsSeen.set(jobId, counts);
    });
  }
  const seen = (id, name) => (eventsSeen.get(id) || {})[name] || 0;

  const worker = new Worker(
    QUEUE,
    async (job) => {
      const list = runs.get(job.id) || [];
      list.push(job.attemptsMade);
      runs.set(job.id, list);
      switch (job.name) {
        case 'square':
          return job.data.n * job.data.n;
        case 'late':
          return { delay: job.opts.delay, waited: Date.now() - job.timestamp >= job.opts.delay };
        case 'flaky': // fails twice, then succeeds on the third attempt
          if (job.attemptsMade < 2) throw new Error(`flaky attempt ${job.attemptsMade}`);
          return 'ok after ' + job.attemptsMade;
        case 'doomed':
          throw new Error('always fails');
        case 'part':
          return job.data.v;
        case 'total': {
          const values = await job.getChildrenValues();
          return Object.values(values).reduce((a, b) => a + b, 0);
        }
        case 'tick':
          return 'tick';
        default:
          throw new Error('unknown job ' + job.name);
      }
    },
    { connection, concurrency: 4 },
  );
  await worker.waitUntilReady();

  const plain = await queue.addBulk(
    Array.from({ length: PLAIN }, (_, n) => ({ name: 'square', data: { n } })),
  );
  const late = [];
  for (const delay of DELAYS) late.push(await queue.add('late', {}, { delay }));
  const flaky = await queue.add('flaky', {}, { attempts: 3, backoff: { type: 'fixed', delay: 200 } });
  const flakyExp = await queue.add(
    'flaky',
    {},
    { attempts: 3, backoff: { type: 'exponential', delay: 100 } },
  );
  const doomed = await queue.add('doomed', {}, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
  const flowProducer = new FlowProducer({ connection });
  const flow = await flowProducer.add({
    name: 'total',
    queueName: QUEUE,
    children: [1, 2, 3, 4].map((v) => ({ name: 'part', queueName: QUEUE, data: { v } })),
  });
  await queue.upsertJobScheduler('ticker', { every: 250, limit: 3 }, { name: 'tick' });

  const finalIds = [
    ...plain.map((j) => j.id),
    ...late.map((j) => j.id),
    flaky.id,
    flakyExp.id,
    flow.job.id,
    ...flow.children.map((c) => c.job.id),
  ];
  const start = Date.now();
  const ticks = () => [...runs.keys()].filter((id) => id.startsWith('repeat:ticker')).length;
  while (Date.now() - start < DEADLINE_MS) {
    const done = finalIds.every((id) => seen(id, 'completed') > 0);
    if (done && seen(doomed.id, 'failed') > 0 && ticks() >= 3) break;
    await sleep(50);
  }
  await sleep(500); // anything that would run twice has time to show up
  await worker.close();

  const outcome = { plain: [], late: [], flaky: [], doomed: null, flow: null, ticks: 0 };
  for (const [n, j] of plain.entries()) {
    const job = await queue.getJob(j.id);
    outcome.plain.push([await job.getState(), job.returnvalue, runs.get(j.id)]);
    expect(`square ${n}`, outcome.plain[n], ['completed', n * n, [0]]);
  }
  for (const [i, j] of late.entries()) {
    const job = await queue.getJob(j.id);
    outcome.late.push([await job.getState(), job.returnvalue, runs.get(j.id)]);
    expect(`delayed ${i}`, outcome.late[i], [
      'completed',
      { delay: DELAYS[i], waited: true },
      [0],
    ]);
  }
  for (const j of [flaky, flakyExp]) {
    const job = await queue.getJob(j.id);
    const o = [await job.getState(), job.returnvalue, job.attemptsMade, runs.get(j.id)];
    outcome.flaky.push(o);
    expect(`flaky ${j.opts.backoff.type}`, o, ['completed', 'ok after 2', 3, [0, 1, 2]]);
  }
  {
    const job = await queue.getJob(doomed.id);
    outcome.doomed = [await job.getState(), job.failedReason, job.attemptsMade, runs.get(doomed.id)];
    expect('doomed', outcome.doomed, ['failed', 'always fails', 3, [0, 1, 2]]);
  }
  {
    const job = await queue.getJob(flow.job.id);
    const parts = flow.children.map((c) => runs.get(c.job.id));
    outcome.flow = [await job.getState(), job.returnvalue, runs.get(flow.job.id), parts];
    expect('flow', outcome.flow, ['completed', 10, [0], [[0], [0], [0], [0]]]);
  }
  outcome.ticks = ticks();
  expect('scheduler runs (every 250 ms, limit 3)', outcome.ticks, 3);
  for (const [id, list] of runs) {
    if (id.startsWith('repeat:ticker')) expect(`tick ${id}`, list, [0]);
  }
  // QueueEvents: what each job went through, as seen on the events stream.
  const ids = [...finalIds, doomed.id];
  outcome.events = ids.map((id) => eventsSeen.get(id) || {});
  expect('completed events', finalIds.map((id) => seen(id, 'completed')), finalIds.map(() => 1));
  expect('retried jobs: delayed (backoff), failed, retries-exhausted events',
    [flaky.id, flakyExp.id, doomed.id].map((id) =>
      [seen(id, 'delayed'), seen(id, 'failed'), seen(id, 'retries-exhausted')]),
    [[2, 0, 0], [2, 0, 0], [2, 1, 1]]);
  expect('delayed jobs: delayed events', late.map((j) => seen(j.id, 'delayed')), [1, 1, 1]);
  outcome.counts = await queue.getJobCounts('completed', 'failed', 'delayed', 'wait', 'active');

  await flowProducer.close();
  await events.close();
  await queue.close();
  console.log(JSON.stringify(outcome));
  for (const p of problems) console.error('FAIL: ' + p);
  process.exit(problems.length ? 1 : 0);
}

main().catch((err) => {
  console.error('FAIL: ' + (err && err.stack ? err.stack : err));
  process.exit(1);
});
