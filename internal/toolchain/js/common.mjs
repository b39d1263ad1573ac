// Helpers shared by the host's platform interfaces.

const defaultPorts = { http: '80', https: '443', redis: '6379', postgres: '5432', mysql: '3306', mqtt: '1883' };

// allowed reports whether url may be reached under allowed_outbound_hosts
// patterns: scheme://host[:port], with '*' for a scheme, a port, a whole
// host or a leading subdomain wildcard (*.example.com).
export function allowed(patterns, url, selfHost) {
  const u = new URL(url);
  const scheme = u.protocol.replace(/:$/, '');
  const port = u.port || defaultPorts[scheme] || '';
  for (const raw of patterns) {
    if (raw === 'self' || raw === 'http://self') {
      if (u.hostname === 'self' || u.host === selfHost) return true;
      continue;
    }
    const m = /^([a-z0-9+*.-]+):\/\/([^:/]+)(?::([0-9]+|\*))?\/?$/i.exec(raw);
    if (!m) continue;
    const [, ps, ph, pp] = m;
    if (ps !== '*' && ps !== scheme) continue;
    const hostOk = ph === '*' || ph === u.hostname || (ph.startsWith('*.') && u.hostname.endsWith(ph.slice(1)));
    if (!hostOk) continue;
    // Without a port, the pattern means the scheme's default port.
    const wantPort = pp ?? defaultPorts[ps === '*' ? scheme : ps];
    if (wantPort === '*' || wantPort === port) return true;
  }
  return false;
}

// checkOutbound enforces allowed_outbound_hosts for a non-HTTP address
// (redis://, postgres://, mysql://, mqtt://): a denied address is logged
// and thrown as the error case `denied` makes.
export function checkOutbound(comp, address, denied) {
  let ok = false;
  try {
    ok = allowed(comp.allowed_outbound_hosts ?? [], address);
  } catch {
    throw denied(`invalid address ${JSON.stringify(address)}`);
  }
  if (!ok) {
    const u = new URL(address);
    const where = `${u.protocol}//${u.host}`;
    console.error(`spin-go host: ${comp.id}: connection to ${where} denied: not in allowed_outbound_hosts`);
    throw denied(`address ${where} is not permitted: add it to the component's allowed_outbound_hosts`);
  }
}

// wasiError makes an error jco lowers as the `err` case of a result.
export function wasiError(tag, val) {
  const err = new Error(val === undefined ? tag : `${tag}: ${val}`);
  err.payload = val === undefined ? { tag } : { tag, val };
  return err;
}

