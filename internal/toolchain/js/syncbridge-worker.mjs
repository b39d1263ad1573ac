// The worker thread of the synchronous bridge (see syncbridge.mjs): it
// loads each service module by name on first use, keeps the objects its
// bridgeOpen returns by id, and answers the main thread's requests.
import { workerData } from 'node:worker_threads';

const { port, signal } = workerData;
const services = new Map();
const objects = new Map();
let nextId = 1;

// service loads one of our modules (a file name next to this one).
function service(module) {
  if (!/^[a-z0-9-]+\.mjs$/.test(module)) throw new Error(`not a service module: ${module}`);
  if (!services.has(module)) services.set(module, import(new URL(`./${module}`, import.meta.url)));
  return services.get(module);
}

async function run(m) {
  const svc = await service(m.module);
  switch (m.op) {
    case 'open': {
      const obj = await svc.bridgeOpen(...m.args);
      const id = nextId++;
      objects.set(id, obj);
      return id;
    }
    case 'call': {
      const obj = objects.get(m.id);
      if (!obj) throw new Error('no such connection (it was closed)');
      return await obj[m.method](...m.args);
    }
    case 'close': {
      const obj = objects.get(m.id);
      objects.delete(m.id);
      await obj?.close();
      return undefined;
    }
  }
  throw new Error(`unknown operation ${m.op}`);
}

// errorPayload is the {tag, val} the main thread throws for e.
async function errorPayload(m, e) {
  if (e?.payload) return e.payload;
  const svc = await service(m.module).catch(() => null);
  return svc?.errorPayload?.(e) ?? { tag: 'other', val: String(e?.message ?? e) };
}

port.on('message', async (m) => {
  let reply;
  try {
    reply = { seq: m.seq, ok: await run(m) };
  } catch (e) {
    reply = { seq: m.seq, err: await errorPayload(m, e) };
  }
  if (m.seq === 0) {
    if (reply.err) console.error(`spin-go host: ${m.module}: ${m.op}: ${reply.err.val ?? reply.err.tag}`);
    return;
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});

// A failure outside a request must not end the worker: the main thread
// would wait for answers that never come.
process.on('uncaughtException', (e) => console.error('spin-go host: worker thread:', e));
process.on('unhandledRejection', (e) => console.error('spin-go host: worker thread:', e));
