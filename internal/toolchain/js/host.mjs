// The spin-go local component host.
//
//   node host.mjs serve  --component C.wasm --listen 127.0.0.1:PORT
//   node host.mjs invoke --component C.wasm --export NAME [--args JSON] [--every MS --count N]
//   node host.mjs app    --config APP.json   (Spin's HTTP trigger, see app.mjs)
//
// It transpiles a component with jco (cached by content hash), instantiates
// it with the WASI preview2 shims (0.2 imports) and preview3 shims (0.3
// imports, needs Node 26 for JSPI), and either serves its wasi:http handler
// over HTTP, one fresh instance per request, or calls a function export
// (custom triggers such as a timer). Other programs (tests) import
// loadComponent to drive exports directly.
import { componentWit, transpile } from '@bytecodealliance/jco';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

function camel(s) {
  return s.replace(/-([a-zA-Z0-9])/g, (_, c) => c.toUpperCase());
}

// The interfaces a component imports, with versions, from its WIT.
function importedInterfaces(wit) {
  const out = [];
  const world = wit.slice(0, wit.indexOf('\n}') + 2);
  for (const m of world.matchAll(/^\s*import ([a-z0-9-]+):([a-z0-9-]+)\/([a-z0-9-]+)(?:@([^;]+))?;/gm)) {
    out.push({ ns: m[1], pkg: m[2], iface: m[3], version: m[4] ?? '', key: `${m[1]}:${m[2]}/${m[3]}` });
  }
  return out;
}

// buildImports maps each imported WASI interface to the shim that
// implements it; extra supplies host-provided interfaces by key
// (`ns:pkg/iface`, unversioned, as jco's instantiate expects).
async function buildImports(wit, extra = {}) {
  const imports = { ...extra };
  for (const imp of importedInterfaces(wit)) {
    if (extra[imp.key]) continue;
    if (imp.ns !== 'wasi') {
      // Types-only interfaces need no implementation; functions of an
      // interface nobody provides fail when called.
      console.error(`spin-go host: no implementation of ${imp.key}${imp.version ? '@' + imp.version : ''}; its functions will fail if called`);
      imports[imp.key] ??= {};
      continue;
    }
    const shim = imp.version.startsWith('0.3') ? 'preview3-shim' : 'preview2-shim';
    const mod = await import(`@bytecodealliance/${shim}/${imp.pkg}`);
    // Interfaces that only define types (wasi:clocks/types) have no shim.
    const ns = mod[camel(imp.iface)] ?? {};
    // jco's instantiate keys imports without versions, so a component that
    // imports an interface at two versions (the preview1 adapter uses WASI
    // 0.2 clocks, Go's timer hook 0.3) gets one object with the functions
    // of both: the names differ (subscribe-duration vs wait-for), and the
    // ones both have (now) mean the same.
    imports[imp.key] = { ...ns, ...(imports[imp.key] ?? {}) };
  }
  if (imports['wasi:cli/exit']) imports['wasi:cli/exit'] = { ...imports['wasi:cli/exit'], ...exitInstance };
  return imports;
}

// ComponentExit is what a component's wasi:cli/exit throws. Spin turns an
// exit into a trap of that instance: the request fails, the server goes on.
// The shims' exit ends the whole Node process instead, so one os.Exit (or
// the Go runtime's exit after a fatal error in a reused instance) would
// take every component and request down with it.
export class ComponentExit extends Error {
  constructor(code) {
    super(code === 'ok' ? 'component exited' : code === 'error' ? 'component exited with an error status' : `component exited with status ${code}`);
    this.code = code;
  }
}

// exit(result) only tells ok from err: Go's os.Exit(3) arrives as err.
const exitInstance = {
  exit(status) { throw new ComponentExit(status?.tag === 'err' ? 'error' : 'ok'); },
  exitWithCode(code) { throw new ComponentExit(code); },
};

// transpiled returns the folder holding jco's output for a component,
// transpiling it on first use.
// TRANSPILE_FORMAT changes when what transpiled() writes changes, so that
// cached output from an older host is not reused.
const TRANSPILE_FORMAT = 'debuglog-once-1';

// jco's generated _debugLog reads process.env.JCO_DEBUG on every call, and
// it is called on every step of every async task: an environment lookup
// each time, about a tenth of a millisecond per request. Read it once.
const JCO_DEBUG_CHECK = 'if (!globalThis?.process?.env?.JCO_DEBUG) { return; }';
function debugLogOnce(js) {
  if (!js.includes(JCO_DEBUG_CHECK)) return js;
  return 'const _jcoDebugOn = !!globalThis?.process?.env?.JCO_DEBUG;\n' + js.replaceAll(JCO_DEBUG_CHECK, 'if (!_jcoDebugOn) { return; }');
}

async function transpiled(bytes) {
  const hash = createHash('sha256').update(TRANSPILE_FORMAT).update(bytes).digest('hex').slice(0, 16);
  const dir = join(process.env.SPIN_GO_TRANSPILE_CACHE || join(tmpdir(), 'spin-go-transpiled'), hash);
  if (existsSync(join(dir, 'component.js'))) return dir;
  const { files } = await transpile(bytes, { name: 'component', instantiation: { tag: 'async' } });
  files['component.js'] = debugLogOnce(Buffer.from(files['component.js']).toString());
  const tmp = `${dir}.tmp-${process.pid}`;
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp, name)), { recursive: true });
    writeFileSync(join(tmp, name), data);
  }
  // jco's output is ES modules that import the shims; resolve them from here.
  writeFileSync(join(tmp, 'package.json'), '{"type":"module"}');
  mkdirSync(dirname(dir), { recursive: true });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another process won the race
  }
  return dir;
}

// loadComponent prepares a component for instantiation. newInstance
// returns a fresh instance each time; core modules are compiled once.
export async function loadComponent(path, { extraImports = {} } = {}) {
  const bytes = readFileSync(path);
  const wit = await componentWit(bytes);
  const dir = await transpiled(bytes);
  const { instantiate } = await import(pathToFileURL(join(dir, 'component.js')).href);
  const imports = await buildImports(wit, extraImports);
  const modules = new Map();
  const getCoreModule = (name) => {
    if (!modules.has(name)) modules.set(name, WebAssembly.compile(readFileSync(join(dir, name))));
    return modules.get(name);
  };
  // Record every core instance's memory so that the host can report the
  // peak size of guest linear memory.
  const memories = [];
  const instantiateCore = async (module, importObject) => {
    const instance = await WebAssembly.instantiate(module, importObject);
    for (const v of Object.values(instance.exports)) {
      if (v instanceof WebAssembly.Memory) memories.push(new WeakRef(v));
    }
    return instance;
  };
  return { wit, newInstance: () => instantiate(getCoreModule, imports, instantiateCore), memories };
}

// peakMemory is the largest linear memory of any live instance so far.
let peakMemoryBytes = 0;
export function notePeakMemory(component) {
  // Instances collected since the last call are forgotten, so that the
  // list (and this loop, run after every request) stays short.
  const { memories } = component;
  let live = 0;
  for (const ref of memories) {
    const m = ref.deref();
    if (!m) continue;
    if (m.buffer.byteLength > peakMemoryBytes) peakMemoryBytes = m.buffer.byteLength;
    memories[live++] = ref;
  }
  memories.length = live;
  return peakMemoryBytes;
}

export function exportOf(instance, prefix) {
  const key = Object.keys(instance).find((k) => k.startsWith(prefix));
  return key ? instance[key] : undefined;
}

// Spin 4 reuses a WASI 0.3 instance for up to 128 requests, at most 16 of
// them at a time, and drops it after one idle second (spin up's
// --max-instance-reuse-count, --max-instance-concurrent-reuse-count and
// --idle-instance-timeout). WASI 0.2 instances serve one request each.
export const SPIN_REUSE = { reuse: 128, concurrent: 16, idleMs: 1000 };

// instancePool hands out instances the way Spin does: take() resolves to a
// lease { instance, release(ok), failed }. An instance serves at most
// `reuse` requests, `concurrent` at once; one that failed (release(false))
// or sat idle for idleMs is dropped. One fresh instance is kept ready so
// that a request does not wait for instantiation.
//
// A failure is a trap (or exit) of the instance, which leaves it unusable:
// `failed` rejects for every other request still in flight on it, as Spin
// fails every task of an instance that trapped. Without that, such a request
// would go on only when its next event re-entered the dead instance.
export function instancePool(newInstance, { reuse = 1, concurrent = 1, idleMs = 1000 } = {}) {
  const open = []; // instances that can take more requests
  let ready = null;
  const fresh = () => {
    const p = ready ?? newInstance();
    ready = newInstance();
    ready.catch(() => {}); // reported when taken
    return p;
  };
  const retire = (slot) => {
    clearTimeout(slot.timer);
    const i = open.indexOf(slot);
    if (i >= 0) open.splice(i, 1);
  };
  return async () => {
    let slot = open.find((s) => s.active < concurrent);
    if (!slot) {
      let kill;
      const failed = new Promise((_, reject) => { kill = reject; });
      failed.catch(() => {}); // rejects with no one waiting once all are done
      slot = { instance: fresh(), uses: 0, active: 0, timer: undefined, failed, kill };
      open.push(slot);
    }
    slot.uses++;
    slot.active++;
    clearTimeout(slot.timer);
    if (slot.uses >= reuse) retire(slot); // serves what it has, then goes
    let instance;
    try {
      instance = await slot.instance;
    } catch (err) {
      retire(slot);
      throw err;
    }
    let released = false;
    return {
      instance,
      failed: slot.failed,
      release(ok, err) {
        if (released) return;
        released = true;
        slot.active--;
        if (!ok) {
          retire(slot);
          slot.kill(new Error(`the instance failed while serving another request: ${err?.message ?? err}`));
        }
        else if (slot.active === 0 && open.includes(slot)) {
          slot.timer = setTimeout(() => retire(slot), idleMs);
          slot.timer.unref?.();
        }
      },
    };
  };
}

// handle03 serves one request with an instance of a WASI 0.3 component
// from take (an instancePool).
export async function handle03(take, req, res, url, extraHeaders, component) {
  const lease = await take();
  const serving = serveWith(lease.instance, req, res, url, extraHeaders);
  serving.catch(() => {}); // given up on if the instance fails elsewhere
  try {
    await Promise.race([serving, lease.failed]);
  } catch (err) {
    // An error code (jco throws it with a payload) is an answer: the
    // instance is fine. A trap or an exit leaves it unusable.
    lease.release(isErrorCode(err), err);
    throw err;
  }
  lease.release(true);
  if (component) notePeakMemory(component);
}

async function serveWith(instance, req, res, url, extraHeaders) {
  const { types, _trailerResultFromEntries, _readTrailersForTransport } = await import('@bytecodealliance/preview3-shim/http');
  const { StreamReader, readableByteStreamFromReader } = await import('@bytecodealliance/preview3-shim/stream');
  const { FutureReader, future } = await import('@bytecodealliance/preview3-shim/future');
  const handler = exportOf(instance, 'wasi:http/handler@0.3') ?? instance.handler;
  const entries = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    if (name === 'connection' || name === 'keep-alive' || name === 'host' || name === 'transfer-encoding' || name.startsWith('spin-')) continue;
    entries.push([name, new TextEncoder().encode(req.rawHeaders[i + 1])]);
  }
  for (const [name, value] of Object.entries(extraHeaders)) entries.push([name, new TextEncoder().encode(value)]);
  const trailers = new Promise((resolve) => req.on('end', () => {
    const t = [];
    for (let i = 0; i < req.rawTrailers.length; i += 2) t.push([req.rawTrailers[i].toLowerCase(), new TextEncoder().encode(req.rawTrailers[i + 1])]);
    resolve(t);
  }));
  const [request] = types.Request.new(types.Fields.fromList(entries), new StreamReader(req), new FutureReader(trailers.then(_trailerResultFromEntries)), null);
  // The variant form keeps an extension method's case (the string form of
  // preview3-shim lower-cases it).
  const standard = req.method.toLowerCase();
  request.setMethod(['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch'].includes(standard) && req.method === req.method.toUpperCase()
    ? { tag: standard } : { tag: 'other', val: req.method });
  request.setPathWithQuery(url.pathname + url.search);
  request.setScheme({ tag: url.protocol === 'https:' ? 'HTTPS' : 'HTTP' });
  request.setAuthority(url.host);
  const response = await handler.handle(request);
  const { rx } = future();
  const [body, responseTrailers] = types.Response.consumeBody(response, rx);
  const headers = [];
  for (const [name, value] of response.getHeaders().copyAll()) headers.push(name, Buffer.from(value));
  res.writeHead(response.getStatusCode(), headers);
  for await (const chunk of readableByteStreamFromReader(body, { name: 'response body' })) res.write(chunk);
  const tail = await _readTrailersForTransport(responseTrailers);
  if (tail?.length) res.addTrailers(tail.map(([n, v]) => [n, Buffer.from(v).toString()]));
  res.end();
}

export function clientAddr(req) {
  const a = req.socket.remoteAddress ?? '';
  return `${a.includes(':') && !a.startsWith('::ffff:') ? `[${a}]` : a.replace(/^::ffff:/, '')}:${req.socket.remotePort}`;
}

// isErrorCode tells a handler's error-code result, which jco throws as an
// error with a payload, from a trap or an exit.
function isErrorCode(err) {
  return err != null && typeof err === 'object' && Object.hasOwn(err, 'payload');
}

// fail answers a request whose component failed: a 500 if nothing was sent
// yet; otherwise the connection is cut, so that the client sees a broken
// response rather than an error message appended to the body.
export function fail(res, err) {
  if (isErrorCode(err)) err = new Error(`the component answered with error code ${JSON.stringify(err.payload)}`);
  console.error('spin-go host: request failed:', err);
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  res.writeHead(500, { 'content-type': 'text/plain' });
  res.end(`component failed: ${err?.message ?? err}\n`);
}

async function serve03(component, host, port, reuse) {
  const take = instancePool(component.newInstance, reuse);
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, `http://${req.headers.host ?? `${host}:${port}`}`);
      if (url.pathname === '/.well-known/spin-go/stats') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ peakMemoryBytes: notePeakMemory(component) }));
        return;
      }
      await handle03(take, req, res, url, { 'spin-full-url': url.href, 'spin-client-addr': clientAddr(req) }, component);
    } catch (err) {
      fail(res, err);
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
}

// listen02 serves a WASI 0.2 component with the preview2 shim's server, one
// instance per request. WASI 0.2 handlers run synchronously, so instances
// are made ahead: a request uses the one made ready for it.
//
// The shim ends the Node process when a handler throws (a trap or an exit)
// or answers with an error code. Spin answers 500 and serves on; so does
// this.
export async function listen02(component, host, port) {
  const { HTTPServer, types } = await import('@bytecodealliance/preview2-shim/http');
  const answered = guardOutparam(types);
  let next = await component.newInstance();
  // If making the next instance fails, the failure is reported, and the
  // instance just used serves the next request too, which tries again.
  const refill = () => component.newInstance().then(
    (i) => { next = i; },
    (err) => console.error('spin-go host: instantiation failed:', err),
  );
  const server = new HTTPServer({
    handle(request, outparam) {
      const instance = next;
      refill();
      const handler = exportOf(instance, 'wasi:http/incoming-handler@0.2') ?? instance.incomingHandler;
      try {
        handler.handle(request, outparam);
      } catch (err) {
        console.error('spin-go host: request failed:', err);
        if (!answered.has(outparam)) answer500(types, outparam, err);
      }
    },
  });
  server.listen(port, host);
}

// guardOutparam makes the shim's ResponseOutparam.set record which requests
// have an answer, and turn an error code into a 500 instead of an exit.
let answered02;
function guardOutparam(types) {
  if (answered02) return answered02;
  answered02 = new WeakSet();
  const set = types.ResponseOutparam.set;
  types.ResponseOutparam.set = (param, response) => {
    if (response.tag === 'err') {
      console.error('spin-go host: the component answered with an error:', response.val);
      answer500(types, param, `error code ${JSON.stringify(response.val)}`);
      return;
    }
    answered02.add(param);
    set.call(types.ResponseOutparam, param, response);
  };
  return answered02;
}

function answer500(types, param, err) {
  const headers = types.Fields.fromList([['content-type', new TextEncoder().encode('text/plain')]]);
  const response = new types.OutgoingResponse(headers);
  response.setStatusCode(500);
  const body = response.body();
  types.ResponseOutparam.set(param, { tag: 'ok', val: response });
  const out = body.write();
  out.blockingWriteAndFlush(new TextEncoder().encode(`component failed: ${err?.message ?? err}\n`));
  out[Symbol.dispose]?.();
  types.OutgoingBody.finish(body, undefined);
}

// reuseFlags reads spin up's instance reuse flags (Spin's defaults when
// absent; --idle-instance-timeout in milliseconds).
function reuseFlags(args) {
  const n = (name, fallback) => {
    const v = Number(flag(args, name, fallback));
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} wants a whole number of at least 1, not ${flag(args, name)}`);
    return v;
  };
  return {
    reuse: n('max-instance-reuse-count', SPIN_REUSE.reuse),
    concurrent: n('max-instance-concurrent-reuse-count', SPIN_REUSE.concurrent),
    idleMs: n('idle-instance-timeout', SPIN_REUSE.idleMs),
  };
}

function flag(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'app') {
    const { serveApp } = await import('./app.mjs');
    await serveApp(flag(args, 'config'));
    return;
  }
  const path = flag(args, 'component');
  if (!path) throw new Error('--component is required');
  const component = await loadComponent(path, { extraImports: await hostImports(args) });
  if (mode === 'serve') {
    const [host, port] = flag(args, 'listen', '127.0.0.1:3000').split(':');
    if (/export wasi:http\/handler@0\.3/.test(component.wit)) {
      await serve03(component, host, Number(port), reuseFlags(args));
    } else if (/export wasi:http\/incoming-handler@0\.2/.test(component.wit)) {
      await listen02(component, host, Number(port));
    } else {
      throw new Error('the component exports no wasi:http handler');
    }
    console.log(`spin-go host: serving ${path} on http://${host}:${port}`);
    return;
  }
  if (mode === 'invoke') {
    const name = camel(flag(args, 'export'));
    const every = Number(flag(args, 'every', '0'));
    const count = Number(flag(args, 'count', '1'));
    const callArgs = JSON.parse(flag(args, 'args', '[]'));
    for (let i = 0; i < count; i++) {
      const instance = await component.newInstance();
      if (typeof instance[name] !== 'function') throw new Error(`the component exports no function ${flag(args, 'export')}`);
      const result = await instance[name](...callArgs);
      console.log(JSON.stringify(result));
      if (every && i + 1 < count) await new Promise((r) => setTimeout(r, every));
    }
    return;
  }
  throw new Error(`unknown mode ${mode}: want serve or invoke`);
}

// hostImports supplies root-level function imports a test asks for with
// --log-import NAME: each logs its arguments as JSON lines.
async function hostImports(args) {
  const out = {};
  const name = flag(args, 'log-import');
  if (name) {
    // jco reads a root-level function import as imports[name].default.
    out[name] = { default: (...a) => console.log(JSON.stringify({ [name]: a })) };
  }
  return out;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  main().catch((err) => {
    console.error(`spin-go host: ${err?.stack ?? err}`);
    process.exit(1);
  });
}
