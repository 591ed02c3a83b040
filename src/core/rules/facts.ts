/**
 * The facts the analyzer's detectors report, by name: what a rule's `fact:` matcher can ask for. A fact is seen at
 * a node (with the unit around it, for attribution) and may carry attributes that `attrs:` conditions test.
 * test/unit/rules/catalogue.test.ts keeps this list equal to what the detectors emit.
 */
export const KNOWN_FACTS = new Map<string, { description: string; attrs?: string[] }>([
  [
    'module-state-written-in-handler',
    { description: 'module-level mutable state written by code a handler reaches', attrs: ['name', 'writer'] },
  ],
  [
    'in-memory-cache-in-handler',
    {
      description: 'an in-process cache (Map named like a cache, lru-cache, node-cache) written while handling work',
      attrs: ['name', 'writer'],
    },
  ],
  [
    'in-memory-session-map',
    { description: 'a module-level map of sessions written while handling requests', attrs: ['name', 'writer'] },
  ],
  [
    'in-memory-session-store',
    {
      description: 'session middleware (express-session, @fastify/session) with the default in-memory store',
      attrs: ['library'],
    },
  ],
  ['local-fs-write', { description: 'a write to the local disk outside the OS temp dir (fs, fs-extra, sharp toFile)' }],
  [
    'local-fs-read',
    { description: 'a read of local files while handling work (not bundled assets, not the temp dir)' },
  ],
  ['multer-disk-storage', { description: 'multer storing uploads on disk' }],
  [
    'static-files-from-disk',
    { description: 'static files served from the local disk (express.static, serve-static, koa-static)' },
  ],
  [
    'connection-pool-per-instance',
    { description: 'a database, cache or broker connection pool opened per process', attrs: ['library'] },
  ],
  ['child-process-spawn', { description: 'a child process started (child_process, execa, cross-spawn)' }],
  ['server-sent-events', { description: 'a Server-Sent Events response held open' }],
  ['streamed-response', { description: 'a response streamed with pipe()' }],
  [
    'long-running-library',
    { description: 'a library whose work runs for seconds to minutes (ffmpeg, headless browsers)' },
  ],
  ['cpu-heavy-sync-call', { description: 'a CPU-bound synchronous call (pbkdf2Sync, zlib *Sync, bcrypt hashSync)' }],
  ['unbounded-polling-loop', { description: 'a polling loop that never ends (SQS receive loops)' }],
  ['kafka-consumer-run', { description: 'a kafkajs consumer run loop' }],
  ['sqs-consumer-polling', { description: 'an sqs-consumer polling loop' }],
  ['module-level-interval', { description: 'a setInterval started at startup: a background job in the process' }],
  ['timer-outlives-request', { description: 'a timer started while handling work and not awaited or cleared' }],
  [
    'websocket-server',
    { description: 'a websocket server (ws, socket.io, uWebSockets.js) holding persistent connections' },
  ],
  ['websocket-latency', { description: 'a websocket message path, where every message waits on the handler' }],
  ['latency-critical-annotation', { description: 'code marked latency-critical or with an SLO in a comment' }],
  [
    'native-module-import',
    { description: 'an import of a package with native code', attrs: ['package', 'source', 'optional'] },
  ],
  [
    'heavy-dependency-import',
    {
      description: 'an import of a package large enough to slow cold starts',
      attrs: ['package', 'source', 'bytes', 'files', 'approxMb', 'large'],
    },
  ],
  [
    'node-only-builtin',
    { description: 'a Node.js built-in (or server API) edge runtimes lack', attrs: ['module', 'api', 'support'] },
  ],
  [
    'node-only-global',
    {
      description: 'a Node.js-only global (__dirname, __filename, process.binding, require.resolve)',
      attrs: ['global'],
    },
  ],
]);
