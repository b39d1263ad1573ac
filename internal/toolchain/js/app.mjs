// Spin's HTTP trigger for the spin-go local host: serves an application
// described by a JSON config (made from spin.toml by spintest) with Spin's
// routing, spin-* request headers and outbound allow-lists.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { allowed, wasiError } from './common.mjs';
import { SPIN_REUSE, clientAddr, fail, handle03, instancePool, listen02, loadComponent, notePeakMemory } from './host.mjs';
import { mqtt } from './mqtt.mjs';
import { mysql } from './mysql.mjs';
import { postgres } from './postgres.mjs';
import { redis, startRedisTriggers } from './redis.mjs';
import { runWagi, wagiModule } from './wagi.mjs';

// compileRoutes turns spin.toml routes into matchers under the base path.
export function compileRoutes(base, routes) {
  const b = base === '/' ? '' : base.replace(/\/$/, '');
  return routes.map(({ route, component, executor }) => {
    const wildcard = route.endsWith('/...');
    let prefix = wildcard ? route.slice(0, -4) : route;
    if (!wildcard && prefix.length > 1) prefix = prefix.replace(/\/$/, '');
    const full = b + (prefix === '/' && !wildcard ? (b ? '' : '/') : prefix);
    return { route, component, executor, wildcard, prefix, full: full || (wildcard ? '' : '/'), matched: b + route };
  });
}

// match finds the route for a path as Spin does: the longest matching
// prefix wins, and an exact route beats a wildcard with the same prefix.
export function match(compiled, path) {
  let best = null;
  for (const r of compiled) {
    const ok = r.wildcard
      ? path === r.full || path.startsWith(r.full + '/') || r.full === ''
      : path === r.full;
    if (!ok) continue;
    if (!best || r.full.length > best.full.length || (r.full.length === best.full.length && best.wildcard && !r.wildcard)) best = r;
  }
  return best;
}

// spinHeaders computes the headers Spin adds for a matched request.
export function spinHeaders(r, base, url, client) {
  return {
    'spin-full-url': url.href,
    'spin-path-info': r.wildcard ? url.pathname.slice(r.full.length) : '',
    'spin-matched-route': r.matched,
    'spin-raw-component-route': r.route,
    'spin-component-route': r.prefix,
    'spin-base-path': base,
    'spin-client-addr': client,
  };
}

// componentImports are the host interfaces one component gets: its
// environment, and outbound HTTP checked against its allow-list.
async function componentImports(comp, selfHost, appConfig) {
  const p3 = await import('@bytecodealliance/preview3-shim/http');
  const { HttpError } = p3;
  const env = Object.entries(comp.environment ?? {});
  const environment = {
    getEnvironment: () => env,
    getArguments: () => [],
    initialCwd: () => undefined,
    getInitialCwd: () => undefined,
  };
  const client = {
    async send(req) {
      const scheme = req.getScheme()?.tag === 'HTTPS' ? 'https' : 'http';
      const authority = req.getAuthority() ?? '';
      const url = `${scheme}://${authority}${req.getPathWithQuery() ?? '/'}`;
      if (!allowed(comp.allowed_outbound_hosts ?? [], url, selfHost)) {
        console.error(`spin-go host: ${comp.id}: outbound request to ${scheme}://${authority} denied: not in allowed_outbound_hosts`);
        throw new HttpError('HTTP-request-denied');
      }
      if (new URL(url).hostname === 'self') {
        req.setScheme({ tag: 'HTTP' });
        req.setAuthority(selfHost);
      }
      return p3.client.send(req);
    },
  };
  const p2 = await import('@bytecodealliance/preview2-shim/http');
  const outgoingHandler = {
    handle(request, options) {
      const scheme = request.scheme()?.tag === 'HTTPS' ? 'https' : 'http';
      const authority = request.authority() ?? '';
      const url = `${scheme}://${authority}${request.pathWithQuery() ?? '/'}`;
      if (!allowed(comp.allowed_outbound_hosts ?? [], url, selfHost)) {
        console.error(`spin-go host: ${comp.id}: outbound request to ${scheme}://${authority} denied: not in allowed_outbound_hosts`);
        const err = new Error('HTTP-request-denied');
        err.payload = { tag: 'HTTP-request-denied' };
        throw err;
      }
      if (new URL(url).hostname === 'self') {
        request.setScheme({ tag: 'HTTP' });
        request.setAuthority(selfHost);
      }
      return p2.outgoingHandler.handle(request, options);
    },
  };
  const kv = await keyValue(comp, appConfig);
  const vars = variables(comp, appConfig);
  const db = await sqlite(comp, appConfig);
  return {
    'wasi:cli/environment': environment,
    'wasi:http/client': client,
    'wasi:http/outgoing-handler': outgoingHandler,
    'spin:key-value/key-value': kv.v3,
    'fermyon:spin/key-value': kv.v2,
    'spin:variables/variables': vars.v3,
    'fermyon:spin/variables': vars.v2,
    'spin:sqlite/sqlite': db.v3,
    'fermyon:spin/sqlite': db.v2,
    'fermyon:spin/llm': llm(comp),
    ...(await redis(comp)),
    ...(await postgres(comp)),
    ...(await mysql(comp)),
    ...(await mqtt(comp)),
  };
}

// sqlite implements spin:sqlite/sqlite@3.1.0 with node:sqlite: one file per
// label, each host connection its own SQLite connection (so transactions
// are per connection, as in Spin), limited to sqlite_databases.
async function sqlite(comp, appConfig) {
  const { DatabaseSync } = await import('node:sqlite');
  const { StreamReader } = await import('@bytecodealliance/preview3-shim/stream');
  const { FutureReader } = await import('@bytecodealliance/preview3-shim/future');
  const allowedDatabases = comp.sqlite_databases ?? [];
  const toParam = (v) => (v.tag === 'null' ? null : v.val);
  const toValue = (x) => {
    if (x === null || x === undefined) return { tag: 'null' };
    if (typeof x === 'bigint') return { tag: 'integer', val: x };
    if (typeof x === 'number') return Number.isInteger(x) ? { tag: 'integer', val: BigInt(x) } : { tag: 'real', val: x };
    if (typeof x === 'string') return { tag: 'text', val: x };
    return { tag: 'blob', val: new Uint8Array(x) };
  };
  const run = (fn) => {
    try {
      return fn();
    } catch (e) {
      throw wasiError('io', String(e?.message ?? e));
    }
  };
  class Connection {
    #db;
    constructor(db) { this.#db = db; }
    static open(label) {
      if (!allowedDatabases.includes(label)) {
        console.error(`spin-go host: ${comp.id}: SQLite database "${label}" denied: not in sqlite_databases`);
        throw wasiError('access-denied');
      }
      const file = `${appConfig.sqlite_dir}/sqlite_db_${label}.db`;
      return new Connection(run(() => new DatabaseSync(file)));
    }
    static async openAsync(label) { return Connection.open(label); }
    #prepare(statement) {
      const stmt = run(() => this.#db.prepare(statement));
      stmt.setReadBigInts(true);
      stmt.setReturnArrays(true);
      return stmt;
    }
    execute(statement, parameters) {
      const stmt = this.#prepare(statement);
      const params = parameters.map(toParam);
      const columns = stmt.columns().map((c) => c.name);
      if (columns.length === 0) {
        run(() => stmt.run(...params));
        return { columns, rows: [] };
      }
      const rows = run(() => stmt.all(...params)).map((r) => ({ values: r.map(toValue) }));
      return { columns, rows };
    }
    async executeAsync(statement, parameters) {
      const stmt = this.#prepare(statement);
      const params = parameters.map(toParam);
      const columns = stmt.columns().map((c) => c.name);
      if (columns.length === 0) {
        run(() => stmt.run(...params));
        return [columns, new StreamReader([]), new FutureReader(Promise.resolve({ tag: 'ok' }))];
      }
      const iter = run(() => stmt.iterate(...params));
      let failure = null;
      async function* rows() {
        try {
          for (const r of iter) yield { values: r.map(toValue) };
        } catch (e) {
          failure = e;
        }
      }
      let rowsDone;
      const done = new Promise((resolve) => { rowsDone = resolve; });
      const stream = new StreamReader((async function* () {
        yield* rows();
        rowsDone(failure ? { tag: 'err', val: { tag: 'io', val: String(failure.message ?? failure) } } : { tag: 'ok' });
      })());
      return [columns, stream, new FutureReader(done)];
    }
    lastInsertRowid() { return BigInt(this.#db.prepare('SELECT last_insert_rowid() AS id').get().id); }
    async lastInsertRowidAsync() { return this.lastInsertRowid(); }
    changes() { return BigInt(this.#db.prepare('SELECT changes() AS n').get().n); }
    async changesAsync() { return this.changes(); }
  }
  // fermyon:spin/sqlite@2.0.0 has open and execute only, synchronous.
  class Connection2 {
    #c;
    constructor(c) { this.#c = c; }
    static open(label) { return new Connection2(Connection.open(label)); }
    execute(statement, parameters) { return this.#c.execute(statement, parameters); }
  }
  return { v3: { Connection }, v2: { Connection: Connection2 } };
}

// keyValue implements spin:key-value/key-value@3.0.0 (async) and
// fermyon:spin/key-value@2.0.0 (sync) on one SQLite file, as Spin's
// default store does, limited to the component's key_value_stores.
let kvDatabase;
async function keyValue(comp, appConfig) {
  const { DatabaseSync } = await import('node:sqlite');
  const { StreamReader } = await import('@bytecodealliance/preview3-shim/stream');
  const { FutureReader } = await import('@bytecodealliance/preview3-shim/future');
  kvDatabase ??= (() => {
    const db = new DatabaseSync(appConfig.key_value_file);
    db.exec('CREATE TABLE IF NOT EXISTS spin_key_value (store TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (store, key))');
    return db;
  })();
  const db = kvDatabase;
  const allowedStores = comp.key_value_stores ?? [];
  const check = (label) => {
    if (!allowedStores.includes(label)) {
      console.error(`spin-go host: ${comp.id}: key-value store "${label}" denied: not in key_value_stores`);
      throw wasiError('access-denied');
    }
  };
  const ops = {
    get: (label, key) => {
      const row = db.prepare('SELECT value FROM spin_key_value WHERE store = ? AND key = ?').get(label, key);
      return row ? new Uint8Array(row.value) : undefined;
    },
    set: (label, key, value) => {
      db.prepare('INSERT INTO spin_key_value (store, key, value) VALUES (?, ?, ?) ON CONFLICT (store, key) DO UPDATE SET value = excluded.value').run(label, key, value);
    },
    delete: (label, key) => { db.prepare('DELETE FROM spin_key_value WHERE store = ? AND key = ?').run(label, key); },
    exists: (label, key) => !!db.prepare('SELECT 1 FROM spin_key_value WHERE store = ? AND key = ?').get(label, key),
    keys: (label) => db.prepare('SELECT key FROM spin_key_value WHERE store = ? ORDER BY key').all(label).map((r) => r.key),
  };
  class Store {
    #label;
    constructor(label) { this.#label = label; }
    static async open(label) { check(label); return new Store(label); }
    async get(key) { return ops.get(this.#label, key); }
    async set(key, value) { ops.set(this.#label, key, value); }
    async delete(key) { ops.delete(this.#label, key); }
    async exists(key) { return ops.exists(this.#label, key); }
    async getKeys() {
      return [new StreamReader(ops.keys(this.#label)), new FutureReader(Promise.resolve({ tag: 'ok' }))];
    }
  }
  class Store2 {
    #label;
    constructor(label) { this.#label = label; }
    static open(label) { check(label); return new Store2(label); }
    get(key) { return ops.get(this.#label, key); }
    set(key, value) { ops.set(this.#label, key, value); }
    delete(key) { ops.delete(this.#label, key); }
    exists(key) { return ops.exists(this.#label, key); }
    getKeys() { return ops.keys(this.#label); }
  }
  return { v3: { Store }, v2: { Store: Store2 } };
}

// llm is a TEST DOUBLE of fermyon:spin/llm@2.0.0: no model can be
// downloaded here, so answers are deterministic functions of the input.
// It checks the ABI round trip (parameters, usage, embedding shapes), not
// model quality. Models must be in the component's ai_models.
function llm(comp) {
  const check = (model) => {
    if (!(comp.ai_models ?? []).includes(model)) throw wasiError('model-not-supported');
  };
  const words = (s) => s.split(/\s+/).filter(Boolean);
  return {
    infer(model, prompt, params) {
      check(model);
      if (!prompt) throw wasiError('invalid-input', 'empty prompt');
      const p = params ?? { maxTokens: 100, temperature: 0.8, topK: 40, topP: 0.9, repeatPenalty: 1.1, repeatPenaltyLastNTokenCount: 64 };
      const input = words(prompt);
      const out = input.slice(0, p.maxTokens);
      const tag = `[test double ${model} max=${p.maxTokens} temp=${p.temperature.toFixed(2)} top-k=${p.topK} top-p=${p.topP.toFixed(2)} repeat=${p.repeatPenalty.toFixed(2)}/${p.repeatPenaltyLastNTokenCount}]`;
      return { text: `${tag} ${out.join(' ')}`, usage: { promptTokenCount: input.length, generatedTokenCount: out.length } };
    },
    generateEmbeddings(model, texts) {
      check(model);
      const embeddings = texts.map((t) => Float32Array.from({ length: 8 }, (_, i) => (t.length * (i + 1) + (t.charCodeAt(i % Math.max(t.length, 1)) || 0)) / 100));
      return { embeddings, usage: { promptTokenCount: texts.reduce((n, t) => n + words(t).length, 0) } };
    },
  };
}

// variables implements spin:variables/variables@3.0.0: a component's
// variables are templates over the application's [variables].
function variables(comp, appConfig) {
  const resolve = (template) => template.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/g, (_, name) => {
    const v = appConfig.variables?.[name];
    const env = process.env[`SPIN_VARIABLE_${name.toUpperCase()}`];
    if (env !== undefined) return env;
    if (v?.default !== undefined) return v.default;
    throw wasiError('provider', `application variable "${name}" has no value`);
  });
  const get = (name) => {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw wasiError('invalid-name', `"${name}" is not a valid variable name`);
    const template = comp.variables?.[name];
    if (template === undefined) throw wasiError('undefined', `no variable "${name}" in the component's [variables]`);
    return resolve(template);
  };
  return { v3: { get: async (name) => get(name) }, v2: { get } };
}

// start02 serves a WASI 0.2 component on an internal port with the
// preview2 shim's server; the router forwards requests to it with the
// spin-* headers added.
async function start02(comp, component) {
  const net = await import('node:net');
  const port = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  await listen02(component, '127.0.0.1', port);
  return port;
}

// forward proxies a request to a WASI 0.2 component's internal server.
function forward(port, req, res, headers) {
  return new Promise((resolve, reject) => {
    const out = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, ...headers } }, (up) => {
      res.writeHead(up.statusCode, up.rawHeaders);
      up.pipe(res);
      up.on('end', resolve);
      up.on('error', reject);
    });
    out.on('error', reject);
    req.pipe(out);
  });
}

export async function serveApp(configPath) {
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  const [host, port] = config.listen.split(':');
  const selfHost = `${host}:${port}`;
  const base = config.base || '/';
  const routes = compileRoutes(base, config.routes);
  const takers = {};
  const components = {};
  const ports02 = {};
  const wagis = {};
  for (const [id, comp] of Object.entries(config.components)) {
    comp.id = id;
    if (config.routes.some((r) => r.component === id && r.executor === 'wagi')) {
      wagis[id] = await wagiModule(comp);
      continue;
    }
    const component = await loadComponent(comp.source, { extraImports: await componentImports(comp, selfHost, config) });
    components[id] = component;
    if (!config.routes.some((r) => r.component === id)) continue; // not an HTTP component
    if (/export wasi:http\/handler@0\.3/.test(component.wit)) {
      takers[id] = instancePool(component.newInstance, { ...SPIN_REUSE, ...config.instance_reuse });
    } else if (/export wasi:http\/incoming-handler@0\.2/.test(component.wit)) {
      ports02[id] = await start02(comp, component);
    } else {
      throw new Error(`component ${id} (${comp.source}) is used by an HTTP route but exports no wasi:http handler`);
    }
  }
  await startRedisTriggers(config, components);
  const onRequest = async (req, res) => {
    try {
      const scheme = config.tls ? 'https' : 'http';
      const url = new URL(req.url, `${scheme}://${req.headers.host ?? selfHost}`);
      if (url.pathname === '/.well-known/spin/health') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK');
        return;
      }
      if (url.pathname === '/.well-known/spin-go/stats') {
        // Test hook: the peak guest linear memory seen so far.
        let peak = 0;
        for (const c of Object.values(components)) peak = Math.max(peak, notePeakMemory(c));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ peakMemoryBytes: peak }));
        return;
      }
      const r = match(routes, url.pathname);
      if (!r) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Not Found');
        return;
      }
      const headers = spinHeaders(r, base, url, clientAddr(req));
      if (wagis[r.component]) {
        await runWagi(wagis[r.component], req, res, url, r, base, clientAddr(req));
      } else if (ports02[r.component]) {
        await forward(ports02[r.component], req, res, headers);
      } else {
        await handle03(takers[r.component], req, res, url, headers, components[r.component]);
      }
    } catch (err) {
      fail(res, err);
    }
  };
  const server = config.tls
    ? https.createServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) }, onRequest)
    : http.createServer(onRequest);
  await new Promise((resolve) => server.listen(Number(port), host, resolve));
  console.log(`spin-go host: serving ${Object.keys(config.components).length} component(s) on ${config.tls ? 'https' : 'http'}://${selfHost}${base === '/' ? '' : base}`);
}
