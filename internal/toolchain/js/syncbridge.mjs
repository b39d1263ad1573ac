// The synchronous bridge of the local host: Spin 3's (WASI 0.2) platform
// interfaces (fermyon:spin/mysql, redis, mqtt) are synchronous imports
// whose work is network I/O that Node only does asynchronously.
//
// jco lowers a sync import's return value as soon as the function returns:
// it does not await a promise. jco can make a sync import suspend the
// guest with JSPI (WebAssembly.Suspending), but only for the imports listed
// in transpile's asyncMode/asyncImports, which host.mjs does not use; and a
// WASI 0.2 handler is a synchronous export, whose task may not block at
// all. So the clients run in one worker thread (syncbridge-worker.mjs) and
// each call is made synchronous here: post the request, block this thread
// with Atomics.wait on a shared flag until the worker has answered, then
// take the answer with receiveMessageOnPort. The worker's own event loop
// does the network I/O meanwhile. The cost: the host's main thread waits
// for each round trip (other requests wait too), as a synchronous host
// call would.
//
// A service is a module of ours that exports bridgeOpen(...args): an async
// function that returns an object whose async methods are the resource's
// methods and whose close() releases it. bridged() makes the resource class
// the guest sees; its objects hold the id of their object in the worker,
// which is closed when the guest drops the resource or, failing that, when
// the resource object is garbage collected. A method's error is the
// `payload` ({tag, val}) of what it throws (see common.mjs's wasiError),
// else the service's errorPayload(e), else {tag: 'other'}.
//
// Protocol: the main thread posts {seq, module, op, id, method, args} on
// the port and waits on signal[0]; the worker posts {seq, ok} or
// {seq, err: {tag, val}} and then sets signal[0] = 1 and notifies. `close`
// (seq 0) gets no answer.
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { wasiError } from './common.mjs';

// How long a call may wait for the worker before it fails.
const callTimeoutMs = 5 * 60 * 1000;

let bridge;

// worker starts the shared worker on first use.
function worker() {
  if (bridge) return bridge;
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(new URL('./syncbridge-worker.mjs', import.meta.url), {
    workerData: { port: port2, signal },
    transferList: [port2],
  });
  w.unref();
  port1.unref();
  let exited = null;
  w.on('error', (e) => { exited = `the host's worker thread failed: ${e?.message ?? e}`; console.error('spin-go host:', exited); });
  w.on('exit', (code) => { exited ??= `the host's worker thread exited (${code})`; });
  let seq = 0;
  bridge = {
    // call runs a request in the worker and returns its result,
    // synchronously.
    call(request) {
      if (exited) throw wasiError('other', exited);
      const id = ++seq;
      Atomics.store(signal, 0, 0);
      port1.postMessage({ seq: id, ...request });
      const deadline = Date.now() + callTimeoutMs;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw wasiError('other', `the host's worker thread did not answer ${request.method ?? request.op} within ${callTimeoutMs / 1000} s`);
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
    // send posts a request without waiting for it.
    send(request) {
      if (!exited) port1.postMessage({ seq: 0, ...request });
    },
  };
  return bridge;
}

// Objects the guest did not drop are closed when collected.
const unreleased = new FinalizationRegistry((request) => worker().send(request));

// bridged returns a resource class for a synchronous import whose objects
// live in the worker: module is the service's file (next to this one),
// methods the names of the resource's methods. Subclasses add checks to
// the static open, then call super.open.
export function bridged(module, methods) {
  const ids = new WeakMap();
  class Resource {
    constructor(id) {
      ids.set(this, id);
      unreleased.register(this, { module, op: 'close', id }, this);
    }
    static open(...args) {
      return new this(worker().call({ module, op: 'open', args }));
    }
    [Symbol.dispose]() {
      unreleased.unregister(this);
      worker().send({ module, op: 'close', id: ids.get(this) });
    }
  }
  for (const method of methods) {
    Resource.prototype[method] = function (...args) {
      return worker().call({ module, op: 'call', id: ids.get(this), method, args });
    };
  }
  return Resource;
}
