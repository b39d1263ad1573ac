// The PostgreSQL client of the spin-go local host, a service of the bridge
// (syncbridge.mjs): it runs in the bridge's worker thread, one pg.Client
// per spin:postgres connection resource (see postgres.mjs). Statements run
// whole (query, execute) or with their rows streamed (queryStream, for
// query-async): the socket pauses while the guest does not read them.
// Values are converted in postgres-types.mjs.
import { BridgeStream } from './syncbridge-stream.mjs';
import {
  convertRow, dataType, errorV3, HostError, parseKeyValue, queryFailed, resultBudget, toParam, typeV2, typeV3, valueV2, valueV3,
} from './postgres-types.mjs';

const SESSION_OPTIONS = '-c DateStyle=ISO,MDY -c IntervalStyle=postgres -c TimeZone=UTC -c bytea_output=hex -c extra_float_digits=1';
const STREAM_HIGH = 1024; // rows buffered before the socket pauses
const STREAM_LOW = 256;
const STREAM_BATCH = 256; // rows per answer to the bridge's `next`
// This host has no hook for the end of a request, when Spin drops the
// instance's connections: connections idle this long are closed, and beyond
// MAX_IDLE_CONNECTIONS those idle longer than BUSY_GRACE_MS.
const IDLE_CLOSE_MS = 60 * 1000;
const MAX_IDLE_CONNECTIONS = 32;
const BUSY_GRACE_MS = 2000;

let pg;
// A Query that reports its columns when they arrive.
let Q;
const raw = (v) => v;
const rawTypes = { getTypeParser: () => raw };
const conns = new Set();
const typeNames = new Map(); // per server: oid -> name
let sweeper = null;

function clientConfig(address, ca) {
  const config = { types: rawTypes, connectionTimeoutMillis: 30000 };
  let userOptions = '';
  if (/^postgres(ql)?:\/\//i.test(address)) {
    const u = new URL(address);
    userOptions = u.searchParams.get('options') ?? '';
    u.searchParams.delete('options');
    config.connectionString = u.toString();
  } else {
    const kv = parseKeyValue(address) ?? {};
    Object.assign(config, { host: kv.host, port: kv.port ? Number(kv.port) : undefined, user: kv.user, password: kv.password, database: kv.dbname });
    if (kv.sslmode && kv.sslmode !== 'disable') config.ssl = { rejectUnauthorized: kv.sslmode.startsWith('verify') };
    userOptions = kv.options ?? '';
  }
  if (ca) config.ssl = { ca };
  config.options = `${userOptions} ${SESSION_OPTIONS}`.trim();
  return config;
}

const serverError = (e) => typeof e?.code === 'string' && e.severity;

// errorPayload is the bridge's error for a failure that has no payload.
export function errorPayload(e) {
  if (!serverError(e)) console.error('spin-go host: postgres:', e);
  return queryFailed(e);
}

// bridgeOpen connects to the server at address (the bridge's service entry
// point); ca is a PEM root certificate (from the connection builder), and
// version (2, 3 or 4) the interface whose shapes of values and errors to
// answer in: fermyon:spin/postgres@2.0.0, spin:postgres@3.0.0 or 4.x.
export async function bridgeOpen(address, ca, version) {
  pg ??= (await import('pg')).default;
  Q ??= class extends pg.Query {
    handleRowDescription(msg) {
      super.handleRowDescription(msg);
      this.emit('fields', msg.fields);
    }
  };
  let config;
  try {
    config = clientConfig(address, ca);
  } catch (e) {
    throw new HostError('connection-failed', `invalid address: ${e.message}`);
  }
  const client = new pg.Client(config);
  const conn = new Connection(client, version);
  client.on('notice', () => {});
  try {
    await client.connect();
  } catch (e) {
    throw new HostError('connection-failed', String(e?.message ?? e));
  }
  const key = `${client.host}:${client.port}/${client.database}`;
  if (!typeNames.has(key)) {
    // Type names for the columns' db-data-type `other` case.
    try {
      const res = await client.query({ text: 'SELECT oid, typname FROM pg_type', rowMode: 'array' });
      typeNames.set(key, new Map(res.rows.map(([oid, name]) => [Number(oid), name])));
    } catch (e) {
      client.end().catch(() => {});
      throw new HostError('connection-failed', `reading the server's types: ${e?.message ?? e}`);
    }
  }
  conns.add(conn);
  trim();
  sweeper ??= setInterval(() => {
    for (const c of conns) if (c.idleFor() > IDLE_CLOSE_MS) c.close();
  }, IDLE_CLOSE_MS / 4).unref();
  return conn;
}

// trim closes the connections idle longest once there are many: each
// request's instance opens its own, and this host cannot tell when an
// instance is done with them (Spin drops them when the request ends).
function trim() {
  if (conns.size <= MAX_IDLE_CONNECTIONS) return;
  const idle = [...conns].filter((c) => c.idleFor() > BUSY_GRACE_MS).sort((a, b) => b.idleFor() - a.idleFor());
  for (const c of idle.slice(0, conns.size - MAX_IDLE_CONNECTIONS)) c.close();
}

// Connection is one pg.Client; its methods are the bridge's.
class Connection {
  #client;
  #version;
  #streams = new Set(); // streamed queries still running
  #busy = 0;
  #last = Date.now();
  #broken = null;
  #closed = false;

  constructor(client, version) {
    this.#client = client;
    this.#version = version ?? 4;
    client.on('error', (e) => { this.#broken = e; });
  }

  // idleFor is how long the connection has been idle, or -1 if it is in use.
  idleFor() {
    return this.#busy || this.#streams.size ? -1 : Date.now() - this.#last;
  }

  #socket() { return this.#client.connection.stream; }

  // #names are the server's type names by oid.
  #names() {
    const c = this.#client;
    return typeNames.get(`${c.host}:${c.port}/${c.database}`);
  }

  // #live readies the connection for a statement.
  #live() {
    if (this.#closed) throw new HostError('other', 'the connection is closed');
    // Another statement queues behind a streamed query: let that one run
    // to its end so that this one is not stuck behind paused rows.
    for (const s of this.#streams) s.unlimit();
    this.#last = Date.now();
  }

  // #fail is the error of a failed statement, in the shapes the component
  // asked for.
  #fail(e) {
    if (!(e instanceof HostError) && !serverError(e)) console.error('spin-go host: postgres:', e);
    const p = queryFailed(e);
    const { tag, val } = this.#version < 4 ? errorV3(p) : p;
    return new HostError(tag, val);
  }

  // #columns names the result's columns; types unknown to the cache are
  // looked up once the current statement is done (s: its stream, if any).
  async #columns(fields, s) {
    const names = this.#names();
    const missing = fields.filter((f) => !names.has(f.dataTypeID)).map((f) => f.dataTypeID);
    if (missing.length) {
      s?.unlimit();
      try {
        const res = await this.#client.query({ text: 'SELECT oid, typname FROM pg_type WHERE oid = ANY($1::oid[])', values: [`{${missing.join(',')}}`], rowMode: 'array' });
        for (const [oid, name] of res.rows) names.set(Number(oid), name);
      } catch {
        // a failed transaction refuses the lookup; fall back to the oid
      }
    }
    return fields.map((f) => ({ name: f.name, dataType: dataType(f.dataTypeID, names.get(f.dataTypeID) ?? `oid ${f.dataTypeID}`) }));
  }

  // #run starts a statement; on.fields, on.row, on.end and on.error follow
  // pg's events.
  #run(text, params, on) {
    if (this.#broken) throw new HostError('query-failed', { tag: 'text', val: `connection lost: ${this.#broken.message}` });
    const values = [];
    const types = [];
    for (const p of params) {
      const [v, oid] = toParam(p);
      values.push(v);
      types.push(oid);
    }
    // pg reads `types` both as the Parse message's parameter types and as
    // the result's type parsers (every value stays text).
    types.getTypeParser = rawTypes.getTypeParser;
    const q = new Q({ text, values, types, rowMode: 'array', queryMode: 'extended' });
    q.on('fields', on.fields);
    q.on('row', on.row);
    q.on('error', on.error);
    q.on('end', (res) => on.end(Number((Array.isArray(res) ? res.at(-1) : res)?.rowCount ?? 0)));
    this.#busy++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      this.#busy--;
      this.#last = Date.now();
    };
    q.once('end', settle);
    q.once('error', settle);
    this.#client.query(q);
  }

  async execute(text, params) {
    try {
      this.#live();
      return await new Promise((resolve, reject) => {
        this.#run(text, params, { fields: () => {}, row: () => {}, end: (n) => resolve(BigInt(n)), error: reject });
      });
    } catch (e) {
      throw this.#fail(e);
    }
  }

  // query runs a statement and answers with all its rows.
  async query(text, params) {
    try {
      this.#live();
      const { fields, rows } = await new Promise((resolve, reject) => {
        let fields = [];
        const rows = [];
        let failed = null;
        this.#run(text, params, {
          fields: (f) => { fields = f; },
          row: (r) => {
            if (failed) return;
            try {
              rows.push(convertRow(fields, r));
            } catch (e) {
              failed = e;
            }
          },
          end: () => (failed ? reject(failed) : resolve({ fields, rows })),
          error: reject,
        });
      });
      const columns = await this.#columns(fields);
      if (this.#version === 4) return { columns, rows };
      if (this.#version === 3) return { columns: columns.map((c) => ({ name: c.name, dataType: typeV3(c.dataType) })), rows: rows.map((r) => r.map(valueV3)) };
      // 2.0.0: rdbms-types, and Spin's cap on the whole row set.
      const budget = resultBudget((msg) => new HostError('other', msg));
      return { columns: columns.map((c) => ({ name: c.name, dataType: typeV2(c.dataType) })), rows: rows.map((r) => r.map((v) => budget.add(valueV2(v)))) };
    } catch (e) {
      throw this.#fail(e);
    }
  }

  // queryStream runs a statement and answers with a stream of its rows,
  // headed by the columns, once they are known; rows buffer meanwhile. An
  // error before that is the answer; after it, the stream's end.
  async queryStream(text, params) {
    try {
      this.#live();
      const socket = () => this.#socket();
      const s = new BridgeStream(undefined, {
        high: STREAM_HIGH, low: STREAM_LOW, batch: STREAM_BATCH,
        pause: () => socket().pause(), resume: () => socket().resume(),
      });
      const finish = (err) => {
        s.end(err);
        this.#streams.delete(s);
      };
      return await new Promise((resolve, reject) => {
        let fields = null;
        let answered = false;
        const answer = async (f) => {
          s.head = await this.#columns(f, s);
          answered = true;
          resolve(s);
        };
        this.#streams.add(s);
        const on = {
          fields: (f) => { fields = f; answer(f); },
          row: (r) => {
            if (!s.wanted) return;
            try {
              s.push(convertRow(fields, r));
            } catch (e) {
              s.fail(queryFailed(e));
            }
          },
          end: () => {
            finish(null);
            if (!fields) answer([]);
          },
          error: (e) => {
            if (!fields && !answered) {
              this.#streams.delete(s);
              reject(e);
              return;
            }
            finish(queryFailed(e));
          },
        };
        try {
          this.#run(text, params, on);
        } catch (e) {
          this.#streams.delete(s);
          reject(e);
        }
      });
    } catch (e) {
      throw this.#fail(e);
    }
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    conns.delete(this);
    for (const s of this.#streams) s.drop();
    this.#client.end().catch(() => {});
  }
}
