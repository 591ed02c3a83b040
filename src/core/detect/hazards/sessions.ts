import { ts } from '../../ts';
import type { Detector, FileContext } from '../../scan/detector';
import { objectProp } from '../util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

/** Session middleware whose default store is process memory. */
const SESSION_MODULES = new Set(['express-session', '@fastify/session', 'fastify-session']);

function visit(n: ts.Node, ctx: FileContext): void {
  if (n.kind !== SK.CallExpression) return;
  const node = n as ts.CallExpression;
  const imp = ctx.importOf(node.expression);
  let opts: ts.Expression | undefined;
  let lib: string | undefined;
  if (imp && SESSION_MODULES.has(imp.module) && (imp.name === 'default' || imp.name === '*')) {
    lib = imp.module;
    opts = node.arguments[0];
  } else if (
    node.expression.kind === SK.PropertyAccessExpression &&
    (node.expression as ts.PropertyAccessExpression).name.text === 'register' &&
    node.arguments[0]
  ) {
    // fastify.register(fastifySession, { ... })
    const plugin = ctx.importOf(node.arguments[0]);
    if (plugin && SESSION_MODULES.has(plugin.module)) {
      lib = plugin.module;
      opts = node.arguments[1];
    }
  }
  if (!lib) return;
  if (opts && !ts.isObjectLiteralExpression(opts)) return; // options built elsewhere: cannot tell
  const store = objectProp(opts, 'store');
  if (store && !/MemoryStore/.test(store.getText())) return;
  ctx.fact({
    ruleId: 'in-memory-session-store',
    hazard: 'in-memory-session',
    severity: 'error',
    message: `${lib} keeps sessions in process memory (${store ? 'MemoryStore' : 'no `store` option'}); with functions, the next request may land on another instance that does not know the session, and users are logged out at random.`,
    fix: 'Give it a shared store (connect-redis, connect-dynamodb, @fastify/session with a Redis store) or switch to stateless signed tokens (JWT, encrypted cookies).',
    node,
    attrs: { library: lib },
  });
}

export const sessionsDetector: Detector = {
  id: 'sessions',
  mentions: ['session'],
  kinds: [SK.CallExpression],
  visit,
};
