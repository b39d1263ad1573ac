// The bridge between the local host's main thread and the one worker
// thread where the clients of the platform interfaces run (mysql, redis and
// mqtt on Spin 3, postgres on Spin 3 and 4).
//
// Synchronous calls: Spin 3's (WASI 0.2) platform interfaces
// (fermyon:spin/mysql, redis, mqtt) and spin:postgres's non-async functions
// are synchronous imports whose work is network I/O that Node only does
// asynchronously. jco lowers a sync import's return value as soon as the
// function returns: it does not await a promise. jco can make a sync import
// suspend the guest with JSPI (WebAssembly.Suspending), but only for the
// imports listed in transpile's asyncMode/asyncImports, which host.mjs does
// not use; and a WASI 0.2 handler is a synchronous export, whose task may
// not block at all. So the clients run in one worker thread
// (syncbridge-worker.mjs) and each call is made synchronous here: post the
// request, block this thread with Atomics.wait on a shared counter until
// the worker has answered, then take the answer with receiveMessageOnPort.
// The worker's own event loop does the network I/O meanwhile. The cost: the
// host's main thread waits for each round trip (other requests wait too),
// as a synchronous host call would.
//
// Asynchronous calls (spin:postgres@4.2.0's async functions) post the same
// request and return a promise of the answer; the main thread goes on.
// A method may answer with a stream (syncbridge-stream.mjs): the promise
// then gives a RemoteStream, whose items are fetched in batches as the
// guest reads them, so that the worker pauses the producer (backpressure)
// when the guest does not keep up.
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
// Protocol: the main thread posts {seq, module, op, id, method, args} (op
// open, call or close) or {seq, op, stream} (op next or drop) on the port;
// the worker posts {seq, ok}, {seq, ok, stream} (a stream's id, with the
// head of the answer in ok) or {seq, err: {tag, val}}, and then adds 1 to
// signal[0] and notifies. Requests with seq 0 (close, drop) get no answer.
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { wasiError } from './common.mjs';

// How long a synchronous call may wait for the worker before it fails.
const callTimeoutMs = 5 * 60 * 1000;

// payloadError is the error jco lowers as the `err` case `payload` (whose
// val may be a variant itself: postgres's query-failed).
function payloadError(payload) {
  const { tag, val } = payload;
  const err = wasiError(tag, typeof val === 'object' ? val?.val?.asText ?? val?.val : val);
  err.payload = payload;
  return err;
}

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
  let exited = null;
  // Asynchronous calls waiting for their answer, by seq. The port keeps
  // the process alive only while there are some.
  const pending = new Map();
  const fail = (why) => {
    exited ??= why;
    for (const p of pending.values()) p.reject(wasiError('other', exited));
    pending.clear();
    port1.unref();
  };
  w.on('error', (e) => {
    fail(`the host's worker thread failed: ${e?.message ?? e}`);
    console.error('spin-go host:', exited);
  });
  w.on('exit', (code) => fail(`the host's worker thread exited (${code})`));
  // deliver settles the asynchronous call a reply answers.
  const deliver = (reply) => {
    const p = pending.get(reply.seq);
    if (!p) return; // (the answer to a synchronous call that timed out)
    pending.delete(reply.seq);
    if (!pending.size) port1.unref();
    if (reply.err) p.reject(payloadError(reply.err));
    else p.resolve(reply.stream ? new RemoteStream(reply.stream, reply.ok) : reply.ok);
  };
  port1.on('message', deliver);
  port1.unref();
  let seq = 0;
  bridge = {
    // call runs a request in the worker and returns its result,
    // synchronously.
    call(request) {
      if (exited) throw wasiError('other', exited);
      const id = ++seq;
      let seen = Atomics.load(signal, 0);
      port1.postMessage({ seq: id, ...request });
      const deadline = Date.now() + callTimeoutMs;
      for (;;) {
        let m;
        while ((m = receiveMessageOnPort(port1))) {
          const reply = m.message;
          if (reply.seq !== id) {
            deliver(reply); // an asynchronous call's answer
            continue;
          }
          if (reply.err) throw payloadError(reply.err);
          return reply.ok;
        }
        if (exited) throw wasiError('other', exited);
        const left = deadline - Date.now();
        if (left <= 0) throw wasiError('other', `the host's worker thread did not answer ${request.method ?? request.op} within ${callTimeoutMs / 1000} s`);
        // The worker counts its answers after posting them: a count that
        // moved since `seen` means an answer to read.
        Atomics.wait(signal, 0, seen, Math.min(left, 1000));
        seen = Atomics.load(signal, 0);
      }
    },
    // callAsync runs a request in the worker and returns a promise of its
    // result (a RemoteStream for a streamed answer).
    callAsync(request) {
      if (exited) return Promise.reject(wasiError('other', exited));
      const id = ++seq;
      return new Promise((resolve, reject) => {
        if (!pending.size) port1.ref();
        pending.set(id, { resolve, reject });
        port1.postMessage({ seq: id, ...request });
      });
    },
    // send posts a request without waiting for it.
    send(request) {
      if (!exited) port1.postMessage({ seq: 0, ...request });
    },
  };
  return bridge;
}

// RemoteStream is a stream a method answered with: head is the rest of the
// answer, items() reads the stream (once), and end is a promise of how it
// ended: {err: null}, {err: payload}, or {dropped: true} when the reader
// stopped before the end.
class RemoteStream {
  #id;
  #settle;
  constructor(id, head) {
    this.#id = id;
    this.head = head;
    this.end = new Promise((resolve) => { this.#settle = resolve; });
  }

  async* items() {
    let finished = false;
    try {
      for (;;) {
        const r = await worker().callAsync({ op: 'next', stream: this.#id });
        for (const item of r.items) yield item;
        if (r.done) {
          finished = true;
          this.#settle({ err: r.err ?? null });
          return;
        }
      }
    } finally {
      if (!finished) {
        // The reader is gone: the producer runs to its end unread.
        worker().send({ op: 'drop', stream: this.#id });
        this.#settle({ dropped: true });
      }
    }
  }
}

// The worker's ids of bridged resources.
const ids = new WeakMap();

// Objects the guest did not drop are closed when collected.
const unreleased = new FinalizationRegistry((request) => worker().send(request));

function request(resource, method, args) {
  const { module, id } = ids.get(resource);
  return { module, op: 'call', id, method, args };
}

// callSync calls a method of a bridged resource's object and returns its
// result.
export function callSync(resource, method, args) {
  return worker().call(request(resource, method, args));
}

// callAsync calls a method of a bridged resource's object and returns a
// promise of its result (a RemoteStream if it answers with a stream).
export function callAsync(resource, method, args) {
  return worker().callAsync(request(resource, method, args));
}

// bridged returns a resource class whose objects live in the worker:
// module is the service's file (next to this one), methods the names of
// the resource's synchronous methods (subclasses add asynchronous ones
// with callAsync). Subclasses add checks to the static open and openAsync,
// then call super's.
export function bridged(module, methods) {
  class Resource {
    constructor(id) {
      ids.set(this, { module, id });
      unreleased.register(this, { module, op: 'close', id }, this);
    }
    static open(...args) {
      return new this(worker().call({ module, op: 'open', args }));
    }
    static async openAsync(...args) {
      return new this(await worker().callAsync({ module, op: 'open', args }));
    }
    [Symbol.dispose]() {
      unreleased.unregister(this);
      worker().send({ module, op: 'close', id: ids.get(this).id });
    }
  }
  for (const method of methods) {
    Resource.prototype[method] = function (...args) {
      return callSync(this, method, args);
    };
  }
  return Resource;
}
