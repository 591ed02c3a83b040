// What edge runtimes give of Node.js, by built-in module and by global. The yardstick is the most capable one,
// Cloudflare Workers with Node.js compatibility on (nodejs_compat, the default from compatibility date 2026-08-04):
// a module Workers provides in full is not flagged even where Vercel Edge lacks it, or every `node:path` would be.

export const EDGE_RUNTIME_AS_OF = '2026-08';

export const EDGE_RUNTIME_SOURCES: readonly string[] = [
  'Cloudflare Workers docs, "Node.js compatibility" (runtime-apis/nodejs, last updated 2026-08-12) and its per-module pages fs, http, net (cloudflare/cloudflare-docs)',
  'Cloudflare changelog 2025-08-15 (node:fs virtual file system) and 2026-08-04 (nodejs_compat on by default)',
  'Vercel docs, Edge runtime (2025): only async_hooks, buffer, events, assert and util of Node; no file system; from memory of those docs, not re-checked here',
  'Stub status of child_process, cluster, worker_threads, dgram, vm, v8, inspector, repl, tty, readline, http2 on Workers: from the workerd / unenv compatibility matrix as known at that date, not re-checked here',
];

/**
 * - supported: works on Workers (maybe with gaps that do not matter for serverless code);
 * - partial: importable, but the part people use it for does not work the same way;
 * - server: the client side works, servers do not (flagged only where a server is created);
 * - missing: absent, or an import-only stub whose calls throw.
 */
export type EdgeSupport = 'supported' | 'partial' | 'server' | 'missing';

export interface EdgeBuiltin {
  workers: EdgeSupport;
  vercelEdge: 'supported' | 'missing';
  /** Why it rules out (or limits) edge, in a few words. */
  why: string;
  /** The Web-standard or platform way to do the same, when there is one. */
  alternative?: string;
  /** For `server`: the members that create a server. */
  serverMembers?: readonly string[];
}

const FS: EdgeBuiltin = {
  workers: 'partial',
  vercelEdge: 'missing',
  why: "Workers' node:fs is an in-memory file system (the bundle read-only under /bundle, a /tmp that lives for one request): the project's files are not there and nothing written persists; Vercel Edge has no file system",
  alternative: 'import data and templates into the bundle, and keep files in KV, R2 or S3 (fetch)',
};

const HTTP_SERVER: EdgeBuiltin = {
  workers: 'server',
  vercelEdge: 'missing',
  why: 'a Node HTTP server does not listen on edge: Workers only adapt one through `httpServerHandler` from cloudflare:node, Vercel Edge has no node:http',
  alternative: 'export a `fetch(request)` handler that takes a Web Request and returns a Response (Hono, itty-router)',
  serverMembers: ['createServer', 'Server', 'createSecureServer'],
};

const MISSING = (why: string, alternative?: string): EdgeBuiltin => ({
  workers: 'missing',
  vercelEdge: 'missing',
  why,
  alternative,
});
const SUPPORTED = (vercelEdge: 'supported' | 'missing' = 'missing'): EdgeBuiltin => ({
  workers: 'supported',
  vercelEdge,
  why: '',
});

/** Keyed by the module name without `node:`. */
export const EDGE_BUILTINS: Readonly<Record<string, EdgeBuiltin>> = {
  fs: FS,
  'fs/promises': FS,
  child_process: MISSING(
    'edge isolates cannot start processes (the module is a stub whose calls throw)',
    'call a service over fetch, or keep this work in a function or container',
  ),
  cluster: MISSING(
    'there are no processes to fork: the platform runs and scales isolates itself',
    'drop it: one isolate per request is the model',
  ),
  worker_threads: MISSING(
    'there are no threads on edge (the module is a stub)',
    'split the work into another Worker (service binding) or a queue consumer',
  ),
  dgram: MISSING('edge runtimes have no UDP sockets', 'use an HTTP API of the service'),
  net: {
    workers: 'server',
    vercelEdge: 'missing',
    why: 'edge runtimes accept no raw TCP connections: net.Server is not supported (outbound net.Socket works on Workers)',
    alternative: 'take requests through a fetch handler, or WebSockets (WebSocketPair / Durable Objects)',
    serverMembers: ['createServer', 'Server'],
  },
  tls: {
    workers: 'server',
    vercelEdge: 'missing',
    why: 'edge runtimes terminate TLS themselves: a TLS server is not supported (tls.connect works on Workers)',
    alternative: 'take requests through a fetch handler; the platform serves HTTPS',
    serverMembers: ['createServer', 'Server'],
  },
  http: HTTP_SERVER,
  https: HTTP_SERVER,
  http2: MISSING(
    'node:http2 is an import-only stub on Workers and absent on Vercel Edge',
    'use fetch (the platform speaks HTTP/2 and HTTP/3 for you)',
  ),
  vm: MISSING(
    'edge runtimes forbid compiling code at run time (no vm, eval or new Function)',
    'precompile templates and expressions at build time',
  ),
  v8: MISSING('there is no V8 engine API (heap snapshots, flags, serializer) on edge'),
  inspector: MISSING('there is no inspector session on edge', 'use the platform tracing / logs'),
  repl: MISSING('there is no interactive console on edge'),
  tty: MISSING('there is no terminal on edge'),
  readline: MISSING(
    'there is no stdin or terminal to read lines from on edge',
    'read lines from a Web stream (TextDecoderStream) instead',
  ),
  'readline/promises': MISSING(
    'there is no stdin or terminal to read lines from on edge',
    'read lines from a Web stream (TextDecoderStream) instead',
  ),
  trace_events: MISSING('there are no trace events on edge'),
  wasi: MISSING('node:wasi is not provided on edge', 'instantiate the module with the WebAssembly global'),
  sqlite: MISSING('node:sqlite is not provided on edge', 'D1, or SQLite in a Durable Object'),
  os: {
    workers: 'partial',
    vercelEdge: 'missing',
    why: 'node:os on Workers returns placeholder values: there is no host, CPU count, memory or network interfaces to read',
    alternative: 'drop host introspection; read configuration from env bindings',
  },
  module: {
    workers: 'partial',
    vercelEdge: 'missing',
    why: 'edge code is one bundle: createRequire, require hooks and module resolution at run time do not work',
    alternative: 'static imports (the bundler resolves them)',
  },
  perf_hooks: {
    workers: 'partial',
    vercelEdge: 'missing',
    why: 'only the `performance` timer is real on edge; event-loop histograms and observers are stubs',
    alternative: 'the global `performance.now()`',
  },
  // Provided on Workers with nodejs_compat: not flagged.
  assert: SUPPORTED('supported'),
  'assert/strict': SUPPORTED(),
  async_hooks: SUPPORTED('supported'),
  buffer: SUPPORTED('supported'),
  crypto: SUPPORTED(),
  diagnostics_channel: SUPPORTED(),
  dns: SUPPORTED(),
  'dns/promises': SUPPORTED(),
  events: SUPPORTED('supported'),
  path: SUPPORTED(),
  'path/posix': SUPPORTED(),
  'path/win32': SUPPORTED(),
  process: SUPPORTED(),
  punycode: SUPPORTED(),
  querystring: SUPPORTED(),
  stream: SUPPORTED(),
  'stream/promises': SUPPORTED(),
  'stream/web': SUPPORTED(),
  'stream/consumers': SUPPORTED(),
  string_decoder: SUPPORTED(),
  timers: SUPPORTED(),
  'timers/promises': SUPPORTED(),
  url: SUPPORTED(),
  util: SUPPORTED('supported'),
  'util/types': SUPPORTED(),
  zlib: SUPPORTED(),
  console: SUPPORTED(),
};

export interface EdgeGlobal {
  why: string;
  alternative?: string;
}

/**
 * Node globals that edge runtimes lack. `Buffer` (with nodejs_compat) and `process.env` (Workers fill it from
 * bindings, Vercel Edge from the project's variables) are fine and deliberately absent.
 */
export const EDGE_GLOBALS: Readonly<Record<string, EdgeGlobal>> = {
  __dirname: {
    why: 'edge code runs as an ES module bundle with no folder on disk, so `__dirname` is not defined',
    alternative: 'import the file into the bundle (or serve it as a static asset) instead of building a path to it',
  },
  __filename: {
    why: 'edge code runs as an ES module bundle with no file on disk, so `__filename` is not defined',
    alternative: 'import.meta.url where a module identity is needed',
  },
  'process.binding': {
    why: "`process.binding` reaches Node's internal C++ bindings, which exist only in Node",
  },
  'process.dlopen': {
    why: '`process.dlopen` loads a native addon, which edge runtimes cannot run',
    alternative: 'a Wasm build of the library',
  },
  'require.resolve': {
    why: 'edge code is one bundle: there is no node_modules to resolve a path in at run time',
    alternative: 'a static import, resolved by the bundler',
  },
};
