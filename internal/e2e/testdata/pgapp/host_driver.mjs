// Drives the local host's spin:postgres implementation directly, for the
// parts a Go component does not call: the synchronous functions (open,
// query, execute, the connection builder), key=value addresses, and the
// 3.0.0 shapes a component importing only spin:postgres@3.0.0 gets.
//
//   node host_driver.mjs POSTGRES_URL   (run in the toolchain folder; SPIN_GO_TOOLS names it)
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { postgres } = await import(pathToFileURL(join(process.env.SPIN_GO_TOOLS, 'postgres.mjs')).href);
const url = process.argv[2];
const { port } = new URL(url);
const dir = mkdtempSync(join(tmpdir(), 'pg-host-'));
const component = (name, imports) => {
  writeFileSync(join(dir, name), `\0asm fake component importing ${imports}`);
  return { id: name, source: join(dir, name), allowed_outbound_hosts: [`postgres://127.0.0.1:${port}`] };
};
const v4 = (await postgres(component('v4.wasm', 'spin:postgres/postgres@4.2.0')))['spin:postgres/postgres'];
const v3 = (await postgres(component('v3.wasm', 'spin:postgres/postgres@3.0.0')))['spin:postgres/postgres'];

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.stack ?? e}`);
  }
}
const payloadOf = (fn) => {
  try {
    fn();
  } catch (e) {
    return e.payload;
  }
  return undefined;
};

await check('sync open, execute and query with typed values', () => {
  const c = v4.Connection.open(url);
  assert.equal(c.execute('CREATE TABLE host_sync (id int4, at date, tags text[], span numrange)', []), 0n);
  assert.equal(c.execute('INSERT INTO host_sync VALUES ($1, $2, $3, $4), ($5, NULL, NULL, NULL)', [
    { tag: 'int32', val: 1 }, { tag: 'date', val: [-99, 2, 28] }, { tag: 'array-str', val: ['a,b', undefined] },
    { tag: 'range-decimal', val: [undefined, ['9.75', 'inclusive']] }, { tag: 'int32', val: 2 },
  ]), 2n);
  const rs = c.query('SELECT id, at, tags, span FROM host_sync ORDER BY id', []);
  assert.deepEqual(rs.columns, [
    { name: 'id', dataType: { tag: 'int32' } }, { name: 'at', dataType: { tag: 'date' } },
    { name: 'tags', dataType: { tag: 'array-str' } }, { name: 'span', dataType: { tag: 'range-decimal' } },
  ]);
  assert.deepEqual(rs.rows, [
    [{ tag: 'int32', val: 1 }, { tag: 'date', val: [-99, 2, 28] }, { tag: 'array-str', val: ['a,b', undefined] },
      { tag: 'range-decimal', val: [undefined, ['9.75', 'inclusive']] }],
    [{ tag: 'int32', val: 2 }, { tag: 'db-null' }, { tag: 'db-null' }, { tag: 'db-null' }],
  ]);
  c[Symbol.dispose]();
});

await check('intervals at the ends of their range', () => {
  const c = v4.Connection.open(url);
  const ivs = [
    { micros: -9223372036854775808n, days: -2147483648, months: -2147483648 },
    { micros: 9223372036854775807n, days: 2147483647, months: 2147483647 },
    { micros: -1n, days: 1, months: 0 },
  ];
  const rs = c.query('SELECT $1::interval, $2::interval, $3::interval', ivs.map((val) => ({ tag: 'interval', val })));
  assert.deepEqual(rs.rows, [ivs.map((val) => ({ tag: 'interval', val }))]);
  c[Symbol.dispose]();
});

await check('a sync statement while rows stream on the same connection', async () => {
  const c = await v4.Connection.openAsync(url);
  const [columns, stream, done] = await c.queryAsync('SELECT g FROM generate_series(1, 4000) g', []);
  assert.deepEqual(columns, [{ name: 'g', dataType: { tag: 'int32' } }]);
  const it = stream[Symbol.asyncIterator]();
  assert.deepEqual((await it.next()).value, [{ tag: 'int32', val: 1 }]);
  assert.equal(c.execute('SELECT 1', []), 1n, 'the sync call does not wait on paused rows');
  let n = 1;
  let sum = 1;
  for (let r = await it.next(); !r.done; r = await it.next()) {
    n++;
    sum += r.value[0].val;
  }
  assert.equal(n, 4000);
  assert.equal(sum, 4000 * 4001 / 2);
  assert.deepEqual(await done.read(), { tag: 'ok' });
  // A stream the guest drops before its end: the query runs to its end
  // unread, and the connection goes on.
  const [, stream2, done2] = await c.queryAsync('SELECT g FROM generate_series(1, 100000) g', []);
  const it2 = stream2[Symbol.asyncIterator]();
  assert.deepEqual((await it2.next()).value, [{ tag: 'int32', val: 1 }]);
  await it2.return();
  assert.deepEqual(await done2.read(), { tag: 'err', val: { tag: 'other', val: 'the row stream was dropped before its end' } });
  assert.equal(await c.executeAsync('SELECT 1', []), 1n);
  const [, stream3, done3] = await c.queryAsync('SELECT 6/(3-g) FROM generate_series(1, 5) g', []);
  const got = [];
  for await (const row of stream3) got.push(row[0].val);
  assert.deepEqual(got, [3, 6], 'the rows before an error');
  assert.equal((await done3.read()).val.val.val.code, '22012', 'the error ends the stream');
  c[Symbol.dispose]();
  await assert.rejects(c.executeAsync('SELECT 1', []), (e) => e.payload.val === 'no such connection (it was closed)', 'a dropped connection is closed');
});

await check('the server error of a sync call', () => {
  const c = v4.Connection.open(url);
  const p = payloadOf(() => c.query('SELECT 1/0', []));
  assert.equal(p.tag, 'query-failed');
  assert.equal(p.val.tag, 'db-error');
  assert.equal(p.val.val.code, '22012');
  assert.equal(p.val.val.message, 'division by zero');
  c[Symbol.dispose]();
});

await check('a denied address, sync and async', async () => {
  const denied = `address postgres://127.0.0.1:1 is not permitted: add it to the component's allowed_outbound_hosts`;
  assert.deepEqual(payloadOf(() => v4.Connection.open('postgres://x@127.0.0.1:1/db')), { tag: 'connection-failed', val: denied });
  await assert.rejects(v4.Connection.openAsync('postgresql://127.0.0.1:1/db'), (e) => e.payload.val === denied);
  assert.equal(payloadOf(() => v4.Connection.open('host=127.0.0.1 port=1 user=spin')).val, denied);
});

await check('a key=value address', () => {
  const c = v4.Connection.open(`host=127.0.0.1 port=${port} user=spin dbname=spin`);
  assert.deepEqual(c.query("SELECT 'kv'::text AS t", []).rows, [[{ tag: 'str', val: 'kv' }]]);
  c[Symbol.dispose]();
});

await check('the connection builder', async () => {
  const b = new v4.ConnectionBuilder(url);
  assert.equal(payloadOf(() => b.setCaRoot('not a certificate')).tag, 'other');
  const c = b.build();
  assert.equal(c.execute('SELECT 1', []), 1n);
  c[Symbol.dispose]();
  const c2 = await new v4.ConnectionBuilder(url).buildAsync();
  assert.equal(await c2.executeAsync('SELECT 1', []), 1n);
  c2[Symbol.dispose]();
});

await check('the 3.0.0 shapes', () => {
  const c = v3.Connection.open(url);
  const rs = c.query("SELECT 1::int2 AS a, 'x'::text AS b, '00000000-0000-0000-0000-000000000000'::uuid AS u, now()::timestamp AS ts", []);
  assert.deepEqual(rs.columns.map((col) => col.dataType), ['int16', 'str', 'other', 'datetime']);
  assert.deepEqual(rs.rows[0][2], { tag: 'unsupported' });
  assert.deepEqual(payloadOf(() => c.execute('SELEKT', [])), { tag: 'query-failed', val: 'ERROR:  syntax error at or near "SELEKT"' });
  c[Symbol.dispose]();
});

console.log(`pg host: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
