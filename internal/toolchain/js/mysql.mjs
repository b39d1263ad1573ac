// fermyon:spin/mysql@2.0.0 for the local host, on the mysql2 client.
//
// The interface's functions are synchronous imports: the client runs in
// the synchronous bridge's worker thread (syncbridge.mjs), as the service
// mysql-worker.mjs, one mysql2 connection per connection resource. Types,
// errors and limits follow Spin's outbound MySQL (see mysql-worker.mjs).
import { checkOutbound, wasiError } from './common.mjs';
import { bridged } from './syncbridge.mjs';

export async function mysql(comp) {
  class Connection extends bridged('mysql-worker.mjs', ['query', 'execute']) {
    static open(address) {
      checkOutbound(comp, address, (msg) => wasiError('connection-failed', msg));
      return super.open(address);
    }
  }
  return { 'fermyon:spin/mysql': { Connection } };
}
