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
  outcome.extras = await extras();
  console.log(JSON.stringify(outcome));
  for (const p of problems) console.error('FAIL: ' + p);
  process.exit(problems.length ? 1 : 0);
}

// The processor of the extras: counts runs by job id in runs, priorities in order.
function extrasProcessor(runs, order) {
  let failOnce = true;
  return async (job) => {
    runs.set(job.id, (runs.get(job.id) || 0) + 1);
    switch (job.name) {
      case 'prio':
        order.push(job.opts.priority);
        return job.opts.priority;
      case 'progress':
        await job.updateProgress(50);
        await job.log('half way');
        await job.updateProgress({ done: true });
        return 'done';
      case 'fail-once':
        if (failOnce) {
          failOnce = false;
          throw new Error('first run fails');
        }
        return 'second run';
      case 'slow': // the first run outlives its lock
        if (runs.get(job.id) === 1) await sleep(3000);
        return 'run ' + runs.get(job.id);
      default:
        return job.name;
    }
  };
}

// A job whose lock expires while its first run is still busy: the stalled-jobs check moves it
// back to wait and it runs again. Its own queue, since another worker's stalled-check key would
// hold the check off for that worker's (default, 30 s) stalledInterval.
async function stalledJob() {
  const runs = new Map(); // job ids restart at 1 in this queue
  const processor = extrasProcessor(runs, []);
  const name = QUEUE + '-stalled';
  const queue = new Queue(name, { connection });
  await queue.obliterate({ force: true });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  const stalling = new Worker(name, processor, {
    connection,
    concurrency: 2,
    lockDuration: 500,
    stalledInterval: 300,
    skipLockRenewal: true,
  });
  stalling.on('error', () => {}); // the first run's completion is refused: it lost its lock
  let stalled = 0;
  stalling.on('stalled', () => {
    stalled += 1;
  });
  const slow = await queue.add('slow', {});
  const result = await slow.waitUntilFinished(events, 15000);
  await sleep(3000); // let the first run end (and be refused)
  const out = [result, stalled, runs.get(slow.id), await slow.getState()];
  await stalling.close();
  await events.close();
  await queue.close();
  return out;
}

// Priorities under pause/resume, progress and logs, removeOnComplete, a manual retry of a failed
// job, deduplication, waitUntilFinished, clean, a rate-limited worker and a job whose
// lock expires (stalled, then run again by the stalled-jobs check).
async function extras() {
  const name = QUEUE + '-extras';
  const queue = new Queue(name, { connection });
  await queue.obliterate({ force: true });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  const progress = [];
  events.on('progress', ({ jobId, data }) => progress.push(data));
  const out = {};
  const order = [];
  const runs = new Map();
  const processor = extrasProcessor(runs, order);

  await queue.pause();
  const prios = [];
  for (const priority of [5, 1, 4, 2, 3]) prios.push(await queue.add('prio', {}, { priority }));
  const worker = new Worker(name, processor, { connection, concurrency: 1 });
  await worker.waitUntilReady();
  await sleep(300);
  out.whilePaused = [order.length, await queue.isPaused()];
  await queue.resume();

  const prog = await queue.add('progress', {});
  const gone = await queue.add('gone', {}, { removeOnComplete: true });
  const failing = await queue.add('fail-once', {});
  const d1 = await queue.add('dedup', { n: 1 }, { deduplication: { id: 'd' } });
  const d2 = await queue.add('dedup', { n: 2 }, { deduplication: { id: 'd' } });
  out.progressResult = await prog.waitUntilFinished(events, 10000);
  await d1.waitUntilFinished(events, 10000); // concurrency 1: 'gone' (removed) ran before
  try {
    await failing.waitUntilFinished(events, 10000);
    out.failOnce = 'did not fail';
  } catch (err) {
    out.failOnce = [err.message, await failing.getState()];
  }
  const retried = await queue.getJob(failing.id);
  await retried.retry('failed');
  out.retried = await retried.waitUntilFinished(events, 10000);
  for (const j of prios) await j.waitUntilFinished(events, 10000);
  out.order = order.slice();
  out.progress = progress;
  out.logs = await queue.getJobLogs(prog.id);
  out.gone = (await queue.getJob(gone.id)) === undefined;
  out.dedup = [d1.id === d2.id, (await queue.getJob(d1.id)).data, runs.get(d1.id)];
  out.failedRuns = runs.get(failing.id);
  await worker.close();
  out.cleaned = (await queue.clean(0, 100, 'completed')).length;
  out.countsAfterClean = await queue.getJobCounts('completed', 'failed', 'wait');

  // At most 2 jobs per 400 ms: 6 jobs take at least two more windows.
  const limited = new Worker(name, processor, {
    connection,
    concurrency: 3,
    limiter: { max: 2, duration: 400 },
  });
  const start = Date.now();
  const jobs = await queue.addBulk([1, 2, 3, 4, 5, 6].map((n) => ({ name: 'limited' + n })));
  for (const j of jobs) await j.waitUntilFinished(events, 10000);
  out.limited = [jobs.map((j) => runs.get(j.id)), Date.now() - start >= 800];
  await limited.close();

  out.stalled = await stalledJob();

  await events.close();
  await queue.close();
  const want = {
    whilePaused: [0, true],
    progressResult: 'done',
    failOnce: ['first run fails', 'failed'],
    retried: 'second run',
    order: [1, 2, 3, 4, 5],
    progress: [50, { done: true }],
    logs: { logs: ['half way'], count: 1 },
    gone: true,
    dedup: [true, { n: 1 }, 1],
    failedRuns: 2,
    cleaned: 8, // 5 prio, progress, dedup, fail-once ('gone' removed itself)
    countsAfterClean: { completed: 0, failed: 0, wait: 0 },
    limited: [[1, 1, 1, 1, 1, 1], true],
    stalled: ['run 2', 1, 2, 'completed'],
  };
  for (const k of Object.keys(want)) expect('extras ' + k, out[k], want[k]);
  return out;
}

main().catch((err) => {
  console.error('FAIL: ' + (err && err.stack ? err.stack : err));
  process.exit(1);
});
