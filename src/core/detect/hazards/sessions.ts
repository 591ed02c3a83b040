import { ts } from 'ts-morph';
import type { Detector, FileContext } from '../../scan/detector';
import { objectProp } from '../util';

/** Session middleware whose default store is process memory. */
const SESSION_MODULES = new Set(['express-session', '@fastify/session', 'fastify-session']);

function visit(node: ts.Node, ctx: FileContext): void {
  if (!ts.isCallExpression(node)) return;
  const imp = ctx.importOf(node.expression);
  let opts: ts.Expression | undefined;
  let lib: string | undefined;
  if (imp && SESSION_MODULES.has(imp.module) && (imp.name === 'default' || imp.name === '*')) {
    lib = imp.module;
    opts = node.arguments[0];
  } else if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'register' && node.arguments[0]) {
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
  visit,
};
