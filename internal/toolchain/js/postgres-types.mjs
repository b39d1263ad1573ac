// The values of spin:postgres/postgres@4.2.0 (and the @3.0.0 subset, and
// fermyon:spin/postgres@2.0.0's rdbms-types) on the Postgres side, for the
// local host's client (postgres-worker.mjs): parameters as text (or
// binary) with their type oids, column text to db-values by type oid, the
// 3.0.0 and 2.0.0 shapes, the error variant, and key=value connection
// strings (which postgres.mjs reads too). The rdbms-types part (its cases,
// the narrowing to them, Spin's cap on a buffered row set) serves
// mysql-worker.mjs too: both 2.0.0 interfaces share those values.
//
// Values are read as text (the session is pinned to DateStyle ISO,
// IntervalStyle postgres, TimeZone UTC, bytea_output hex) and converted to
// the WIT cases by column type as Spin does: timestamp and timestamptz
// become datetime (timestamptz in UTC), and a type without a case becomes
// `unsupported` with its text bytes (Spin gives the binary wire bytes).
// Local-host extras over Spin: "char" maps to the int8 case; numerics of any
// size and NaN pass through. Parameters are sent with their Postgres type
// (int32 as int4, str as text, ...), so the server casts where SQL allows.

const T = {
  bool: 16, bytea: 17, char: 18, int8: 20, int2: 21, int4: 23, text: 25, float4: 700, float8: 701,
  bpchar: 1042, varchar: 1043, date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, interval: 1186,
  numeric: 1700, uuid: 2950, jsonb: 3802, int4range: 3904, numrange: 3906, int8range: 3926,
  _int4: 1007, _text: 1009, _bpchar: 1014, _varchar: 1015, _int8: 1016, _numeric: 1231,
};

// dataType is the db-data-type of a column, as Spin's convert_data_type.
export function dataType(oid, name) {
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

export class HostError extends Error {
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
export function toParam(p) {
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
    // rdbms-types (2.0.0) has these; Spin refuses them.
    case 'uint8': case 'uint16': case 'uint32': case 'uint64': throw conversion('Postgres does not support unsigned integers');
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
export function toValue(oid, s) {
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
export const typeV3 = (t) => (V3_CASES.has(t.tag) ? t.tag : 'other');
export const valueV3 = (v) => (V3_CASES.has(v.tag) ? v : { tag: 'unsupported' });
// The 2.0.0 shapes (rdbms-types) narrow 4.x's as Spin does; its errors
// have the 3.0.0 shape (errorV3). Spin has no int8 column: "char" is this
// host's extra for 3.0.0 and 4.x, and unsupported here as in Spin.
export const typeV2 = (t) => (t.tag === 'int8' ? 'other' : rdbmsDataType(t.tag));
export const valueV2 = (v) => (v.tag === 'int8' ? { tag: 'unsupported' } : rdbmsValue(v));
export function errorV3(p) {
  if (p.tag !== 'query-failed') return p;
  return { tag: 'query-failed', val: p.val.tag === 'text' ? p.val.val : p.val.val.asText };
}

// queryFailed maps a pg error to the WIT error, with the server's fields
// (extras named as Spin names them).
export function queryFailed(e) {
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

// parseKeyValue reads a key=value connection string (null if it is not one).
export function parseKeyValue(s) {
  const out = {};
  let any = false;
  for (const m of s.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) {
    out[m[1]] = m[2].startsWith("'") ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2];
    any = true;
  }
  return any ? out : null;
}


// convertRow converts a row of column texts to db-values; an error names
// the column.
export const convertRow = (fields, row) => row.map((s, i) => {
  try {
    return toValue(fields[i].dataTypeID, s);
  } catch (e) {
    throw e instanceof HostError ? new HostError(e.payload.tag, `column ${fields[i].name}: ${e.payload.val}`) : e;
  }
});

// fermyon:spin/rdbms-types@2.0.0, the values Spin 3's
// fermyon:spin/postgres@2.0.0 (above) and fermyon:spin/mysql@2.0.0
// (mysql-worker.mjs) share.

// Spin's limit on a host-buffered query result (spin_world's
// MAX_HOST_BUFFERED_BYTES), counted approximately.
const maxResultBytes = 128 << 20;

// The cases of db-data-type (db-value has these, db-null and unsupported).
const DATA_TYPES = new Set(['boolean', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
  'floating32', 'floating64', 'str', 'binary']);

// rdbmsDataType narrows a column type's tag to db-data-type: other for a type
// without a case.
const rdbmsDataType = (tag) => (DATA_TYPES.has(tag) ? tag : 'other');

// rdbmsValue narrows a value ({tag, val}) to db-value, as Spin does: a value of
// a type without a case is unsupported (which carries nothing).
const rdbmsValue = (v) => (DATA_TYPES.has(v.tag) || v.tag === 'db-null' ? v : { tag: 'unsupported' });

// valueSize is what a db-value counts against maxResultBytes.
function valueSize(v) {
  if (v.tag === 'str') return 8 + Buffer.byteLength(v.val);
  if (v.tag === 'binary') return 8 + v.val.length;
  return 8;
}

// resultBudget counts the values of one row set: add(v) returns v, or
// throws fail(message) once the set passes maxResultBytes.
export function resultBudget(fail) {
  let bytes = 0;
  return {
    add(v) {
      bytes += valueSize(v);
      if (bytes > maxResultBytes) throw fail(`query result exceeds limit of ${maxResultBytes} bytes`);
      return v;
    },
  };
}
