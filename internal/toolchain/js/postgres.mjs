// spin:postgres/postgres@4.2.0 (and the @3.0.0 subset), and Spin 3's
// fermyon:spin/postgres@2.0.0 (synchronous, rdbms-types values), for the
// spin-go local host, on the npm client `pg`.
//
// jco calls a WIT import that is not async synchronously, and pg can only
// wait asynchronously, so every pg.Client lives in the bridge's worker
// thread (syncbridge.mjs), in the service postgres-worker.mjs: the sync
// imports (open, query, execute, build) block until the worker answers,
// the async ones (open-async, query-async, execute-async, build-async)
// await its answer, and query-async's rows stream from the worker as the
// guest reads them. Values are converted as postgres-types.mjs says (and
// for 2.0.0 narrowed to rdbms-types).
//
// Connections are closed when the guest drops them, when they are garbage
// collected, and when they have been idle for a while (see
// postgres-worker.mjs).
import { readFileSync } from 'node:fs';
import { checkOutbound, wasiError } from './common.mjs';
import { parseKeyValue } from './postgres-types.mjs';
import { bridged, callAsync } from './syncbridge.mjs';

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
  const version = importsOnlyV3(comp) ? 3 : 4;
  class Connection extends bridged('postgres-worker.mjs', ['query', 'execute']) {
    // open and openAsync take the address, and from the builder a root
    // certificate.
    static open(address, ca) {
      checkAddress(comp, address);
      return super.open(address, ca, version);
    }
    static async openAsync(address, ca) {
      checkAddress(comp, address);
      return super.openAsync(address, ca, version);
    }
    async queryAsync(statement, params) {
      const rows = await callAsync(this, 'queryStream', [statement, params]);
      const done = rows.end.then((end) => {
        if (end.dropped) return { tag: 'err', val: { tag: 'other', val: 'the row stream was dropped before its end' } };
        return end.err ? { tag: 'err', val: end.err } : { tag: 'ok' };
      });
      return [rows.head, new StreamReader(rows.items()), new FutureReader(done)];
    }
    async executeAsync(statement, params) {
      return callAsync(this, 'execute', [statement, params]);
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
      return Connection.open(this.#address, this.#ca);
    }
    async buildAsync() {
      return Connection.openAsync(this.#address, this.#ca);
    }
  }
  // fermyon:spin/postgres@2.0.0 (Spin 3): open, query and execute, all
  // synchronous.
  class Connection2 extends bridged('postgres-worker.mjs', ['query', 'execute']) {
    static open(address) {
      checkAddress(comp, address);
      return super.open(address, undefined, 2);
    }
  }
  return {
    'spin:postgres/postgres': { Connection, ConnectionBuilder },
    'fermyon:spin/postgres': { Connection: Connection2 },
  };
}
