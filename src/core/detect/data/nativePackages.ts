// Packages known to ship native code (a compiled Node addon or a platform binary), for when node_modules is not
// there to look at. Kept by hand: the evidence in node_modules, when present, is checked first.

export const NATIVE_PACKAGES_AS_OF = '2026-11';

export const NATIVE_PACKAGES_SOURCE =
  'Kept by hand from how each package installs (node-gyp binding.gyp, node-pre-gyp / prebuildify prebuilds, napi-rs or ' +
  'per-platform binary packages), as known at that date; not measured in this environment.';

export interface NativePackage {
  /** A package name, or a scope prefix ending in '/*' (`@napi-rs/*`). */
  name: string;
  /** What the native part is. */
  what: string;
  /** A pure-JS, Wasm or managed alternative, when there is one. */
  alternative?: string;
  /** The package works without its native part (it falls back to JavaScript). */
  optional?: boolean;
}

export const NATIVE_PACKAGES: readonly NativePackage[] = [
  {
    name: 'sharp',
    what: 'libvips image processing (binaries in @img/sharp-<platform> packages)',
    alternative:
      'an image service (CloudFront/Lambda image handler, Cloudflare Images) or a Wasm codec (@jsquash/*) on edge',
  },
  {
    name: 'bcrypt',
    what: 'a C++ addon (node-gyp / node-pre-gyp)',
    alternative: 'bcryptjs (pure JS), or PBKDF2 from Web Crypto',
  },
  { name: 'argon2', what: 'a C addon (node-gyp, prebuilds)', alternative: 'hash-wasm (Argon2 in Wasm)' },
  {
    name: 'sqlite3',
    what: 'SQLite compiled as a C addon',
    alternative: 'a managed database (D1, libSQL/Turso over HTTP, DynamoDB), or sql.js (Wasm) for read-only data',
  },
  {
    name: 'better-sqlite3',
    what: 'SQLite compiled as a C addon',
    alternative: 'a managed database (D1, libSQL/Turso over HTTP, DynamoDB), or sql.js (Wasm) for read-only data',
  },
  {
    name: 'canvas',
    what: 'Cairo and Pango bound as a C++ addon',
    alternative: 'a rendering service, or a JS/Wasm renderer (satori with resvg-wasm)',
  },
  {
    name: 'node-canvas',
    what: 'Cairo bound as a C++ addon',
    alternative: 'a rendering service, or a JS/Wasm renderer (satori with resvg-wasm)',
  },
  {
    name: '@tensorflow/tfjs-node',
    what: 'libtensorflow bound as an addon',
    alternative: '@tensorflow/tfjs (JS / Wasm backends) or a hosted inference endpoint',
  },
  {
    name: '@tensorflow/tfjs-node-gpu',
    what: 'libtensorflow with CUDA bound as an addon',
    alternative: 'a hosted inference endpoint',
  },
  {
    name: 'onnxruntime-node',
    what: 'ONNX Runtime bound as an addon',
    alternative: 'onnxruntime-web (Wasm) or a hosted inference endpoint',
  },
  { name: 'node-sass', what: 'libsass as a C++ addon (deprecated)', alternative: 'sass (Dart Sass, pure JS)' },
  { name: 'grpc', what: 'the deprecated C-core gRPC addon', alternative: '@grpc/grpc-js (pure JS)' },
  { name: 're2', what: 'Google RE2 as a C++ addon', alternative: 'the built-in RegExp, or re2-wasm' },
  { name: 'bufferutil', what: 'a C addon that speeds up ws framing', alternative: 'ws works without it' },
  { name: 'utf-8-validate', what: 'a C addon that speeds up ws UTF-8 checks', alternative: 'ws works without it' },
  { name: 'cpu-features', what: 'a C addon reading CPU flags' },
  { name: 'ssh2', what: 'optional C++ crypto bindings (falls back to JS when they are not built)', optional: true },
  {
    name: 'leveldown',
    what: 'LevelDB as a C++ addon',
    alternative: 'a managed key-value store (DynamoDB, Workers KV)',
  },
  {
    name: 'classic-level',
    what: 'LevelDB as a C++ addon',
    alternative: 'a managed key-value store (DynamoDB, Workers KV)',
  },
  { name: 'rocksdb', what: 'RocksDB as a C++ addon', alternative: 'a managed key-value store' },
  { name: 'lmdb', what: 'LMDB as a C addon', alternative: 'a managed key-value store' },
  { name: 'zeromq', what: 'libzmq as an addon', alternative: 'a managed queue (SQS, Pub/Sub, Cloudflare Queues)' },
  { name: 'usb', what: 'libusb as an addon (hardware access)' },
  { name: 'serialport', what: 'serial port bindings (@serialport/bindings-cpp)' },
  { name: '@serialport/bindings-cpp', what: 'serial port bindings as a C++ addon' },
  { name: 'node-hid', what: 'HID device access as a C++ addon' },
  { name: 'node-pty', what: 'pseudo-terminals as a C++ addon' },
  { name: '@napi-rs/*', what: 'Rust compiled with napi-rs (per-platform binary packages)' },
  {
    name: '@node-rs/*',
    what: 'Rust compiled with napi-rs (per-platform binary packages)',
    alternative: 'bcryptjs / hash-wasm / pure-JS equivalents',
  },
  { name: '@swc/core', what: 'the SWC compiler as a Rust binary (@swc/core-<platform>)' },
  {
    name: 'esbuild',
    what: 'a Go binary per platform (@esbuild/<platform>), run as a child process',
    alternative: 'esbuild-wasm',
  },
  {
    name: 'isolated-vm',
    what: 'V8 isolates as a C++ addon',
    alternative: 'separate functions or Workers as sandboxes',
  },
  { name: 'libxmljs', what: 'libxml2 as a C++ addon', alternative: 'fast-xml-parser or @xmldom/xmldom (pure JS)' },
  { name: 'libxmljs2', what: 'libxml2 as a C++ addon', alternative: 'fast-xml-parser or @xmldom/xmldom (pure JS)' },
  { name: 'node-expat', what: 'libexpat as a C addon', alternative: 'sax or fast-xml-parser (pure JS)' },
  { name: 'iconv', what: 'libiconv as a C addon', alternative: 'iconv-lite (pure JS) or TextDecoder' },
  { name: 'kerberos', what: 'GSSAPI / SSPI as a C++ addon' },
  { name: 'snappy', what: 'Snappy compression as a native addon', alternative: 'snappyjs (pure JS)' },
  { name: 'farmhash', what: 'FarmHash as a C++ addon' },
  {
    name: 'microtime',
    what: 'a C++ addon for microsecond time',
    alternative: 'performance.now() / process.hrtime.bigint()',
  },
  { name: 'sodium-native', what: 'libsodium as a C addon', alternative: 'libsodium-wrappers (Wasm) or Web Crypto' },
  { name: 'ffi-napi', what: 'a foreign-function interface addon' },
  { name: 'ref-napi', what: 'a native memory access addon' },
  { name: 'pg-native', what: 'libpq bound as an addon', alternative: 'pg (pure JS)' },
  { name: 'bson-ext', what: 'a C++ BSON serializer', alternative: 'bson (pure JS)' },
  { name: 'duckdb', what: 'DuckDB as a C++ addon', alternative: '@duckdb/duckdb-wasm or a managed warehouse' },
  {
    name: '@duckdb/node-api',
    what: 'DuckDB as a native addon',
    alternative: '@duckdb/duckdb-wasm or a managed warehouse',
  },
  {
    name: 'hnswlib-node',
    what: 'hnswlib as a C++ addon',
    alternative: 'a managed vector index (Vectorize, OpenSearch, pgvector)',
  },
  {
    name: 'faiss-node',
    what: 'FAISS as a C++ addon',
    alternative: 'a managed vector index (Vectorize, OpenSearch, pgvector)',
  },
  { name: '@parcel/watcher', what: 'a file watcher as a C++ addon' },
  { name: 'fsevents', what: 'macOS file events as an addon (macOS only)' },
  { name: 'deasync', what: 'an addon that blocks the event loop' },
  { name: 'keytar', what: 'OS keychain access as a C++ addon', alternative: 'a secrets manager' },
];

/** Look up a package (already reduced to its root name) in the table. */
export function nativePackage(pkg: string): NativePackage | undefined {
  for (const p of NATIVE_PACKAGES) {
    if (p.name === pkg) return p;
    if (p.name.endsWith('/*') && pkg.startsWith(p.name.slice(0, -1))) return p;
  }
  return undefined;
}
