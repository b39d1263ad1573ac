// A stream a service of the bridge (syncbridge.mjs) answers a call with,
// in the worker thread: the producer pushes items and ends the stream; the
// bridge reads them in batches for the main thread, as the guest reads.
//
// Backpressure: once `high` items wait, pause() stops the producer (e.g. a
// socket); resume() restarts it when the reader has taken them below `low`,
// or when the stream ends. unlimit() lifts the limit for good (the producer
// must run to its end, e.g. because another statement queues behind it).
export class BridgeStream {
  #buf = [];
  #done = false;
  #err = null;
  #waiter = null;
  #paused = false;
  #unlimited = false;
  #opts;
  dropped = false;

  // head is the answer that goes with the stream (e.g. its columns).
  constructor(head, { high = 1024, low = 256, batch = 256, pause = () => {}, resume = () => {} } = {}) {
    this.head = head;
    this.#opts = { high, low, batch, pause, resume };
  }

  // wanted reports whether an item pushed now would be kept (the stream
  // has neither failed nor been dropped).
  get wanted() { return !this.dropped && !this.#err; }

  // forget is called once the stream is both dropped and ended: the
  // bridge sets it to let go of the stream.
  forget = () => {};

  #wake() {
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }

  #resume() {
    if (!this.#paused) return;
    this.#paused = false;
    this.#opts.resume();
  }

  // push adds an item, unless the stream failed or was dropped.
  push(item) {
    if (!this.wanted) return;
    this.#buf.push(item);
    if (!this.#unlimited && !this.#paused && this.#buf.length >= this.#opts.high) {
      this.#paused = true;
      this.#opts.pause();
    }
    this.#wake();
  }

  // fail ends the items with an error payload: later items are ignored,
  // and the reader gets the error after those before it, once the producer
  // ends.
  fail(payload) {
    this.#err ??= payload;
  }

  // end is the producer's end, with the error payload it ended with if
  // any (a payload given to fail first wins).
  end(payload = null) {
    this.#done = true;
    this.#err ??= payload;
    this.#resume(); // the last items may have come in after the pause
    this.#wake();
    if (this.dropped) this.forget();
  }

  unlimit() {
    this.#unlimited = true;
    this.#resume();
  }

  // drop is the reader's end: what is buffered is thrown away, and the
  // producer runs on without a limit.
  drop() {
    this.dropped = true;
    this.#buf = [];
    this.unlimit();
    if (this.#done) this.forget();
  }

  // read waits for items and takes up to a batch of them: {items, done,
  // err}, err being the stream's error payload (or null) once done.
  async read() {
    while (!this.#buf.length && !this.#done) await new Promise((r) => { this.#waiter = r; });
    const items = this.#buf.splice(0, this.#opts.batch);
    if (!this.#done && this.#buf.length < this.#opts.low) this.#resume();
    const done = this.#done && !this.#buf.length;
    return { items, done, err: done ? this.#err : null };
  }
}
