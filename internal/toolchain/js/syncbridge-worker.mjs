// The worker thread of the bridge (see syncbridge.mjs): it loads each
// service module by name on first use, keeps the objects its bridgeOpen
// returns by id and the streams their methods answer with
// (syncbridge-stream.mjs), and answers the main thread's requests.
import { workerData } from 'node:worker_threads';
import { BridgeStream } from './syncbridge-stream.mjs';

const { port, signal } = workerData;
const services = new Map();
const objects = new Map();
const streams = new Map();
let nextId = 1;

// service loads one of our modules (a file name next to this one).
function service(module) {
  if (!/^[a-z0-9-]+\.mjs$/.test(module)) throw new Error(`not a service module: ${module}`);
  if (!services.has(module)) services.set(module, import(new URL(`./${module}`, import.meta.url)));
  return services.get(module);
}

// run answers a request: {ok}, or {ok, stream} for a streamed answer.
async function run(m) {
  switch (m.op) {
    case 'open': {
      const svc = await service(m.module);
      const obj = await svc.bridgeOpen(...m.args);
      const id = nextId++;
      objects.set(id, obj);
      return { ok: id };
    }
    case 'call': {
      await service(m.module);
      const obj = objects.get(m.id);
      if (!obj) throw Object.assign(new Error('no such connection'), { payload: { tag: 'other', val: 'no such connection (it was closed)' } });
      const res = await obj[m.method](...m.args);
      if (!(res instanceof BridgeStream)) return { ok: res };
      const id = nextId++;
      streams.set(id, res);
      res.forget = () => streams.delete(id);
      return { ok: res.head, stream: id };
    }
    case 'close': {
      const obj = objects.get(m.id);
      objects.delete(m.id);
      await obj?.close();
      return { ok: undefined };
    }
    case 'next': {
      const s = streams.get(m.stream);
      if (!s) return { ok: { items: [], done: true, err: { tag: 'other', val: 'no such stream (it was dropped)' } } };
      const r = await s.read();
      if (r.done) streams.delete(m.stream);
      return { ok: r };
    }
    case 'drop': {
      // The stream is forgotten once it has ended too: a reader that is
      // gone may still have to let the producer finish (see BridgeStream).
      streams.get(m.stream)?.drop();
      return { ok: undefined };
    }
  }
  throw new Error(`unknown operation ${m.op}`);
}

// errorPayload is the {tag, val} the main thread throws for e.
async function errorPayload(m, e) {
  if (e?.payload) return e.payload;
  const svc = m.module ? await service(m.module).catch(() => null) : null;
  return svc?.errorPayload?.(e) ?? { tag: 'other', val: String(e?.message ?? e) };
}

port.on('message', async (m) => {
  let reply;
  try {
    reply = { seq: m.seq, ...(await run(m)) };
  } catch (e) {
    reply = { seq: m.seq, err: await errorPayload(m, e) };
  }
  if (m.seq === 0) {
    if (reply.err) console.error(`spin-go host: ${m.module ?? 'stream'}: ${m.op}: ${reply.err.val ?? reply.err.tag}`);
    return;
  }
  port.postMessage(reply);
  // Count the answer after posting it (see syncbridge.mjs's call).
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});

// A failure outside a request must not end the worker: the main thread
// would wait for answers that never come.
process.on('uncaughtException', (e) => console.error('spin-go host: worker thread:', e));
process.on('unhandledRejection', (e) => console.error('spin-go host: worker thread:', e));
