// Spin's Wagi executor for the spin-go local host: a route whose trigger
// says `executor = { type = "wagi" }` runs a wasi_snapshot_preview1
// command once per request, CGI style: the request is the environment
// (with Wagi's X_* variables), the arguments (the query) and stdin (the
// body); the response is what the program writes to stdout (CGI headers,
// a blank line, the body).
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// wagiModule compiles a Wagi module once; run executes one request.
export async function wagiModule(comp) {
  const module = await WebAssembly.compile(readFileSync(comp.source));
  return { module, comp };
}

// wagiEnv computes the CGI and Wagi variables for a matched request.
export function wagiEnv(req, url, r, base, client, body) {
  const [host, port] = (req.headers.host ?? '').split(':');
  const scriptName = r.wildcard ? r.full : url.pathname;
  const remote = client.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '');
  const env = {
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_SOFTWARE: 'spin-go',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    SERVER_NAME: host || url.hostname,
    SERVER_PORT: port || (url.protocol === 'https:' ? '443' : '80'),
    REQUEST_METHOD: req.method,
    SCRIPT_NAME: scriptName,
    PATH_INFO: url.pathname.slice(scriptName.length),
    PATH_TRANSLATED: url.pathname.slice(scriptName.length),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_ADDR: remote,
    REMOTE_HOST: remote,
    REMOTE_USER: '',
    AUTH_TYPE: '',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: String(body.length),
    X_FULL_URL: url.href,
    X_MATCHED_ROUTE: r.matched,
    X_RAW_COMPONENT_ROUTE: r.route,
    X_COMPONENT_ROUTE: r.prefix,
    X_BASE_PATH: base,
  };
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    if (name === 'authorization' || name === 'connection') continue; // CGI never passes these
    env[`HTTP_${name.toUpperCase().replace(/-/g, '_')}`] = req.rawHeaders[i + 1];
  }
  return env;
}

// wagiArgs are argv: the script name, then the query's parameters, each
// URL-decoded, as Wagi passes them.
export function wagiArgs(url, scriptName) {
  const query = url.search.replace(/^\?/, '');
  const params = query ? query.split('&').map((p) => decodeURIComponent(p.replace(/\+/g, ' '))) : [];
  return [scriptName, ...params];
}

// parseCGI splits a CGI response into status, headers and body.
export function parseCGI(out) {
  let end = out.indexOf('\r\n\r\n');
  let sep = 4;
  const lf = out.indexOf('\n\n');
  if (end < 0 || (lf >= 0 && lf < end)) { end = lf; sep = 2; }
  if (end < 0) throw new Error('the Wagi module wrote no CGI headers (want "Content-Type: ..." and a blank line before the body)');
  const headers = [];
  let status = 200;
  let location = false;
  for (const line of out.subarray(0, end).toString().split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) throw new Error(`the Wagi module wrote a malformed CGI header line ${JSON.stringify(line)}`);
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name.toLowerCase() === 'status') status = parseInt(value, 10);
    else {
      if (name.toLowerCase() === 'location') location = true;
      headers.push(name, value);
    }
  }
  if (location && status === 200 && !/status:/i.test(out.subarray(0, end).toString())) status = 302;
  return { status, headers, body: out.subarray(end + sep) };
}

// runWagi serves one request with a fresh instance of the module.
export async function runWagi(wagi, req, res, url, r, base, client) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = Buffer.concat(chunks);
  const env = { ...Object.fromEntries(Object.entries(wagi.comp.environment ?? {})), ...wagiEnv(req, url, r, base, client, body) };
  const dir = mkdtempSync(join(tmpdir(), 'spin-go-wagi-'));
  try {
    writeFileSync(join(dir, 'stdin'), body);
    const stdin = openSync(join(dir, 'stdin'), 'r');
    const stdout = openSync(join(dir, 'stdout'), 'w');
    let code;
    try {
      // Imported here: node:wasi prints an experimental warning on load.
      const { WASI } = await import('node:wasi');
      const wasi = new WASI({ version: 'preview1', args: wagiArgs(url, env.SCRIPT_NAME), env, stdin, stdout, stderr: 2, returnOnExit: true });
      const instance = await WebAssembly.instantiate(wagi.module, wasi.getImportObject());
      code = wasi.start(instance);
    } finally {
      closeSync(stdin);
      closeSync(stdout);
    }
    const out = readFileSync(join(dir, 'stdout'));
    if (code) throw new Error(`the Wagi module exited with status ${code}`);
    const { status, headers, body: respBody } = parseCGI(out);
    res.writeHead(status, headers);
    res.end(respBody);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
