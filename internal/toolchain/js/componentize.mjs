// componentize.mjs IN OUT [ADAPTER]
//
// Turns a core module carrying a component-type custom section into a
// component with wit-component (through jco), adapting
// wasi_snapshot_preview1 imports with the reactor adapter jco ships, or the
// one given.
import { componentNew } from '@bytecodealliance/jco';
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, adapterPath] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: componentize.mjs IN.wasm OUT.wasm [ADAPTER.wasm]');
  process.exit(2);
}
const adapter = readFileSync(adapterPath ||
  new URL('./node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm', import.meta.url));
try {
  const component = await componentNew(readFileSync(input), [['wasi_snapshot_preview1', adapter]]);
  writeFileSync(output, component);
} catch (err) {
  console.error(String(err?.message ?? err));
  process.exit(1);
}
