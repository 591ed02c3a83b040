import { ts } from '../ts';
import type { Detector, FileContext, LinkContext } from '../scan/detector';
import { isFunctionLike } from '../scan/project';
import { enclosingUnit } from '../scan/resolve';
import { importOf } from '../scan/scanner';
import type { FileIndex } from '../scan/types';
import {
  functionName,
  isHandlerLike,
  nameText,
  objectLiteralOf,
  ownerUnit,
  propNode,
  rootStep,
  stepCalling,
  traceAcross,
  unwrap,
  variableOrParameterOf,
  type Chain,
} from './trace';
import { objectProp, stringValue } from './util';

/** Read once: the compiler API's exports are getters, too slow for per-node checks. */
const SK = ts.SyntaxKind;

type CandidateKind = 'bullmq' | 'bull' | 'amqp' | 'kafka' | 'sqs-consumer' | 'sqs-receive' | 'pubsub';

interface Candidate {
  kind: CandidateKind;
  node: ts.CallExpression | ts.NewExpression;
}

interface QueueData {
  candidates: Candidate[];
}

const SQS_MODULES = new Set(['aws-sdk', 'aws-sdk/clients/sqs', '@aws-sdk/client-sqs']);
const AMQP_MODULES = new Set(['amqplib', 'amqplib/callback_api']);

/** A BullMQ processor given as a file path runs in a sandboxed child process: nothing in this file handles it. */
function isProcessorPath(e: ts.Expression, fi: FileIndex): boolean {
  const v = unwrap(e);
  if (ts.isStringLiteralLike(v) || ts.isTemplateExpression(v)) return true;
  if (ts.isNewExpression(v) && ts.isIdentifier(v.expression) && v.expression.text === 'URL') return true;
  if (ts.isCallExpression(v)) {
    const imp = importOf(fi, v.expression);
    return !!imp && (imp.module === 'path' || imp.module === 'node:path');
  }
  if (ts.isIdentifier(v)) {
    const d = variableOrParameterOf(v) ?? fi.topDecls.get(v.text);
    if (d && ts.isVariableDeclaration(d) && d.initializer) return isProcessorPath(d.initializer, fi);
  }
  return false;
}

/** The loop that makes a receive call a poller: an enclosing `while` / `do` / `for(;;)`, or a function that calls itself. */
function pollingLoop(call: ts.Node): { loop: ts.Node; fn?: ts.FunctionLikeDeclaration } | undefined {
  for (let n = call.parent; n; n = n.parent) {
    if (ts.isWhileStatement(n) || ts.isDoStatement(n) || (ts.isForStatement(n) && !n.condition)) {
      let fn: ts.Node | undefined = n.parent;
      while (fn && !isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
      return { loop: n, fn: fn && isFunctionLike(fn) ? fn : undefined };
    }
    if (isFunctionLike(n)) return callsItself(n) ? { loop: n, fn: n } : undefined;
  }
  return undefined;
}

/** `function poll() { ...; setTimeout(poll, 1000) }` or `this.poll()` from inside `poll`. */
function callsItself(fn: ts.FunctionLikeDeclaration): boolean {
  const name = functionName(fn);
  if (!name || !fn.body) return false;
  let hit = false;
  const walk = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isIdentifier(n) && n.text === name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n))
      hit = true;
    else if (
      ts.isPropertyAccessExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ThisKeyword &&
      n.name.text === name
    )
      hit = true;
    else ts.forEachChild(n, walk);
  };
  walk(fn.body);
  return hit;
}

/** The QueueUrl of a ReceiveMessage call's params, inline or in a local / module constant. */
function queueUrlOf(params: ts.Node | undefined, fi: FileIndex): string | undefined {
  let obj = objectLiteralOf(params);
  if (!obj && params && ts.isIdentifier(params)) {
    const d = fi.topDecls.get(params.text);
    if (d && ts.isVariableDeclaration(d) && d.initializer && ts.isObjectLiteralExpression(unwrap(d.initializer))) {
      obj = unwrap(d.initializer) as ts.ObjectLiteralExpression;
    }
  }
  const url = objectProp(obj, 'QueueUrl');
  if (!url) return undefined;
  return stringValue(url, url.getSourceFile()) ?? url.getText();
}

/** Topic names of `consumer.subscribe({ topic })` / `({ topics: [...] })` on the same receiver, nearest scope first. */
function kafkaTopics(run: ts.CallExpression, receiver: string): string[] {
  const topics: string[] = [];
  const collect = (scope: ts.Node): void => {
    const walk = (n: ts.Node): void => {
      if (
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        n.expression.name.text === 'subscribe' &&
        n.expression.expression.getText() === receiver
      ) {
        const opts = objectLiteralOf(n.arguments[0]);
        const one = objectProp(opts, 'topic');
        const many = objectProp(opts, 'topics');
        const add = (t: ts.Node): void => {
          const s = nameText(t);
          if (!topics.includes(s)) topics.push(s);
        };
        if (one) add(one);
        if (many && ts.isArrayLiteralExpression(many)) many.elements.forEach(add);
        else if (many) add(many);
      }
      ts.forEachChild(n, walk);
    };
    walk(scope);
  };
  let fn: ts.Node | undefined = run.parent;
  while (fn && !isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  if (fn) collect(fn);
  if (!topics.length) collect(run.getSourceFile());
  return topics;
}

function visit(node: ts.Node, ctx: FileContext): void {
  if (node.kind === SK.NewExpression) {
    const ne = node as ts.NewExpression;
    const imp = ctx.importOf(ne.expression);
    if (!imp) return;
    const kind: CandidateKind | undefined =
      imp.module === 'bullmq' && imp.name === 'Worker'
        ? 'bullmq'
        : imp.module === 'sqs-consumer' && imp.name === 'Consumer'
          ? 'sqs-consumer'
          : imp.module === '@aws-sdk/client-sqs' && imp.name === 'ReceiveMessageCommand'
            ? 'sqs-receive'
            : undefined;
    if (kind) ctx.data<QueueData>(() => ({ candidates: [] })).candidates.push({ kind, node: ne });
    return;
  }
  if (node.kind !== SK.CallExpression) return;
  const call = node as ts.CallExpression;
  const callee = call.expression as ts.PropertyAccessExpression;
  if (callee.kind !== SK.PropertyAccessExpression) return;
  let kind: CandidateKind | undefined;
  switch (callee.name.text) {
    case 'process':
      kind = 'bull';
      break;
    case 'consume':
      kind = 'amqp';
      break;
    case 'run':
      kind = 'kafka';
      break;
    case 'receiveMessage':
      kind = 'sqs-receive';
      break;
    case 'create': {
      const imp = ctx.importOf(callee);
      if (imp?.module === 'sqs-consumer' && imp.name === 'Consumer.create') kind = 'sqs-consumer';
      break;
    }
    case 'on': {
      const ev = call.arguments[0];
      if (
        ev &&
        (ev.kind === SK.StringLiteral || ev.kind === SK.NoSubstitutionTemplateLiteral) &&
        (ev as ts.StringLiteralLike).text === 'message'
      )
        kind = 'pubsub';
      break;
    }
  }
  if (kind) ctx.data<QueueData>(() => ({ candidates: [] })).candidates.push({ kind, node: call });
}

const POLLING_FIX =
  'Let the platform poll: an SQS event source mapping (Lambda) or a queue trigger invokes a function with each batch; move the loop body into that handler (reporting batch item failures), or keep this poller in a container.';

function link(ctx: LinkContext): void {
  const { project, resolver } = ctx;
  const polled = new Set<ts.Node>();
  for (const [file, data] of ctx.data<QueueData>()) {
    const fi = project.files.get(file);
    if (!fi) continue;
    const trace = (e: ts.Expression): Chain => traceAcross(project, resolver, file, e);
    const text = (e: ts.Node): string => nameText(e, project, resolver, file);
    for (const { kind, node } of data.candidates) {
      const args: readonly ts.Expression[] = node.arguments ?? [];
      switch (kind) {
        case 'bullmq': {
          const name = args[0] ? text(args[0]) : '?';
          const proc = args[1];
          const handlers = proc && !isProcessorPath(proc, fi) ? [proc] : [];
          ctx.component({
            kind: 'queue-consumer',
            name: `bullmq worker "${name}"`,
            framework: 'bullmq',
            trigger: { type: 'queue', system: 'bullmq', queue: name },
            node,
            file,
            handlers,
          });
          break;
        }
        case 'bull': {
          const callee = node.expression as ts.PropertyAccessExpression;
          const chain = trace(callee.expression);
          const ctor = rootStep(chain);
          if (chain.root?.module !== 'bull' || !ctor || !ctor.arguments?.[0]) break;
          const queue = nameText(ctor.arguments[0], project, resolver, ctor.getSourceFile().fileName);
          // process([name,] [concurrency,] handler): a leading string names the job type.
          const job = args.length > 1 && ts.isStringLiteralLike(args[0]!) ? args[0].text : undefined;
          const last = args[args.length - 1];
          const handlers = last && isHandlerLike(last) && !ts.isStringLiteralLike(last) ? [last] : [];
          ctx.component({
            kind: 'queue-consumer',
            name: job ? `bull queue "${queue}" job "${job}"` : `bull queue "${queue}"`,
            framework: 'bull',
            trigger: { type: 'queue', system: 'bull', queue },
            node,
            file,
            handlers,
            ...(job ? { id: `queue:bull:${queue}:${job}` } : {}),
          });
          break;
        }
        case 'amqp': {
          const callee = node.expression as ts.PropertyAccessExpression;
          const chain = trace(callee.expression);
          if (!chain.root || !AMQP_MODULES.has(chain.root.module) || !args[0]) break;
          let queue = text(args[0]);
          // `ch.consume(q.queue, ...)` of `const q = await ch.assertQueue('jobs')`.
          const qArg = unwrap(args[0]);
          if (ts.isPropertyAccessExpression(qArg) && qArg.name.text === 'queue' && ts.isIdentifier(qArg.expression)) {
            const d = variableOrParameterOf(qArg.expression);
            const init = d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
            const named =
              init && ts.isCallExpression(init) && init.arguments[0]
                ? stringValue(init.arguments[0], fi.sf)
                : undefined;
            if (named) queue = named;
          }
          ctx.component({
            kind: 'queue-consumer',
            name: `amqp consumer "${queue}"`,
            framework: 'amqplib',
            trigger: { type: 'queue', system: 'amqp', queue },
            node,
            file,
            handlers: isHandlerLike(args[1]) ? [args[1]] : [],
          });
          break;
        }
        case 'kafka': {
          const callee = node.expression as ts.PropertyAccessExpression;
          const opts = objectLiteralOf(args[0]);
          const handlers = [propNode(opts, 'eachMessage'), propNode(opts, 'eachBatch')].filter(
            (h): h is ts.Node => !!h,
          );
          if (!handlers.length) break;
          const chain = trace(callee.expression);
          const consumerCall = stepCalling(chain, 'consumer');
          if (chain.root?.module !== 'kafkajs' || !consumerCall) break;
          const groupNode = objectProp(objectLiteralOf(consumerCall.arguments?.[0]), 'groupId');
          const group = groupNode
            ? nameText(groupNode, project, resolver, consumerCall.getSourceFile().fileName)
            : undefined;
          const topics = kafkaTopics(node as ts.CallExpression, callee.expression.getText());
          const queue = topics.length ? topics.join(',') : (group ?? '?');
          ctx.component({
            kind: 'queue-consumer',
            name: `kafka consumer "${topics.join(', ') || '?'}"${group ? ` group "${group}"` : ''}`,
            framework: 'kafkajs',
            trigger: { type: 'queue', system: 'kafka', queue },
            node,
            file,
            handlers,
          });
          ctx.fact(
            file,
            {
              ruleId: 'kafka-consumer-run',
              hazard: 'long-running',
              severity: 'warning',
              message:
                '`consumer.run()` keeps a Kafka consumer-group session open and fetches forever; a function is stopped at its timeout and loses its group membership between invocations, which triggers rebalances.',
              fix: 'Let the platform consume for you (a Lambda event source mapping for MSK or self-managed Kafka, a Kafka trigger on Azure / GCP) and move eachMessage into its handler, or keep this consumer in a container.',
              node,
            },
            ownerUnit(resolver, file, handlers[0], node),
          );
          break;
        }
        case 'sqs-consumer': {
          const opts = objectLiteralOf(args[0]);
          const urlNode = objectProp(opts, 'queueUrl');
          const queue = urlNode ? text(urlNode) : '?';
          const handlers = [propNode(opts, 'handleMessage'), propNode(opts, 'handleMessageBatch')].filter(
            (h): h is ts.Node => !!h,
          );
          ctx.component({
            kind: 'queue-consumer',
            name: `sqs consumer "${queue}"`,
            framework: 'sqs-consumer',
            trigger: { type: 'queue', system: 'sqs', queue },
            node,
            file,
            handlers,
          });
          ctx.fact(
            file,
            {
              ruleId: 'sqs-consumer-polling',
              hazard: 'long-running',
              severity: 'warning',
              message:
                'sqs-consumer long-polls the queue in a loop that never returns; a function is billed per invocation and stopped at its timeout, so it cannot host the loop.',
              fix: POLLING_FIX,
              node,
            },
            ownerUnit(resolver, file, handlers[0], node),
          );
          break;
        }
        case 'sqs-receive': {
          let params: ts.Node | undefined;
          let framework: string;
          if (ts.isNewExpression(node)) {
            params = args[0];
            framework = '@aws-sdk/client-sqs';
          } else {
            const callee = node.expression as ts.PropertyAccessExpression;
            const chain = trace(callee.expression);
            if (!chain.root || !SQS_MODULES.has(chain.root.module)) break;
            params = args[0];
            framework = chain.root.module === '@aws-sdk/client-sqs' ? '@aws-sdk/client-sqs' : 'aws-sdk';
          }
          const found = pollingLoop(node);
          if (!found || polled.has(found.loop)) break;
          polled.add(found.loop);
          const queue = queueUrlOf(params, fi) ?? '?';
          const loopUnit = enclosingUnit(found.loop) ?? 0;
          ctx.component({
            kind: 'queue-consumer',
            name: `sqs poll "${queue}"`,
            framework,
            trigger: { type: 'queue', system: 'sqs-poll', queue },
            node: found.loop,
            file,
            handlers: found.fn ? [found.fn] : [],
            ...(found.fn ? {} : { extraUnits: [loopUnit] }),
          });
          ctx.fact(
            file,
            {
              ruleId: 'unbounded-polling-loop',
              hazard: 'long-running',
              severity: 'warning',
              message:
                'This loop polls the queue forever: a function is billed per invocation and stopped at its timeout, so it cannot run a loop that never returns.',
              fix: POLLING_FIX,
              node: found.loop,
            },
            loopUnit,
          );
          break;
        }
        case 'pubsub': {
          const callee = node.expression as ts.PropertyAccessExpression;
          const chain = trace(callee.expression);
          const sub = stepCalling(chain, 'subscription');
          if (chain.root?.module !== '@google-cloud/pubsub' || !sub?.arguments?.[0]) break;
          const name = nameText(sub.arguments[0], project, resolver, sub.getSourceFile().fileName);
          ctx.component({
            kind: 'queue-consumer',
            name: `pubsub subscription "${name}"`,
            framework: '@google-cloud/pubsub',
            trigger: { type: 'queue', system: 'pubsub', queue: name },
            node,
            file,
            handlers: isHandlerLike(args[1]) ? [args[1]] : [],
          });
          break;
        }
      }
    }
  }
}

export const queuesDetector: Detector = {
  id: 'queues',
  // Module names, plus the method calls of consumers whose client is imported from another analysed file.
  mentions: [
    'bull',
    'amqplib',
    'kafkajs',
    'sqs-consumer',
    'client-sqs',
    'aws-sdk',
    '@google-cloud/pubsub',
    '.process(',
    '.consume(',
    '.run(',
    'receiveMessage',
    ".on('message'",
    '.on("message"',
  ],
  kinds: [SK.NewExpression, SK.CallExpression],
  visit,
  link,
};
