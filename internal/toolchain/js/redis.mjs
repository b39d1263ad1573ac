// Redis for the spin-go local host: outbound spin:redis/redis@3.0.0 and
// fermyon:spin/redis@2.0.0, and Spin's Redis trigger, all on a real server
// through the npm `redis` client.
import { checkOutbound, wasiError } from './common.mjs';
import { bridged } from './syncbridge.mjs';

async function client(url, options = {}) {
  const { createClient, RESP_TYPES } = await import('redis');
  // Bulk replies as bytes, integers as decimal text (exact beyond 2^53).
  return createClient({ url, ...options }).withTypeMapping({
    [RESP_TYPES.BLOB_STRING]: Buffer,
    [RESP_TYPES.NUMBER]: String,
  });
}

// redisError maps a failure to the spin:redis error variant.
function redisError(e) {
  const msg = String(e?.message ?? e);
  if (/^WRONGTYPE/.test(msg)) return wasiError('type-error');
  return wasiError('other', msg);
}

// results flattens a reply into redis-result values, as Spin does for
// array replies.
function results(reply, out = []) {
  if (reply === null || reply === undefined) out.push({ tag: 'nil' });
  else if (Array.isArray(reply)) for (const r of reply) results(r, out);
  else if (Buffer.isBuffer(reply)) out.push({ tag: 'binary', val: new Uint8Array(reply) });
  else if (typeof reply === 'string' && /^-?[0-9]+$/.test(reply) && reply.length < 21) out.push({ tag: 'int64', val: BigInt(reply) });
  else if (typeof reply === 'number' || typeof reply === 'bigint') out.push({ tag: 'int64', val: BigInt(reply) });
  else out.push({ tag: 'status', val: String(reply) });
  return out;
}

// RedisConnection is one connection resource, as both versions of the
// interface have it: one client with no offline queue and no
// reconnection, so that while the server is down commands fail at once
// (nothing hangs), and the guest opens a new connection when it is back.
// Its methods take and return the interface's values.
class RedisConnection {
  #c;
  constructor(c) { this.#c = c; }
  static async open(address) {
    let c;
    try {
      c = await client(address, { disableOfflineQueue: true, socket: { connectTimeout: 2000, reconnectStrategy: false } });
      c.on('error', () => {}); // failures surface as command errors
      await c.connect();
    } catch (e) {
      c?.destroy?.();
      throw wasiError('other', `connecting to ${address}: ${e?.message ?? e}`);
    }
    return new this(c);
  }
  async #run(args) {
    try {
      return await this.#c.sendCommand(args);
    } catch (e) {
      throw redisError(e);
    }
  }
  async publish(channel, payload) { await this.#run(['PUBLISH', channel, Buffer.from(payload)]); }
  async get(key) {
    const v = await this.#run(['GET', key]);
    return v === null ? undefined : new Uint8Array(v);
  }
  async set(key, value) { await this.#run(['SET', key, Buffer.from(value)]); }
  async incr(key) { return BigInt(await this.#run(['INCR', key])); }
  async del(keys) { return Number(await this.#run(['DEL', ...keys])); }
  async sadd(key, values) { return Number(await this.#run(['SADD', key, ...values])); }
  async smembers(key) { return (await this.#run(['SMEMBERS', key])).map((b) => b.toString()); }
  async srem(key, values) { return Number(await this.#run(['SREM', key, ...values])); }
  async execute(command, args) {
    const wire = args.map((a) => (a.tag === 'int64' ? a.val.toString() : Buffer.from(a.val)));
    return results(await this.#run([command, ...wire]));
  }
  close() { this.#c.destroy(); }
  [Symbol.dispose]() { this.close(); }
}

// fermyon:spin/redis@2.0.0's connections live in the synchronous bridge's
// worker (syncbridge.mjs), which opens them with bridgeOpen.
export const bridgeOpen = (address) => RedisConnection.open(address);

// redis implements spin:redis/redis@3.0.0 (async, on this thread) and
// fermyon:spin/redis@2.0.0 (synchronous, through the bridge).
export async function redis(comp) {
  const check = (address) => checkOutbound(comp, address, () => wasiError('invalid-address'));
  class Connection extends RedisConnection {
    static async open(address) {
      check(address);
      return super.open(address);
    }
  }
  const methods = ['publish', 'get', 'set', 'incr', 'del', 'sadd', 'smembers', 'srem', 'execute'];
  class Connection2 extends bridged('redis.mjs', methods) {
    static open(address) {
      check(address);
      return super.open(address);
    }
  }
  // fermyon:spin/redis-types (unversioned) only defines the types of Spin
  // 3's Redis trigger export: there is nothing to implement.
  return { 'spin:redis/redis': { Connection }, 'fermyon:spin/redis': { Connection: Connection2 }, 'fermyon:spin/redis-types': {} };
}

// startRedisTriggers subscribes to every [[trigger.redis]] channel and runs
// the component for each message with a fresh instance, as Spin does.
// A failed message is logged and the next one handled; the subscriber
// reconnects and resubscribes when the server comes back.
export async function startRedisTriggers(config, components) {
  const { exportOf } = await import('./host.mjs'); // (not at the top: the bridge's worker loads this module)
  const subscribers = new Map();
  for (const t of config.redis_triggers ?? []) {
    const address = t.address || config.redis_address;
    if (!address) throw new Error(`[[trigger.redis]] for component ${t.component}: no address (set [application.trigger.redis] address)`);
    const component = components[t.component];
    // Spin 4 components export spin:redis/inbound-redis@3.0.0; Spin 3
    // ones the unversioned fermyon:spin/inbound-redis.
    if (!/export (spin:redis\/inbound-redis@|fermyon:spin\/inbound-redis;)/.test(component.wit)) {
      throw new Error(`component ${t.component} is used by a Redis trigger but exports neither spin:redis/inbound-redis nor fermyon:spin/inbound-redis`);
    }
    let sub = subscribers.get(address);
    if (!sub) {
      sub = await client(address, { socket: { reconnectStrategy: () => 200 } });
      let last = '';
      sub.on('error', (e) => {
        const msg = String(e?.message ?? e);
        if (msg !== last) console.error(`spin-go host: redis trigger ${address}: ${msg}`);
        last = msg;
      });
      sub.on('ready', () => { last = ''; });
      await sub.connect();
      subscribers.set(address, sub);
    }
    await sub.subscribe(t.channel, async (message) => {
      try {
        const instance = await component.newInstance();
        const inbound = exportOf(instance, 'spin:redis/inbound-redis@') ?? exportOf(instance, 'fermyon:spin/inbound-redis') ?? instance.inboundRedis;
        await inbound.handleMessage(new Uint8Array(message));
      } catch (e) {
        const detail = e?.payload?.val ?? e?.payload?.tag ?? e?.message ?? e;
        console.error(`spin-go host: ${t.component}: handling a message on ${t.channel} failed: ${detail}`);
      }
    }, true);
    console.log(`spin-go host: redis trigger: ${t.component} subscribed to ${t.channel} on ${address}`);
  }
}
