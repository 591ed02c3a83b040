import { ts } from '../ts';
import type { Detector } from '../scan/detector';
import { importOf } from '../scan/scanner';
import { routerDetector, stringsOf, type InstanceCall, type InstanceRules, type RouteGraph } from './routeGraph';
import { stringValue } from './util';

const VERBS = new Set(['get', 'post', 'put', 'delete', 'patch', 'options', 'all']);
/** Methods that return the app they are called on (`new Hono().get(...).post(...)`). */
const CHAIN = new Set([...VERBS, 'on', 'route', 'use', 'notFound', 'onError']);
const METHODS = CHAIN;
const MENTIONS = ['hono'];

const rules: InstanceRules = {
  mentions: MENTIONS,
  methods: METHODS,
  chain: CHAIN,
  // `app.basePath('/api')` is the same router under a longer path.
  derive: new Set(['basePath']),
  create(fi, expr) {
    if (!ts.isNewExpression(expr)) return undefined;
    const imp = importOf(fi, expr.expression);
    if (!imp) return undefined;
    const hono = (imp.module === 'hono' || imp.module.startsWith('hono/')) && imp.name === 'Hono';
    const openapi = imp.module === '@hono/zod-openapi' && imp.name === 'OpenAPIHono';
    return hono || openapi ? { prefix: '', role: 'app' } : undefined;
  },
};

function interpret(g: RouteGraph, { ref, file, sf, call, method, args }: InstanceCall): void {
  if (VERBS.has(method)) {
    // `app.get(handler)` (no path) continues the previous route of a chain: not a new one.
    const paths = stringsOf(args[0], sf);
    if (!paths || args.length < 2) return;
    g.route(ref, file, call, [method.toUpperCase()], paths, args.slice(1));
  } else if (method === 'on') {
    const methods = stringsOf(args[0], sf);
    const paths = stringsOf(args[1], sf);
    if (!methods || !paths || args.length < 3) return;
    g.route(
      ref,
      file,
      call,
      methods.map((m) => m.toUpperCase()),
      paths,
      args.slice(2),
    );
  } else if (method === 'route') {
    const path = stringValue(args[0], sf);
    if (path === undefined || !args[1]) return;
    g.mount(ref, file, call, [path], g.instanceOf(file, args[1])?.inst);
  } else if (method === 'use') {
    // Middleware for every path; under a narrower pattern it applies to part of the routes only, left out.
    const path = stringValue(args[0], sf);
    if (path === undefined) g.use(ref, file, call, [...args]);
    else if (path === '*' || path === '/*') g.use(ref, file, call, args.slice(1));
  }
}

export const honoDetector: Detector = routerDetector({ framework: 'hono', rules, interpret });
