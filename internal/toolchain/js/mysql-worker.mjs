// The MySQL client of the spin-go local host, a service of the synchronous
// bridge (syncbridge.mjs): it runs in the bridge's worker thread, one
// mysql2 connection per fermyon:spin/mysql connection resource (see
// mysql.mjs).
import mysql from 'mysql2/promise';
import { resultBudget } from './postgres-types.mjs';

class DbError extends Error {
  constructor(tag, val) {
    super(val);
    this.tag = tag;
  }

  // The error the bridge gives the guest.
  get payload() { return { tag: this.tag, val: this.message }; }
}

// options parses a mysql:// URL as Spin does: user, password, host, port
// (3306), database; ssl-mode/sslmode other than DISABLED turns TLS on.
// Other query parameters are ignored.
function options(address) {
  let u;
  try {
    u = new URL(address);
  } catch {
    throw new DbError('connection-failed', `invalid address ${JSON.stringify(address)}`);
  }
  if (u.protocol !== 'mysql:') throw new DbError('connection-failed', `address ${u.protocol}//${u.host} is not a mysql:// URL`);
  let ssl;
  for (const [k, v] of u.searchParams) {
    if (['ssl-mode', 'sslmode'].includes(k.toLowerCase()) && v.toLowerCase() !== 'disabled') ssl = { rejectUnauthorized: true };
  }
  return {
    host: decodeURIComponent(u.hostname.replace(/^\[(.*)\]$/, '$1')),
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    ssl,
    connectTimeout: 10000,
    // Exact 64-bit integers (as strings, made BigInts below), raw text for
    // dates, times and JSON (which the interface cannot carry anyway).
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    jsonStrings: true,
    rowsAsArray: true,
  };
}

// Parameters are bound with the MySQL types mysql_async (Spin's client)
// uses: every integer as a signed or unsigned BIGINT, f32 as FLOAT, f64
// as DOUBLE, text as VAR_STRING; bytes go as BLOB so that MariaDB does not
// convert them between character sets.
function param(p) {
  const T = mysql.TypedParameter;
  switch (p.tag) {
    case 'boolean': return T.LONGLONG(p.val ? 1n : 0n);
    case 'int8': case 'int16': case 'int32': case 'int64': return T.LONGLONG(BigInt(p.val));
    case 'uint8': case 'uint16': case 'uint32': case 'uint64': return T.LONGLONG.unsigned(BigInt(p.val));
    case 'floating32': return T.FLOAT(p.val);
    case 'floating64': return T.DOUBLE(p.val);
    case 'str': return T.VAR_STRING(p.val);
    case 'binary': return T.BLOB(Buffer.from(p.val));
    case 'db-null': return null;
  }
  throw new DbError('bad-parameter', `unknown parameter type ${p.tag}`);
}

const UNSIGNED = 32;
const BINARY = 128;
const typeNames = Object.fromEntries(Object.entries(mysql.Types).map(([k, v]) => [v, k]));

// dataType maps a result column to db-data-type as Spin's outbound MySQL
// does (flags and protocol types as mysql_async sees them): integers by
// width and UNSIGNED (TINYINT(1), i.e. BOOL, is int8; MEDIUMINT is
// int32), FLOAT/DOUBLE, CHAR/VARCHAR/TEXT/ENUM/SET as str unless they
// carry the BINARY flag (binary collations too), BINARY/VARBINARY/BLOB as
// binary. DECIMAL, dates and times, YEAR, BIT, JSON, geometry are other.
function dataType(f) {
  const unsigned = (f.flags & UNSIGNED) !== 0;
  const binary = (f.flags & BINARY) !== 0;
  switch (f.columnType) {
    case 1: return unsigned ? 'uint8' : 'int8'; // TINY
    case 2: return unsigned ? 'uint16' : 'int16'; // SHORT
    case 3: case 9: return unsigned ? 'uint32' : 'int32'; // LONG, INT24
    case 8: return unsigned ? 'uint64' : 'int64'; // LONGLONG
    case 4: return 'floating32'; // FLOAT
    case 5: return 'floating64'; // DOUBLE
    case 252: case 253: case 254: return binary ? 'binary' : 'str'; // BLOB, VAR_STRING, STRING
    case 250: case 251: return 'binary'; // MEDIUM_BLOB, LONG_BLOB
    default: return 'other';
  }
}

function value(v, col, field) {
  if (v === null || v === undefined) return { tag: 'db-null' };
  switch (col.dataType) {
    case 'int8': case 'int16': case 'int32': case 'uint8': case 'uint16': case 'uint32':
      return { tag: col.dataType, val: Number(v) };
    case 'int64': case 'uint64':
      return { tag: col.dataType, val: BigInt(v) };
    case 'floating32': case 'floating64':
      return { tag: col.dataType, val: Number(v) };
    case 'str':
      return { tag: 'str', val: typeof v === 'string' ? v : Buffer.from(v).toString('utf8') };
    case 'binary':
      // A copy, so that only these bytes (not mysql2's packet buffer)
      // cross to the main thread.
      return { tag: 'binary', val: typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'utf8')) : new Uint8Array(v) };
  }
  // As Spin: a value of a type the interface has no case for fails the
  // query (NULLs of such columns are fine).
  throw new DbError('value-conversion-failed',
    `cannot convert the value in column "${col.name}" (MySQL type ${typeNames[field.columnType] ?? field.columnType}): fermyon:spin/mysql@2.0.0 has no type for it; CAST it to CHAR or a number in the query`);
}

// serverError turns a mysql2 failure into the error variant: the server's
// own message with its code, or the client's failure.
function serverError(e, fallback) {
  if (e instanceof DbError) return e;
  if (e?.sqlMessage) return new DbError(fallback, `${e.sqlMessage} (${e.code} ${e.errno}, SQLSTATE ${e.sqlState})`);
  if (e?.fatal || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'PROTOCOL_CONNECTION_LOST'].includes(e?.code)) {
    return new DbError('connection-failed', `${e.message || e.code}${e.code ? ` (${e.code})` : ''}`);
  }
  if (e instanceof TypeError || e instanceof RangeError) return new DbError('bad-parameter', e.message);
  return new DbError(fallback, String(e?.message ?? e));
}

// errorPayload is the bridge's error for a failure that is not a DbError.
export function errorPayload(e) {
  return serverError(e, 'other').payload;
}

// bridgeOpen connects to the server at address (the bridge's service
// entry point).
export async function bridgeOpen(address) {
  let c;
  try {
    c = await mysql.createConnection(options(address));
  } catch (e) {
    const err = serverError(e, 'connection-failed');
    throw new DbError('connection-failed', err.message);
  }
  return new Connection(c);
}

class Connection {
  #conn;
  #broken = null;
  constructor(c) {
    this.#conn = c;
    c.on('error', (e) => { this.#broken = e?.message ?? String(e); });
  }
  #live() {
    if (this.#broken) throw new DbError('connection-failed', `the connection to the server was lost: ${this.#broken}`);
    return this.#conn;
  }
  async query(statement, params) {
    const c = this.#live();
    let rows, fields;
    try {
      [rows, fields] = await c.execute(statement, params.map(param));
    } catch (e) {
      throw serverError(e, 'query-failed');
    }
    if (!Array.isArray(rows)) return { columns: [], rows: [] }; // a statement without a result set
    fields ??= [];
    const columns = fields.map((f) => ({ name: f.name, dataType: dataType(f) }));
    const budget = resultBudget((msg) => new DbError('other', msg));
    const out = rows.map((r) => r.map((v, i) => budget.add(value(v, columns[i], fields[i]))));
    return { columns, rows: out };
  }
  async execute(statement, params) {
    const c = this.#live();
    try {
      await c.execute(statement, params.map(param));
    } catch (e) {
      throw serverError(e, 'query-failed');
    }
  }
  async close() {
    await this.#conn.end().catch(() => this.#conn.destroy());
  }
}
