// fermyon:spin/mysql@2.0.0 for the local host, on the mysql2 client.
//
// The interface's functions are synchronous imports, and jco lowers a sync
// import's return value as soon as the function returns: it does not await
// a promise. jco can make a sync import suspend the guest with JSPI
// (WebAssembly.Suspending), but only for the imports listed in transpile's
// asyncMode/asyncImports, which host.mjs does not use; and a WASI 0.2
// handler is a synchronous export, whose task may not block at all. So the
// MySQL client runs in a worker thread (mysql-worker.mjs) and each call is
// made synchronous here: post the request, block this thread with
// Atomics.wait on a shared flag until the worker has answered, then take
// the answer with receiveMessageOnPort. The worker's own event loop does
// the network I/O meanwhile. The cost: the host's main thread waits for
// each database round trip (other requests wait too), as a synchronous
// host call would.
//
// One mysql2 connection per connection resource; it is closed when the
// guest drops the resource or, failing that, when the resource object is
// garbage collected. Types, errors and limits follow Spin's outbound MySQL
// (see mysql-worker.mjs).
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { checkOutbound, wasiError } from './common.mjs';

// How long a call may wait for the worker before it fails.
const callTimeoutMs = 5 * 60 * 1000;

let client;

// worker starts the shared worker on first use.
function worker() {
  if (client) return client;
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(new URL('./mysql-worker.mjs', import.meta.url), {
    workerData: { port: port2, signal },
    transferList: [port2],
  });
  w.unref();
  port1.unref();
  let exited = null;
  w.on('error', (e) => { exited = `the MySQL worker failed: ${e?.message ?? e}`; console.error('spin-go host:', exited); });
  w.on('exit', (code) => { exited ??= `the MySQL worker exited (${code})`; });
  let seq = 0;
  client = {
    // call runs op in the worker and returns its result, synchronously.
    call(op, args) {
      if (exited) throw wasiError('other', exited);
      const id = ++seq;
      Atomics.store(signal, 0, 0);
      port1.postMessage({ seq: id, op, ...args });
      const deadline = Date.now() + callTimeoutMs;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw wasiError('other', `the MySQL worker did not answer ${op} within ${callTimeoutMs / 1000} s`);
        Atomics.wait(signal, 0, 0, Math.min(left, 1000));
        let m;
        let stale = false;
        while ((m = receiveMessageOnPort(port1))) {
          const reply = m.message;
          if (reply.seq !== id) { stale = true; continue; } // the answer to a call that timed out
          if (reply.err) throw wasiError(reply.err.tag, reply.err.val);
          return reply.ok;
        }
        if (stale) Atomics.store(signal, 0, 0); // (a lost wake-up costs at most one wait period)
        if (exited) throw wasiError('other', exited);
      }
    },
    // send posts op without waiting for it.
    send(op, args) {
      if (!exited) port1.postMessage({ seq: 0, op, ...args });
    },
  };
  return client;
}

// Connections the guest did not drop are closed when collected.
const unreleased = new FinalizationRegistry((id) => worker().send('close', { id }));

export async function mysql(comp) {
  class Connection {
    #id;
    constructor(id) {
      this.#id = id;
      unreleased.register(this, id, this);
    }
    static open(address) {
      checkOutbound(comp, address, (msg) => wasiError('connection-failed', msg));
      return new Connection(worker().call('open', { address }));
    }
    query(statement, params) {
      return worker().call('query', { id: this.#id, statement, params });
    }
    execute(statement, params) {
      worker().call('execute', { id: this.#id, statement, params });
    }
    [Symbol.dispose]() {
      unreleased.unregister(this);
      worker().send('close', { id: this.#id });
    }
  }
  return { 'fermyon:spin/mysql': { Connection } };
}
