// spin:postgres/postgres@4.2.0 (and the @3.0.0 subset) for the spin-go
// local host, on the npm client `pg`.
//
// jco calls a WIT import that is not async synchronously, and pg can only
// wait asynchronously, so every pg.Client lives in a worker thread (this same
// file, started with workerData.spinGoPostgres): async imports (open-async,
// query-async, execute-async, build-async) post a message and await the
// answer; sync imports (open, query, execute, build) post on a second port
// and block on Atomics.wait until the worker answers.
//
// Values are read as text (the session is pinned to DateStyle ISO,
// IntervalStyle postgres, TimeZone UTC, bytea_output hex) and converted to
// the WIT cases by column type as Spin does: timestamp and timestamptz
// become datetime (timestamptz in UTC), and a type without a case becomes
// `unsupported` with its text bytes (Spin gives the binary wire bytes).
// Local-host extras over Spin: "char" maps to the int8 case; numerics of any
// size and NaN pass through. Parameters are sent with their Postgres type
// (int32 as int4, str as text, ...), so the server casts where SQL allows.
import { readFileSync } from 'node:fs';
import { isMainThread, MessageChannel, parentPort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { checkOutbound, wasiError } from './common.mjs';

const SYNC_TIMEOUT_MS = 10 * 60 * 1000;
// This host has no hook for the end of a request, when Spin drops the
// instance's connections: connections idle this long are closed, and beyond
// MAX_IDLE_CONNECTIONS those idle longer than BUSY_GRACE_MS.
const IDLE_CLOSE_MS = 60 * 1000;
const MAX_IDLE_CONNECTIONS = 32;
const BUSY_GRACE_MS = 2000;

// ---------------------------------------------------------------- main thread

let worker = null;

function pgWorker() {
  if (worker) return worker;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(new URL(import.meta.url), { workerData: { spinGoPostgres: true, flag, syncPort: port2 }, transferList: [port2] });
  w.unref();
  const state = { w, syncPort: port1, flag, pending: new Map(), seq: 0 };
  const failAll = (why) => {
    for (const p of state.pending.values()) p.reject({ tag: 'other', val: `postgres worker: ${why}` });
    state.pending.clear();
    if (worker === state) worker = null;
  };
  w.on('message', (m) => {
    const p = state.pending.get(m.id);
    if (!p) return;
    state.pending.delete(m.id);
    if (m.err) p.reject(m.err);
    else p.resolve(m.ok);
  });
  w.on('error', (e) => { console.error('spin-go host: postgres worker failed:', e); failAll(String(e?.message ?? e)); });
  w.on('exit', (code) => failAll(`exited with code ${code}`));
  worker = state;
  return state;
}

function hostError(payload) {
  const val = payload.val;
  const text = typeof val === 'string' ? val : val?.val?.asText ?? val?.val ?? '';
  const err = new Error(`${payload.tag}: ${text}`);
  err.payload = payload;
  return err;
}

function callAsync(msg) {
  const w = pgWorker();
  const id = ++w.seq;
  return new Promise((resolve, reject) => {
    w.pending.set(id, { resolve, reject });
    w.w.postMessage({ ...msg, id });
  }).catch((payload) => { throw hostError(payload); });
}

function callSync(msg) {
  const w = pgWorker();
  Atomics.store(w.flag, 0, 0);
  w.syncPort.postMessage(msg);
  for (;;) {
    const r = Atomics.wait(w.flag, 0, 0, SYNC_TIMEOUT_MS);
    const m = receiveMessageOnPort(w.syncPort);
    if (m) {
      if (m.message.err) throw hostError(m.message.err);
      return m.message.ok;
    }
    if (r === 'timed-out') throw wasiError('other', `postgres worker did not answer ${msg.op} in ${SYNC_TIMEOUT_MS / 1000} s`);
  }
}

// checkAddress enforces allowed_outbound_hosts for a URL or a key=value
// connection string.
function checkAddress(comp, address) {
  let url = address.replace(/^postgresql:\/\//i, 'postgres://');
  if (!/^postgres:\/\//i.test(url)) {
    const kv = parseKeyValue(address);
    if (kv) {
      const host = kv.host ?? 'localhost';
      url = `postgres://${host.includes(':') ? `[${host}]` : host}:${kv.port ?? 5432}`;
    }
  }
  checkOutbound(comp, url, (msg) => wasiError('connection-failed', msg));
}

// importsOnlyV3 reports whether the component imports spin:postgres@3.0.0
// and not 4.x: jco keys imports without versions, so one object serves both
// and the shapes that differ (db-data-type, query-failed, unsupported)
// follow the version the component uses.
function importsOnlyV3(comp) {
  try {
    const bytes = readFileSync(comp.source);
    return bytes.includes('spin:postgres/postgres@3.0.0') && !bytes.includes('spin:postgres/postgres@4.');
  } catch {
    return false;
  }
}

export async function postgres(comp) {
  const { StreamReader } = await import('@bytecodealliance/preview3-shim/stream');
  const { FutureReader } = await import('@bytecodealliance/preview3-shim/future');
  const v3 = importsOnlyV3(comp);
  const finalizer = new FinalizationRegistry((conn) => callAsync({ op: 'close', conn }).catch(() => {}));
  const wrap = (id) => {
    const c = new Connection(id);
    finalizer.register(c, id, c);
    return c;
  };
  class Connection {
    #id;
    constructor(id) { this.#id = id; }
    static open(address) {
      checkAddress(comp, address);
      return wrap(callSync({ op: 'open', address, v3 }));
    }
    static async openAsync(address) {
      checkAddress(comp, address);
      return wrap(await callAsync({ op: 'open', address }));
    }
    query(statement, params) {
      return callSync({ op: 'query', conn: this.#id, text: statement, params, v3 });
    }
    async queryAsync(statement, params) {
      const { columns, stream } = await callAsync({ op: 'queryStream', conn: this.#id, text: statement, params });
      let settle;
      const done = new Promise((resolve) => { settle = resolve; });
      let finished = false;
      async function* rows() {
        try {
          for (;;) {
            const r = await callAsync({ op: 'next', stream });
            for (const row of r.rows) yield row;
            if (r.done) {
              finished = true;
              settle(r.err ? { tag: 'err', val: r.err } : { tag: 'ok' });
              return;
            }
          }
        } finally {
          if (!finished) {
            // The component dropped the stream: let the query finish unread.
            callAsync({ op: 'dropStream', stream }).catch(() => {});
            settle({ tag: 'err', val: { tag: 'other', val: 'the row stream was dropped before its end' } });
          }
        }
      }
      return [columns, new StreamReader(rows()), new FutureReader(done)];
    }
    execute(statement, params) {
      return callSync({ op: 'execute', conn: this.#id, text: statement, params, v3 });
    }
    async executeAsync(statement, params) {
      return callAsync({ op: 'execute', conn: this.#id, text: statement, params });
    }
    [Symbol.dispose]() {
      finalizer.unregister(this);
      callAsync({ op: 'close', conn: this.#id }).catch(() => {});
    }
  }
  class ConnectionBuilder {
    #address;
    #ca;
    constructor(address) { this.#address = address; }
    setCaRoot(certificate) {
      if (!/-----BEGIN CERTIFICATE-----/.test(certificate)) throw wasiError('other', 'set-ca-root: not a PEM-encoded certificate');
      this.#ca = certificate;
    }
    build() {
      checkAddress(comp, this.#address);
      return wrap(callSync({ op: 'open', address: this.#address, ca: this.#ca }));
    }
    async buildAsync() {
      checkAddress(comp, this.#address);
      return wrap(await callAsync({ op: 'open', address: this.#address, ca: this.#ca }));
    }
  }
  return { 'spin:postgres/postgres': { Connection, ConnectionBuilder } };
}

// ---------------------------------------------------- conversions (worker)

const T = {
  bool: 16, bytea: 17, char: 18, int8: 20, int2: 21, int4: 23, text: 25, float4: 700, float8: 701,
  bpchar: 1042, varchar: 1043, date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, interval: 1186,
  numeric: 1700, uuid: 2950, jsonb: 3802, int4range: 3904, numrange: 3906, int8range: 3926,
  _int4: 1007, _text: 1009, _bpchar: 1014, _varchar: 1015, _int8: 1016, _numeric: 1231,
};

// dataType is the db-data-type of a column, as Spin's convert_data_type.
function dataType(oid, name) {
  const tag = {
    [T.bool]: 'boolean', [T.char]: 'int8', [T.int2]: 'int16', [T.int4]: 'int32', [T.int8]: 'int64',
    [T.float4]: 'floating32', [T.float8]: 'floating64', [T.text]: 'str', [T.varchar]: 'str', [T.bpchar]: 'str',
    [T.bytea]: 'binary', [T.date]: 'date', [T.time]: 'time', [T.timestamp]: 'datetime', [T.timestamptz]: 'datetime',
    [T.uuid]: 'uuid', [T.jsonb]: 'jsonb', [T.numeric]: 'decimal', [T.int4range]: 'range-int32',
    [T.int8range]: 'range-int64', [T.numrange]: 'range-decimal', [T._int4]: 'array-int32', [T._int8]: 'array-int64',
    [T._numeric]: 'array-decimal', [T._text]: 'array-str', [T._varchar]: 'array-str', [T._bpchar]: 'array-str',
    [T.interval]: 'interval',
  }[oid];
  return tag ? { tag } : { tag: 'other', val: name };
}

class HostError extends Error {
  constructor(tag, val) {
    super(`${tag}: ${typeof val === 'string' ? val : JSON.stringify(val)}`);
    this.payload = { tag, val };
  }
}
const conversion = (msg) => new HostError('value-conversion-failed', msg);
const badParam = (msg) => new HostError('bad-parameter', msg);

const pad = (n, w = 2) => String(n).padStart(w, '0');
const floorDiv = (a, b) => Math.floor(a / b);

// Days since 1970-01-01 of a proleptic Gregorian date (astronomical years).
function daysFromCivil(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1;
  return era * 146097 + yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy - 719468;
}

function civilFromDays(z) {
  z += 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, doy - floorDiv(153 * mp + 2, 5) + 1];
}

const yearText = (y) => (y <= 0 ? [pad(1 - y, 4), ' BC'] : [pad(y, 4), '']);
const fracText = (ns) => (ns ? `.${pad(ns, 9)}` : '');

function validDate(y, m, d) {
  const [y2, m2, d2] = civilFromDays(daysFromCivil(y, m, d));
  return y2 === y && m2 === m && d2 === d;
}

function dateText([y, m, d]) {
  if (!validDate(y, m, d)) throw badParam(`invalid date ${y}-${m}-${d}`);
  const [yy, bc] = yearText(y);
  return `${yy}-${pad(m)}-${pad(d)}${bc}`;
}

function timeText([h, mi, s, ns]) {
  if (h > 24 || mi > 59 || s > 59 || ns > 999999999 || (h === 24 && (mi || s || ns))) throw badParam(`invalid time ${h}:${mi}:${s}.${ns}`);
  return `${pad(h)}:${pad(mi)}:${pad(s)}${fracText(ns)}`;
}

function datetimeText([y, m, d, h, mi, s, ns]) {
  if (!validDate(y, m, d)) throw badParam(`invalid date ${y}-${m}-${d}`);
  const [yy, bc] = yearText(y);
  return `${yy}-${pad(m)}-${pad(d)} ${timeText([h, mi, s, ns])}${bc}`;
}

function timestampText(secs) {
  const days = secs >= 0n ? secs / 86400n : -((-secs + 86399n) / 86400n);
  const sod = Number(secs - days * 86400n);
  const [y, m, d] = civilFromDays(Number(days));
  const [yy, bc] = yearText(y);
  return `${yy}-${pad(m)}-${pad(d)} ${pad(floorDiv(sod, 3600))}:${pad(floorDiv(sod, 60) % 60)}:${pad(sod % 60)}+00${bc}`;
}

const floatText = (x) => (Object.is(x, -0) ? '-0' : String(x));

function rangeText([lo, hi]) {
  return `${lo?.[1] === 'inclusive' ? '[' : '('}${lo ? lo[0] : ''},${hi ? hi[0] : ''}${hi?.[1] === 'inclusive' ? ']' : ')'}`;
}

function arrayText(elems, quote) {
  return `{${elems.map((e) => (e === undefined || e === null ? 'NULL'
    : quote ? `"${String(e).replace(/[\\"]/g, '\\$&')}"` : String(e))).join(',')}}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// toParam converts a parameter-value to pg's [value, type oid]: text, or a
// Buffer, which pg sends in binary format.
function toParam(p) {
  const v = p.val;
  switch (p.tag) {
    case 'boolean': return [v ? 't' : 'f', T.bool];
    case 'int8': return [Buffer.from([v & 0xff]), T.char];
    case 'int16': return [String(v), T.int2];
    case 'int32': return [String(v), T.int4];
    case 'int64': return [v.toString(), T.int8];
    case 'floating32': return [floatText(v), T.float4];
    case 'floating64': return [floatText(v), T.float8];
    case 'str': return [v, T.text];
    case 'binary': return [Buffer.from(v), T.bytea];
    case 'date': return [dateText(v), T.date];
    case 'time': return [timeText(v), T.time];
    case 'datetime': return [datetimeText(v), T.timestamp];
    case 'timestamp': return [timestampText(v), T.timestamptz];
    case 'uuid': return [v, T.uuid];
    case 'jsonb':
      try {
        return [utf8.decode(v), T.jsonb];
      } catch {
        throw badParam('jsonb parameter is not UTF-8');
      }
    case 'decimal': return [v, T.numeric];
    case 'range-int32': return [rangeText(v), T.int4range];
    case 'range-int64': return [rangeText(v), T.int8range];
    case 'range-decimal': return [rangeText(v), T.numrange];
    case 'array-int32': return [arrayText(v, false), T._int4];
    case 'array-int64': return [arrayText(v, false), T._int8];
    case 'array-decimal': return [arrayText(v, false), T._numeric];
    case 'array-str': return [arrayText(v, true), T._text];
    case 'interval': return [`${v.months} mons ${v.days} days ${v.micros} microseconds`, T.interval];
    case 'db-null': return [null, 0];
    default: throw badParam(`unknown parameter case ${p.tag}`);
  }
}

function parseDate(s) {
  const m = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/.exec(s);
  if (!m) throw conversion(`date ${s} has no WIT form`);
  return [m[4] ? 1 - Number(m[1]) : Number(m[1]), Number(m[2]), Number(m[3])];
}

const nanos = (frac) => (frac ? Number(frac.padEnd(9, '0')) : 0);

function parseTime(s) {
  const m = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(s);
  if (!m) throw conversion(`time ${s} has no WIT form`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), nanos(m[4])];
}

// parseTimestamp reads timestamp, or timestamptz (converted to UTC).
function parseTimestamp(s) {
  const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/.exec(s);
  if (!m) throw conversion(`timestamp ${s} has no WIT form`);
  let y = m[12] ? 1 - Number(m[1]) : Number(m[1]);
  let mo = Number(m[2]);
  let d = Number(m[3]);
  let sod = Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  if (m[8]) {
    const off = Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0);
    sod -= m[8] === '-' ? -off : off;
    const days = daysFromCivil(y, mo, d) + floorDiv(sod, 86400);
    sod -= floorDiv(sod, 86400) * 86400;
    [y, mo, d] = civilFromDays(days);
  }
  return [y, mo, d, floorDiv(sod, 3600), floorDiv(sod, 60) % 60, sod % 60, nanos(m[7])];
}

function parseInterval(s) {
  let months = 0;
  let days = 0;
  let micros = 0n;
  const re = /([+-]?\d+) (year|mon|day)s?|([+-]?)(\d+):(\d\d):(\d\d)(?:\.(\d+))?|(\S+)/g;
  for (const m of s.matchAll(re)) {
    if (m[8] !== undefined) throw conversion(`interval ${s} has no WIT form (IntervalStyle must be postgres)`);
    if (m[2] === 'year') months += 12 * Number(m[1]);
    else if (m[2] === 'mon') months += Number(m[1]);
    else if (m[2] === 'day') days += Number(m[1]);
    else {
      micros = ((BigInt(m[4]) * 60n + BigInt(m[5])) * 60n + BigInt(m[6])) * 1000000n + BigInt((m[7] ?? '').padEnd(6, '0'));
      if (m[3] === '-') micros = -micros;
    }
  }
  return { micros, days, months };
}

// parseArray splits a one-dimensional array literal; undefined is NULL.
function parseArray(s) {
  const body = s.replace(/^\[[^\]]*\](\[[^\]]*\])*=/, '');
  if (body[0] !== '{' || body.at(-1) !== '}') throw conversion(`array ${s} has no WIT form`);
  const out = [];
  const inner = body.slice(1, -1);
  if (inner === '') return out;
  let i = 0;
  for (;;) {
    let elem = '';
    const quoted = inner[i] === '"';
    if (quoted) {
      for (i++; i < inner.length && inner[i] !== '"'; i++) {
        if (inner[i] === '\\') i++;
        elem += inner[i];
      }
      i++;
    } else {
      for (; i < inner.length && inner[i] !== ','; i++) {
        if (inner[i] === '{') throw conversion(`array ${s} has more than one dimension, which has no WIT form`);
        if (inner[i] === '\\') i++;
        elem += inner[i];
      }
    }
    out.push(!quoted && elem.toUpperCase() === 'NULL' ? undefined : elem);
    if (i >= inner.length) return out;
    i++; // the comma
  }
}

function parseRange(s, conv) {
  if (s === 'empty') throw conversion('an empty range has no WIT form');
  const m = /^([[(])"?([^,"]*)"?,"?([^,"]*)"?([\])])$/.exec(s);
  if (!m) throw conversion(`range ${s} has no WIT form`);
  const bound = (v, incl) => (v === '' ? undefined : [conv(v), incl ? 'inclusive' : 'exclusive']);
  return [bound(m[2], m[1] === '['), bound(m[3], m[4] === ']')];
}

function charValue(s) {
  let b = s === '' ? 0 : s.charCodeAt(0);
  if (/^\\[0-3][0-7]{2}$/.test(s)) b = parseInt(s.slice(1), 8);
  return b > 127 ? b - 256 : b;
}

// toValue converts a column's text to a db-value.
function toValue(oid, s) {
  if (s === null || s === undefined) return { tag: 'db-null' };
  const opt = (conv) => (e) => (e === undefined ? undefined : conv(e));
  switch (oid) {
    case T.bool: return { tag: 'boolean', val: s === 't' };
    case T.char: return { tag: 'int8', val: charValue(s) };
    case T.int2: return { tag: 'int16', val: Number(s) };
    case T.int4: return { tag: 'int32', val: Number(s) };
    case T.int8: return { tag: 'int64', val: BigInt(s) };
    case T.float4: return { tag: 'floating32', val: parseFloat(s) };
    case T.float8: return { tag: 'floating64', val: parseFloat(s) };
    case T.text: case T.varchar: case T.bpchar: return { tag: 'str', val: s };
    case T.bytea: return { tag: 'binary', val: new Uint8Array(Buffer.from(s.slice(2), 'hex')) };
    case T.date: return { tag: 'date', val: parseDate(s) };
    case T.time: return { tag: 'time', val: parseTime(s) };
    case T.timestamp: case T.timestamptz: return { tag: 'datetime', val: parseTimestamp(s) };
    case T.uuid: return { tag: 'uuid', val: s };
    case T.jsonb: return { tag: 'jsonb', val: new Uint8Array(Buffer.from(s, 'utf8')) };
    case T.numeric: return { tag: 'decimal', val: s };
    case T.int4range: return { tag: 'range-int32', val: parseRange(s, Number) };
    case T.int8range: return { tag: 'range-int64', val: parseRange(s, BigInt) };
    case T.numrange: return { tag: 'range-decimal', val: parseRange(s, String) };
    case T._int4: return { tag: 'array-int32', val: parseArray(s).map(opt(Number)) };
    case T._int8: return { tag: 'array-int64', val: parseArray(s).map(opt(BigInt)) };
    case T._numeric: return { tag: 'array-decimal', val: parseArray(s) };
    case T._text: case T._varchar: case T._bpchar: return { tag: 'array-str', val: parseArray(s) };
    case T.interval: return { tag: 'interval', val: parseInterval(s) };
    default: return { tag: 'unsupported', val: new Uint8Array(Buffer.from(s, 'utf8')) };
  }
}

// The 3.0.0 shapes: db-data-type is an enum, unsupported carries nothing,
// query-failed carries text.
const V3_CASES = new Set(['boolean', 'int8', 'int16', 'int32', 'int64', 'floating32', 'floating64', 'str', 'binary', 'date', 'time', 'datetime', 'timestamp', 'db-null']);
const typeV3 = (t) => (V3_CASES.has(t.tag) ? t.tag : 'other');
const valueV3 = (v) => (V3_CASES.has(v.tag) ? v : { tag: 'unsupported' });
function errorV3(p) {
  if (p.tag !== 'query-failed') return p;
  return { tag: 'query-failed', val: p.val.tag === 'text' ? p.val.val : p.val.val.asText };
}

// queryFailed maps a pg error to the WIT error, with the server's fields
// (extras named as Spin names them).
function queryFailed(e) {
  if (e instanceof HostError) return e.payload;
  if (!(typeof e?.code === 'string' && e.severity)) return { tag: 'query-failed', val: { tag: 'text', val: String(e?.message ?? e) } };
  const extras = [];
  for (const [key, field] of [['column', 'column'], ['constraint', 'constraint'], ['routine', 'routine'], ['hint', 'hint'],
    ['table', 'table'], ['datatype', 'dataType'], ['schema', 'schema'], ['file', 'file'], ['line', 'line'], ['where_', 'where'],
    ['position', 'position']]) {
    if (e[field] !== undefined) extras.push([key, String(e[field])]);
  }
  let asText = `${e.severity}:  ${e.message}`;
  if (e.detail) asText += `\nDETAIL:  ${e.detail}`;
  if (e.hint) asText += `\nHINT:  ${e.hint}`;
  return {
    tag: 'query-failed',
    val: { tag: 'db-error', val: { asText, severity: e.severity, code: e.code, message: e.message, detail: e.detail ?? undefined, extras } },
  };
}

// ---------------------------------------------------------------- worker

const SESSION_OPTIONS = '-c DateStyle=ISO,MDY -c IntervalStyle=postgres -c TimeZone=UTC -c bytea_output=hex -c extra_float_digits=1';
const STREAM_HIGH = 1024; // rows buffered before the socket pauses
const STREAM_LOW = 256;
const STREAM_BATCH = 256; // rows per answer to `next`

function parseKeyValue(s) {
  const out = {};
  let any = false;
  for (const m of s.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) {
    out[m[1]] = m[2].startsWith("'") ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2];
    any = true;
  }
  return any ? out : null;
}

function startWorker({ flag, syncPort }) {
  let pg;
  const raw = (v) => v;
  const rawTypes = { getTypeParser: () => raw };
  const conns = new Map();
  const streams = new Map();
  const typeNames = new Map(); // per server: oid -> name
  let seq = 0;

  // A Query that reports its columns when they arrive.
  let Q;

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

  async function open({ address, ca }) {
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
    const conn = { id: ++seq, client, streams: new Set(), busy: 0, last: Date.now(), broken: null };
    client.on('error', (e) => { conn.broken = e; });
    client.on('notice', () => {});
    try {
      await client.connect();
    } catch (e) {
      throw new HostError('connection-failed', String(e?.message ?? e));
    }
    conn.key = `${client.host}:${client.port}/${client.database}`;
    if (!typeNames.has(conn.key)) {
      // Type names for the columns' db-data-type `other` case.
      try {
        const res = await client.query({ text: 'SELECT oid, typname FROM pg_type', rowMode: 'array' });
        typeNames.set(conn.key, new Map(res.rows.map(([oid, name]) => [Number(oid), name])));
      } catch (e) {
        client.end().catch(() => {});
        throw new HostError('connection-failed', `reading the server's types: ${e?.message ?? e}`);
      }
    }
    conns.set(conn.id, conn);
    trim();
    return conn.id;
  }

  // trim closes the connections idle longest once there are many: each
  // request's instance opens its own, and this host cannot tell when an
  // instance is done with them (Spin drops them when the request ends).
  function trim() {
    if (conns.size <= MAX_IDLE_CONNECTIONS) return;
    const now = Date.now();
    const idle = [...conns.values()].filter((c) => !c.busy && !c.streams.size && now - c.last > BUSY_GRACE_MS).sort((a, b) => a.last - b.last);
    for (const c of idle.slice(0, conns.size - MAX_IDLE_CONNECTIONS)) close({ conn: c.id });
  }

  function connOf(id) {
    const conn = conns.get(id);
    if (!conn) throw new HostError('other', 'the connection is closed');
    // Another statement queues behind a streamed query: let that one run
    // to its end so that this one is not stuck behind paused rows.
    for (const s of conn.streams) unleash(s);
    conn.last = Date.now();
    return conn;
  }

  function unleash(s) {
    s.unlimited = true;
    if (s.paused) {
      s.paused = false;
      s.conn.client.connection.stream.resume();
    }
  }

  // columnsOf names the result's columns; types unknown to the cache are
  // looked up once the current statement is done.
  async function columnsOf(conn, fields, s) {
    const names = typeNames.get(conn.key);
    const missing = fields.filter((f) => !names.has(f.dataTypeID)).map((f) => f.dataTypeID);
    if (missing.length) {
      if (s) unleash(s);
      try {
        const res = await conn.client.query({ text: 'SELECT oid, typname FROM pg_type WHERE oid = ANY($1::oid[])', values: [`{${missing.join(',')}}`], rowMode: 'array' });
        for (const [oid, name] of res.rows) names.set(Number(oid), name);
      } catch {
        // a failed transaction refuses the lookup; fall back to the oid
      }
    }
    return fields.map((f) => ({ name: f.name, dataType: dataType(f.dataTypeID, names.get(f.dataTypeID) ?? `oid ${f.dataTypeID}`) }));
  }

  // run starts a statement; on.fields, on.row, on.end and on.error follow
  // pg's events.
  function run(conn, text, params, on) {
    if (conn.broken) throw new HostError('query-failed', { tag: 'text', val: `connection lost: ${conn.broken.message}` });
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
    conn.busy++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      conn.busy--;
      conn.last = Date.now();
    };
    q.once('end', settle);
    q.once('error', settle);
    conn.client.query(q);
  }

  const convertRow = (fields, row) => row.map((s, i) => {
    try {
      return toValue(fields[i].dataTypeID, s);
    } catch (e) {
      throw e instanceof HostError ? new HostError(e.payload.tag, `column ${fields[i].name}: ${e.payload.val}`) : e;
    }
  });

  function execute({ conn: id, text, params }) {
    const conn = connOf(id);
    return new Promise((resolve, reject) => {
      run(conn, text, params, {
        fields: () => {},
        row: () => {},
        end: (n) => resolve(BigInt(n)),
        error: (e) => reject(e),
      });
    });
  }

  function query({ conn: id, text, params, v3 }) {
    const conn = connOf(id);
    return new Promise((resolve, reject) => {
      let fields = [];
      const rows = [];
      let failed = null;
      run(conn, text, params, {
        fields: (f) => { fields = f; },
        row: (r) => {
          if (failed) return;
          try {
            rows.push(convertRow(fields, r));
          } catch (e) {
            failed = e;
          }
        },
        end: async () => {
          if (failed) return reject(failed);
          const columns = await columnsOf(conn, fields);
          if (!v3) return resolve({ columns, rows });
          resolve({ columns: columns.map((c) => ({ name: c.name, dataType: typeV3(c.dataType) })), rows: rows.map((r) => r.map(valueV3)) });
        },
        error: reject,
      });
    });
  }

  function queryStream({ conn: id, text, params }) {
    const conn = connOf(id);
    const s = { id: ++seq, conn, buf: [], done: false, err: null, waiter: null, unlimited: false, paused: false, dropped: false };
    const wake = () => { const w = s.waiter; s.waiter = null; w?.(); };
    const forget = () => {
      streams.delete(s.id);
      conn.streams.delete(s);
    };
    const finish = (err) => {
      s.done = true;
      s.err ??= err;
      // The last rows may have come in after the socket paused: the
      // connection goes on with the next statement.
      if (s.paused) {
        s.paused = false;
        conn.client.connection.stream.resume();
      }
      conn.streams.delete(s);
      if (s.dropped) streams.delete(s.id);
      wake();
    };
    return new Promise((resolve, reject) => {
      // The answer (columns and the stream's id) goes out when the columns
      // are known; rows buffer meanwhile. An error before that is the
      // answer; after it, the stream's end.
      let fields = null;
      let answered = false;
      const answer = async (f) => {
        const columns = await columnsOf(conn, f, s);
        answered = true;
        resolve({ columns, stream: s.id });
      };
      streams.set(s.id, s);
      conn.streams.add(s);
      const on = {
        fields: (f) => { fields = f; answer(f); },
        row: (r) => {
          if (s.dropped || s.err) return;
          try {
            s.buf.push(convertRow(fields, r));
          } catch (e) {
            s.err = queryFailed(e);
            return;
          }
          if (!s.unlimited && !s.paused && s.buf.length >= STREAM_HIGH) {
            s.paused = true;
            conn.client.connection.stream.pause();
          }
          wake();
        },
        end: () => {
          finish(null);
          if (!fields) answer([]);
        },
        error: (e) => {
          if (!fields && !answered) {
            forget();
            reject(e);
            return;
          }
          finish(queryFailed(e));
        },
      };
      try {
        run(conn, text, params, on);
      } catch (e) {
        forget();
        reject(e);
      }
    });
  }

  async function next({ stream }) {
    const s = streams.get(stream);
    if (!s) return { rows: [], done: true, err: { tag: 'other', val: 'no such row stream' } };
    while (!s.buf.length && !s.done) await new Promise((r) => { s.waiter = r; });
    const rows = s.buf.splice(0, STREAM_BATCH);
    if (s.paused && !s.done && s.buf.length < STREAM_LOW) {
      s.paused = false;
      s.conn.client.connection.stream.resume();
    }
    const done = s.done && !s.buf.length;
    if (done) streams.delete(stream);
    return { rows, done, err: done ? s.err : null };
  }

  function dropStream({ stream }) {
    const s = streams.get(stream);
    if (!s) return;
    s.dropped = true;
    s.buf = [];
    unleash(s);
    if (s.done) streams.delete(stream);
  }

  function close({ conn: id }) {
    const conn = conns.get(id);
    if (!conn) return;
    conns.delete(id);
    for (const s of conn.streams) dropStream({ stream: s.id });
    conn.client.end().catch(() => {});
  }

  const ops = { open, execute, query, queryStream, next, dropStream, close };
  async function handle(msg) {
    try {
      const op = ops[msg.op];
      if (!op) throw new HostError('other', `unknown operation ${msg.op}`);
      return { ok: await op(msg) };
    } catch (e) {
      if (!(e instanceof HostError) && !(typeof e?.code === 'string' && e.severity)) console.error('spin-go host: postgres:', e);
      const err = queryFailed(e);
      return { err: msg.v3 ? errorV3(err) : err };
    }
  }
  parentPort.on('message', async (msg) => {
    parentPort.postMessage({ id: msg.id, ...(await handle(msg)) });
  });
  syncPort.on('message', async (msg) => {
    syncPort.postMessage(await handle(msg));
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });

  setInterval(() => {
    const now = Date.now();
    for (const conn of conns.values()) {
      if (!conn.busy && !conn.streams.size && now - conn.last > IDLE_CLOSE_MS) close({ conn: conn.id });
    }
  }, IDLE_CLOSE_MS / 4).unref();
}

if (!isMainThread && workerData?.spinGoPostgres) startWorker(workerData);
