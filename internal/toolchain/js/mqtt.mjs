// Outbound MQTT for the spin-go local host: spin:mqtt/mqtt@3.0.0 on a real
// broker through the npm `mqtt` client.
import { checkOutbound, wasiError } from './common.mjs';

const qosLevel = { 'at-most-once': 0, 'at-least-once': 1, 'exactly-once': 2 };

// mqtt implements spin:mqtt/mqtt@3.0.0: each connection resource is one
// client session. It does not reconnect on its own: a publish on a broken
// session fails, and the guest opens a new connection.
export async function mqtt(comp) {
  class Connection {
    #c;
    constructor(c) { this.#c = c; }
    static async open(address, username, password, keepAliveIntervalInSecs) {
      checkOutbound(comp, address, () => wasiError('invalid-address'));
      const { default: lib } = await import('mqtt');
      try {
        const c = await lib.connectAsync(address, {
          username: username || undefined,
          password: password || undefined,
          keepalive: Number(keepAliveIntervalInSecs),
          reconnectPeriod: 0,
          connectTimeout: 5000,
        });
        c.on('error', () => {}); // failures surface as publish errors
        return new Connection(c);
      } catch (e) {
        throw wasiError('connection-failed', `${address}: ${e?.message ?? e}`);
      }
    }
    async publish(topic, payload, qos) {
      if (!this.#c.connected) throw wasiError('connection-failed', 'the connection to the broker is closed');
      try {
        await this.#c.publishAsync(topic, Buffer.from(payload), { qos: qosLevel[qos] });
      } catch (e) {
        throw wasiError('other', `publishing to ${topic}: ${e?.message ?? e}`);
      }
    }
    [Symbol.dispose]() { this.#c.end(true); }
  }
  return { 'spin:mqtt/mqtt': { Connection } };
}
