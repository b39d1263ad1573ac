// Outbound MQTT for the spin-go local host: spin:mqtt/mqtt@3.0.0 and
// fermyon:spin/mqtt@2.0.0 on a real broker through the npm `mqtt` client.
import { checkOutbound, wasiError } from './common.mjs';
import { bridged } from './syncbridge.mjs';

const qosLevel = { 'at-most-once': 0, 'at-least-once': 1, 'exactly-once': 2 };

// MqttConnection is one connection resource, as both versions of the
// interface have it: one client session. It does not reconnect on its
// own: a publish on a broken session fails, and the guest opens a new
// connection.
class MqttConnection {
  #c;
  constructor(c) { this.#c = c; }
  static async open(address, username, password, keepAliveIntervalInSecs) {
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
      return new this(c);
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
  close() { this.#c.end(true); }
  [Symbol.dispose]() { this.close(); }
}

// fermyon:spin/mqtt@2.0.0's connections live in the synchronous bridge's
// worker (syncbridge.mjs), which opens them with bridgeOpen.
export const bridgeOpen = (...args) => MqttConnection.open(...args);

// mqtt implements spin:mqtt/mqtt@3.0.0 (async, on this thread) and
// fermyon:spin/mqtt@2.0.0 (synchronous, through the bridge).
export async function mqtt(comp) {
  const check = (address) => checkOutbound(comp, address, () => wasiError('invalid-address'));
  class Connection extends MqttConnection {
    static async open(address, ...rest) {
      check(address);
      return super.open(address, ...rest);
    }
  }
  class Connection2 extends bridged('mqtt.mjs', ['publish']) {
    static open(address, ...rest) {
      check(address);
      return super.open(address, ...rest);
    }
  }
  return { 'spin:mqtt/mqtt': { Connection }, 'fermyon:spin/mqtt': { Connection: Connection2 } };
}
