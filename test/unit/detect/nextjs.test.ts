import * as assert from 'node:assert/strict';
import { nextjsDetector } from '../../../src/core/detect/nextjs';
import { DETECTORS } from '../../../src/core/detect/registry';
import type { Report } from '../../../src/core/model';
import { analyzeFiles, analyzeFixture, component, findingKeys, names } from '../helpers';
import { mapProbe, summaryWith } from '../probes';

const detectors = [nextjsDetector, mapProbe];
const NEXT_PKG = JSON.stringify({ name: 'web', dependencies: { next: '14.2.3' } });
/** A single Next project at the analysed root. */
const analyzeNext = (files: Record<string, string>): Report =>
  analyzeFiles({ 'package.json': NEXT_PKG, ...files }, { detectors });
const summary = summaryWith('name');

describe('nextjs detector', () => {
  describe('fixture monorepo', () => {
    const r = analyzeFixture('nextjs', { detectors });

    it('finds the routes of apps/web only: app router, pages/api and middleware', () => {
      assert.deepEqual(summary(r), [
        'http:GET:/feed | GET /feed | apps/web/app/(marketing)/feed/route.ts:3:1',
        'http:GET:/api/posts/:id | GET /api/posts/:id | apps/web/app/api/posts/[id]/route.ts:6:1',
        'http:DELETE:/api/posts/:id | DELETE /api/posts/:id | apps/web/app/api/posts/[id]/route.ts:13:10',
        'http:GET:/api/posts | GET /api/posts | apps/web/app/api/posts/route.ts:4:1',
        'http:POST:/api/posts | POST /api/posts | apps/web/app/api/posts/route.ts:8:1',
        'http:GET:/docs/*slug | GET /docs/*slug | apps/web/app/docs/[[...slug]]/route.js:1:1',
        'http:HEAD:/docs/*slug | HEAD /docs/*slug | apps/web/app/docs/[[...slug]]/route.js:5:1',
        'http:MIDDLEWARE:/dashboard/:path* | middleware | apps/web/middleware.ts:3:1',
        'http:GET:/api/auth/*nextauth | GET /api/auth/*nextauth | apps/web/pages/api/auth/[...nextauth].ts:9:1',
        'http:POST:/api/auth/*nextauth | POST /api/auth/*nextauth | apps/web/pages/api/auth/[...nextauth].ts:9:1',
        'http:ALL:/api/hello | ALL /api/hello | apps/web/pages/api/hello.js:7:1',
        'http:DELETE:/api/users/:id | DELETE /api/users/:id | apps/web/pages/api/users/[id].ts:4:1',
        'http:GET:/api/users/:id | GET /api/users/:id | apps/web/pages/api/users/[id].ts:4:1',
      ]);
      assert.ok(r.components.every((c) => c.kind === 'http-route' && c.framework === 'nextjs'));
    });

    it('is registered: the default analysis finds the same components', () => {
      const all = analyzeFixture('nextjs');
      assert.deepEqual(
        all.components.filter((c) => c.framework === 'nextjs').map((c) => c.id),
        r.components.map((c) => c.id),
      );
      assert.ok(DETECTORS.includes(nextjsDetector));
    });

    it('gives the middleware an ALL trigger on its first matcher', () => {
      assert.deepEqual(component(r, 'http:MIDDLEWARE:/dashboard/:path*').trigger, {
        type: 'http',
        method: 'ALL',
        path: '/dashboard/:path*',
      });
    });

    it('points at the handler when it is declared apart from the export', () => {
      assert.deepEqual(component(r, 'http:ALL:/api/hello').handler, {
        file: 'apps/web/pages/api/hello.js',
        line: 3,
        column: 1,
      });
      assert.deepEqual(component(r, 'http:DELETE:/api/posts/:id').handler, {
        file: 'apps/web/app/api/posts/[id]/route.ts',
        line: 8,
        column: 1,
      });
    });

    it('attributes the module-level store to the routes that use it (both methods of one pages/api handler)', () => {
      assert.deepEqual(findingKeys(r), ['apps/web/lib/store.ts:7 test-module-map']);
      assert.deepEqual(r.findings[0]!.components, [
        'http:DELETE:/api/posts/:id',
        'http:DELETE:/api/users/:id',
        'http:GET:/api/posts',
        'http:GET:/api/posts/:id',
        'http:GET:/api/users/:id',
        'http:POST:/api/posts',
      ]);
      assert.deepEqual(component(r, 'http:ALL:/api/hello').findings, []);
    });
  });

  describe('app router', () => {
    it('maps segments (dynamic, catch-all, groups and slots dropped, the root route) and lets app/ shadow src/app/', () => {
      const r = analyzeNext({
        'app/route.ts': 'export function GET() { return new Response("root"); }\n',
        'app/(shop)/products/[id]/reviews/route.ts': 'export async function GET() { return Response.json([]); }\n',
        'app/files/[...path]/route.ts': 'export async function PUT() { return new Response(null); }\n',
        'app/@modal/login/route.ts': 'export async function POST() { return new Response(null); }\n',
        'src/app/ignored-because-root-app-wins/route.ts': 'export function PATCH() { return new Response(null); }\n',
      });
      assert.deepEqual(names(r), ['GET /', 'GET /products/:id/reviews', 'POST /login', 'PUT /files/*path']);
    });

    it('reads every exported method form and ignores the other exports', () => {
      const r = analyzeNext({
        'src/app/api/items/route.ts': `
import { withAuth } from '../../../lib/auth';
export const runtime = 'edge';
export const revalidate = 60;
export function helper() {}
export async function GET() { return Response.json([]); }
export const POST = withAuth(async (req: Request) => new Response(await req.text()));
async function del() { return new Response(null); }
export { del as DELETE, helper as util };
export type OPTIONS = string;
`,
        'src/lib/auth.ts': 'export const withAuth = (fn: (r: Request) => Promise<Response>) => fn;\n',
      });
      assert.deepEqual(summary(r), [
        'http:GET:/api/items | GET /api/items | src/app/api/items/route.ts:6:1',
        'http:POST:/api/items | POST /api/items | src/app/api/items/route.ts:7:1',
        'http:DELETE:/api/items | DELETE /api/items | src/app/api/items/route.ts:9:10',
      ]);
    });

    it('follows methods re-exported from another file for attribution', () => {
      const r = analyzeNext({
        'app/api/stats/route.ts': "export { GET } from '../../../server/stats';\n",
        'server/stats.ts': `
const hits = new Map<string, number>();
export async function GET() {
  hits.set('x', (hits.get('x') ?? 0) + 1);
  return Response.json(Object.fromEntries(hits));
}
`,
      });
      assert.deepEqual(summary(r), ['http:GET:/api/stats | GET /api/stats | app/api/stats/route.ts:1:10']);
      assert.deepEqual(findingKeys(r), ['server/stats.ts:2 test-module-map']);
      assert.deepEqual(r.findings[0]!.components, ['http:GET:/api/stats']);
    });

    it('ignores route.ts outside app/, private folders, tests and pages', () => {
      const r = analyzeNext({
        'lib/route.ts': 'export function GET() { return new Response(""); }\n',
        'components/app/route.ts': 'export function GET() { return new Response(""); }\n',
        'app/_lib/route.ts': 'export function GET() { return new Response(""); }\n',
        'app/api/x/route.test.ts': 'export function GET() { return new Response(""); }\n',
        'app/about/page.tsx': 'export default function About() { return <p>about</p>; }\n',
        'app/layout.tsx':
          'export default function Layout({ children }: { children: unknown }) { return <html>{children}</html>; }\n',
      });
      assert.deepEqual(r.components, []);
    });
  });

  describe('pages/api', () => {
    it('maps index files and reads literal method checks, or ALL without them', () => {
      const r = analyzeNext({
        'src/pages/api/index.ts': 'export default function handler(req: any, res: any) { res.end(); }\n',
        'src/pages/api/orders/index.ts': `
export default async (req: any, res: any) => {
  if (req.method !== 'POST') return res.status(405).end();
  res.status(201).end();
};
`,
        'src/pages/api/orders/[orderId]/items.ts': `
export default function items(request: any, response: any) {
  if (['GET', 'HEAD'].includes(request.method)) return response.json([]);
  response.status(405).end();
}
`,
        'src/pages/api/echo.ts': `
const other = { method: 'PUT' };
export default function echo(req: any, res: any) {
  if (other.method === 'PUT') res.end('not about the request');
  res.end();
}
`,
        'src/pages/api/lib/helpers.ts': 'export function notAHandler() {}\n',
      });
      assert.deepEqual(names(r), [
        'ALL /api',
        'ALL /api/echo',
        'GET /api/orders/:orderId/items',
        'HEAD /api/orders/:orderId/items',
        'POST /api/orders',
      ]);
    });

    it('reads a CommonJS module.exports handler', () => {
      const r = analyzeNext({
        'pages/api/legacy.js': `
module.exports = function legacy(req, res) {
  switch (req.method) {
    case 'GET': return res.json({});
    default: return res.status(405).end();
  }
};
`,
      });
      assert.deepEqual(summary(r), ['http:GET:/api/legacy | GET /api/legacy | pages/api/legacy.js:2:1']);
    });
  });

  describe('project roots', () => {
    it('recognises a Next project by its next.config without next in its package.json', () => {
      const r = analyzeFiles(
        {
          'site/package.json': JSON.stringify({ name: 'site', dependencies: { react: '18.3.1' } }),
          'site/next.config.js': 'module.exports = {};\n',
          'site/pages/api/ping.ts': 'export default function ping(req: any, res: any) { res.end("pong"); }\n',
        },
        { detectors },
      );
      assert.deepEqual(summary(r), ['http:ALL:/api/ping | ALL /api/ping | site/pages/api/ping.ts:1:1']);
    });

    it('detects nothing in a project that does not use Next', () => {
      const r = analyzeFiles(
        {
          'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.19.2' } }),
          'pages/api/ping.ts': 'export default function ping(req: any, res: any) { res.end("pong"); }\n',
          'app/users/route.ts': 'export function GET() { return []; }\n',
          'middleware.ts': 'export function middleware() {}\n',
        },
        { detectors },
      );
      assert.deepEqual(r.components, []);
    });

    it('detects nothing without any package.json or next.config', () => {
      const r = analyzeFiles(
        { 'pages/api/ping.ts': 'export default function ping(req: any, res: any) { res.end(); }\n' },
        { detectors },
      );
      assert.deepEqual(r.components, []);
    });
  });

  describe('middleware', () => {
    it('uses /* without a config and reads matcher strings and { source } objects', () => {
      const noConfig = analyzeNext({
        'middleware.ts': 'export default function mw(req: Request) { return undefined; }\n',
      });
      assert.deepEqual(summary(noConfig), ['http:MIDDLEWARE:/* | middleware | middleware.ts:1:1']);
      assert.deepEqual(noConfig.components[0]!.trigger, { type: 'http', method: 'ALL', path: '/*' });

      const str = analyzeNext({
        'src/middleware.ts':
          "export const middleware = (req: Request) => undefined;\nexport const config = { matcher: '/admin/:path*' };\n",
      });
      assert.deepEqual(summary(str), ['http:MIDDLEWARE:/admin/:path* | middleware | src/middleware.ts:1:1']);

      const source = analyzeNext({
        'middleware.js':
          "export function middleware() {}\nexport const config = { matcher: [{ source: '/api/:path*', has: [] }] };\n",
      });
      assert.deepEqual(names(source), ['middleware']);
      assert.equal(source.components[0]!.id, 'http:MIDDLEWARE:/api/:path*');
    });

    it('ignores a middleware.ts that is not at the project root or src/, and one without a middleware export', () => {
      const r = analyzeNext({
        'lib/middleware.ts': 'export function middleware() {}\n',
        'app/middleware.ts': 'export function middleware() {}\n',
        'middleware.ts': 'export function notMiddleware() {}\n',
      });
      assert.deepEqual(r.components, []);
    });
  });
});
