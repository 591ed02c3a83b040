import * as assert from 'node:assert/strict';
import { analyzeFiles, findingKeys, hazardsOf } from '../helpers';

const app = (routes: string): Record<string, string> => ({
  'app.ts': `import express from 'express';\nconst app = express();\n${routes}\nexport default app;\n`,
});

describe('module state, in-memory caches and session maps', () => {
  it('flags module state written by a service the handler calls in another file, at its declaration', () => {
    const r = analyzeFiles({
      ...app(
        `import { track, top } from './stats';\napp.post('/hit', (req, res) => { track(req.path); res.end(); });\napp.get('/top', (_req, res) => res.json(top()));\napp.get('/ping', (_req, res) => res.send('pong'));`,
      ),
      'stats.ts': `
let total = 0;
const hits: Record<string, number> = {};
export function track(path: string): void {
  total++;
  hits[path] = (hits[path] ?? 0) + 1;
}
export function top(): number { return total; }
`,
    });
    assert.deepEqual(
      findingKeys(r).filter((k) => /state|cache|session/.test(k)),
      ['stats.ts:2 module-state-written-in-handler', 'stats.ts:3 module-state-written-in-handler'].sort(),
    );
    assert.deepEqual(hazardsOf(r, 'http:POST:/hit', ['module-state']), ['module-state']);
    assert.deepEqual(hazardsOf(r, 'http:GET:/top'), ['module-state']); // reads what others write
    assert.deepEqual(hazardsOf(r, 'http:GET:/ping'), []);
    const f = r.findings[0]!;
    assert.equal(f.hazard, 'module-state');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /`total` lives in module scope/);
    assert.match(f.message, /stats\.ts:5/);
  });

  it('tells caches from plain state: Map named cache, lru-cache instances', () => {
    const r = analyzeFiles({
      ...app(`import { get } from './c';\napp.get('/x/:id', async (req, res) => res.json(await get(req.params.id)));`),
      'c.ts': `
import { LRUCache } from 'lru-cache';
const pageCache = new Map<string, string>();
const lru = new LRUCache<string, string>({ max: 10 });
export async function get(id: string) {
  const v = pageCache.get(id) ?? 'x';
  pageCache.set(id, v);
  lru.set(id, v);
  return v;
}
`,
    });
    assert.deepEqual(
      findingKeys(r).filter((k) => /state|cache|session/.test(k)),
      ['c.ts:3 in-memory-cache-in-handler', 'c.ts:4 in-memory-cache-in-handler'].sort(),
    );
  });

  it('does not flag look-alikes: constants, frozen config, as-const tables, clients, locals, shadowing params, init-time writes', () => {
    const r = analyzeFiles({
      ...app(`import { handle } from './h';\napp.get('/h', handle);`),
      'h.ts': `
import { S3Client } from '@aws-sdk/client-s3';
const LIMIT = 10;
const config = Object.freeze({ a: 1 });
const table = { a: 1, b: 2 } as const;
const s3 = new S3Client({});
const registry = new Map<string, number>();
registry.set('boot', 1);                // written once at module initialisation
let ready = false;
ready = true;                           // also initialisation
export function handle(req: any, res: any) {
  const local = new Map<string, number>();
  local.set('a', LIMIT);
  const items: number[] = [];
  items.push(table.a, config.a);
  shadow([], 1);
  res.json({ n: registry.get('boot'), ready, s3: !!s3 });
}
function shadow(registry: number[], x: number) { registry.push(x); }
`,
    });
    assert.deepEqual(
      findingKeys(r).filter((k) => /state|cache|session/.test(k)),
      [].sort(),
    );
  });

  it('only reports state that some component reaches', () => {
    const r = analyzeFiles({
      ...app(`app.get('/a', (_req, res) => res.end());`),
      'unused.ts': `let n = 0;\nexport function bump() { n++; }\n`,
    });
    assert.deepEqual(
      findingKeys(r).filter((k) => /state|cache|session/.test(k)),
      [].sort(),
    );
  });

  it('names a module-level session map as an in-memory session', () => {
    const r = analyzeFiles({
      ...app(
        `const sessions = new Map<string, object>();\napp.post('/login', (req, res) => { sessions.set('id', {}); res.end(); });`,
      ),
    });
    assert.deepEqual(
      findingKeys(r).filter((k) => /state|cache|session/.test(k)),
      ['app.ts:3 in-memory-session-map'].sort(),
    );
    assert.equal(r.findings[0]!.severity, 'error');
  });
});
