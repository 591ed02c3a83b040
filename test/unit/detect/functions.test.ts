import * as assert from 'node:assert/strict';
import { functionsDetector } from '../../../src/core/detect/functions';
import { parseFunctionManifest, splitHandler } from '../../../src/core/detect/functionManifests';
import { DETECTORS } from '../../../src/core/detect/registry';
import type { Report } from '../../../src/core/model';
import { analyzeFixture } from '../helpers';
import { analyzer, reached, summaryWith, timerProbe } from '../probes';

const detectors = [functionsDetector, timerProbe];
const run = analyzer(detectors);
const fixture = (name: string): Report => analyzeFixture(name, { detectors });
/** `id | name | event | file:line:column` of every component, in report order. */
const summary = summaryWith('name', 'event');
const ids = (r: Report): string[] => r.components.map((c) => c.id);

describe('functions detector', () => {
  it('is registered', () => {
    assert.ok(DETECTORS.includes(functionsDetector));
  });

  describe('AWS Lambda handlers in code', () => {
    it('finds the handlers of the lambda fixture and attributes what they call', () => {
      const r = fixture('lambda');
      assert.deepEqual(summary(r), [
        'function:aws-lambda:src/jobs/nightly.ts#cleanup | lambda cleanup (src/jobs/nightly.ts) | scheduled | src/jobs/nightly.ts:3:1',
        'function:aws-lambda:src/legacy/notify.js#handler | lambda handler (src/legacy/notify.js) | unknown | src/legacy/notify.js:1:1',
        'function:aws-lambda:src/legacy/thumbnail.js#handler | lambda handler (src/legacy/thumbnail.js) | unknown | src/legacy/thumbnail.js:4:1',
        'function:aws-lambda:src/orders/consumer.ts#handler | lambda handler (src/orders/consumer.ts) | sqs | src/orders/consumer.ts:4:1',
        'function:aws-lambda:src/orders/create.ts#handler | lambda handler (src/orders/create.ts) | api-gateway | src/orders/create.ts:4:1',
        'function:aws-lambda:src/users/update.ts#handler | lambda handler (src/users/update.ts) | api-gateway | src/users/update.ts:11:1',
      ]);
      for (const c of r.components) {
        assert.equal(c.kind, 'function');
        assert.equal(c.framework, 'aws-lambda');
        assert.equal(c.trigger.type, 'function');
      }
      assert.deepEqual(r.components[0]!.trigger, { type: 'function', platform: 'aws-lambda', event: 'scheduled' });
      // middy(updateUser): the handler's code is the wrapped function.
      assert.deepEqual(r.components[5]!.handler, { file: 'src/users/update.ts', line: 6, column: 1 });
      assert.deepEqual(reached(r), [
        'src/legacy/resize.js:2 -> function:aws-lambda:src/legacy/thumbnail.js#handler',
        'src/lib/orders.ts:5 -> function:aws-lambda:src/orders/consumer.ts#handler, function:aws-lambda:src/orders/create.ts#handler',
      ]);
    });

    it('reads the event from every aws-lambda type form', () => {
      const r = run({
        'a.ts': `import type { SNSHandler } from 'aws-lambda';\nexport const onTopic: SNSHandler = async () => {};\n`,
        'b.ts': `import type { Handler, S3Event } from 'aws-lambda';\nexport const handler: Handler<S3Event> = async (e) => e;\n`,
        'c.ts': `import type { DynamoDBStreamHandler } from '@types/aws-lambda';\nexport const handler: DynamoDBStreamHandler = async () => {};\n`,
        'd.ts': `import type { EventBridgeHandler } from 'aws-lambda';\nexport const handler: EventBridgeHandler<'x', {}, void> = async () => {};\n`,
        'e.ts': `import type { APIGatewayProxyResultV2 } from 'aws-lambda';\nexport async function main(event: unknown): Promise<APIGatewayProxyResultV2> { return { statusCode: 200 }; }\n`,
        'f.ts': `import type { Context } from 'aws-lambda';\nexport const worker = async (input: { n: number }, ctx: Context) => input.n;\n`,
        'g.ts': `import type { Handler } from 'aws-lambda';\nexport const handler: Handler = async () => 1;\n`,
        'h.ts': `import type { ALBHandler } from 'aws-lambda';\nexport const handler = (async () => ({ statusCode: 200 })) satisfies ALBHandler;\n`,
      });
      assert.deepEqual(
        r.components.map((c) => `${c.id} ${c.trigger.type === 'function' ? c.trigger.event : ''}`),
        [
          'function:aws-lambda:a.ts#onTopic sns',
          'function:aws-lambda:b.ts#handler s3',
          'function:aws-lambda:c.ts#handler dynamodb-stream',
          'function:aws-lambda:d.ts#handler eventbridge',
          'function:aws-lambda:e.ts#main api-gateway',
          'function:aws-lambda:f.ts#worker unknown',
          'function:aws-lambda:g.ts#handler unknown',
          'function:aws-lambda:h.ts#handler alb',
        ],
      );
    });

    it('recognises the export forms of ES modules and CommonJS', () => {
      const r = run({
        'esm/fn.ts': `export async function handler(event, context) { return event; }\n`,
        'esm/renamed.ts': `async function main(event, context) { return event; }\nexport { main as handler };\n`,
        'cjs/obj.js': `module.exports = {\n  handler: async (event, context) => event,\n  helper: () => 1,\n};\n`,
        'cjs/named.js': `async function run(event, context) { return 1; }\nmodule.exports.handler = run;\n`,
        'cjs/exports.js': `exports.handler = async function (event, context) { return 1; };\n`,
        'plain.js': `exports.handler = async (event) => {\n  return { statusCode: 200, body: 'ok' };\n};\n`,
      });
      assert.deepEqual(summary(r), [
        'function:aws-lambda:cjs/exports.js#handler | lambda handler (cjs/exports.js) | unknown | cjs/exports.js:1:1',
        'function:aws-lambda:cjs/named.js#handler | lambda handler (cjs/named.js) | unknown | cjs/named.js:1:1',
        'function:aws-lambda:cjs/obj.js#handler | lambda handler (cjs/obj.js) | unknown | cjs/obj.js:2:3',
        'function:aws-lambda:esm/fn.ts#handler | lambda handler (esm/fn.ts) | unknown | esm/fn.ts:1:1',
        'function:aws-lambda:esm/renamed.ts#handler | lambda handler (esm/renamed.ts) | unknown | esm/renamed.ts:1:1',
        'function:aws-lambda:plain.js#handler | lambda handler (plain.js) | api-gateway | plain.js:1:1',
      ]);
    });

    it('recognises middy chains and HTTP app adapters', () => {
      const r = run({
        'm1.ts': `import middy from '@middy/core';\nimport type { SQSEvent } from 'aws-lambda';\nexport const handler = middy<SQSEvent>().use({}).handler(async (event) => {});\n`,
        'm2.js': `const middy = require('@middy/core');\nconst base = async (event) => {};\nexports.handler = middy(base);\n`,
        'sls.ts': `import serverless from 'serverless-http';\nimport express from 'express';\nconst app = express();\nexport const handler = serverless(app);\n`,
        'hono.ts': `import { Hono } from 'hono';\nimport { handle } from 'hono/aws-lambda';\nconst app = new Hono();\nexport const handler = handle(app);\n`,
      });
      assert.deepEqual(
        r.components.map((c) => `${c.id} ${c.trigger.type === 'function' ? c.trigger.event : ''}`),
        [
          'function:aws-lambda:hono.ts#handler api-gateway',
          'function:aws-lambda:m1.ts#handler sqs',
          'function:aws-lambda:m2.js#handler unknown',
          'function:aws-lambda:sls.ts#handler api-gateway',
        ],
      );
    });

    it('attributes hazards inside the exported function and what it calls, not other exports', () => {
      const r = run({
        'src/h.ts': [
          `import type { SQSHandler } from 'aws-lambda';`,
          `import { work } from './work';`,
          `export const handler: SQSHandler = async (event) => {`,
          `  setInterval(() => {}, 10);`,
          `  await work();`,
          `};`,
          `export function unrelated() {`,
          `  setInterval(() => {}, 10);`,
          `}`,
          ``,
        ].join('\n'),
        'src/work.ts': `export async function work() {\n  setInterval(() => {}, 10);\n}\n`,
      });
      assert.deepEqual(reached(r), [
        'src/h.ts:4 -> function:aws-lambda:src/h.ts#handler',
        'src/work.ts:2 -> function:aws-lambda:src/h.ts#handler',
      ]);
    });

    it('does not take look-alikes for handlers', () => {
      const r = run({
        // Not exported: nothing can invoke it.
        'a.ts': `async function handler(event, context) { return 1; }\nexport const x = () => handler({}, {});\n`,
        // An Express error handler exported as `handler`.
        'b.ts': `export const handler = (err, req, res, next) => { res.status(500).end(); };\n`,
        // A helper that takes an API Gateway event.
        'c.ts': `import type { APIGatewayProxyEvent } from 'aws-lambda';\nexport function parseBody(event: APIGatewayProxyEvent) { return event.body; }\n`,
        // A DOM-style event handler.
        'd.ts': `export function handler(event) { event.preventDefault(); }\n`,
        // Google Cloud Functions take (event, context) too.
        'e.js': `const functions = require('@google-cloud/functions-framework');\nexports.onMessage = (event, context) => { console.log(event, context); };\n`,
        // Same type names from another library, and a middy look-alike.
        'f.ts': `import type { SQSHandler } from './types';\nexport const handler: SQSHandler = async () => {};\n`,
        'g.ts': `import middy from 'not-middy';\nexport const handler = middy(async () => {});\n`,
        'types.ts': `export type SQSHandler = () => Promise<void>;\n`,
        // Values typed with event or context types are test fixtures, not handlers.
        'fixtures.ts': `import type { Context, SQSEvent } from 'aws-lambda';\nexport const context: Context = {} as Context;\nexport const sqsEvent = { Records: [] } as SQSEvent;\n`,
        // Commented out and in strings.
        'h.ts': `// export const handler: Handler = async (event, context) => {};\nexport const doc = 'exports.handler = async (event, context) => {}';\n`,
      });
      assert.deepEqual(ids(r), []);
    });
  });

  describe('serverless.yml', () => {
    it('uses the manifest names and events for the handlers it lists', () => {
      const r = fixture('serverless-manifest');
      assert.deepEqual(summary(r), [
        'function:aws-lambda:src/handlers/orders.ts#create | createOrder (http POST /orders, http GET /orders/{id}) | http POST /orders | src/handlers/orders.ts:4:1',
        'function:aws-lambda:src/handlers/queue.ts#process | processOrder (sqs) | sqs | src/handlers/queue.ts:4:1',
        'function:aws-lambda:src/handlers/queue.ts#drain | internal | unknown | src/handlers/queue.ts:8:1',
        'function:aws-lambda:src/handlers/users.ts#list | listUsers (http GET /users) | http GET /users | src/handlers/usersImpl.ts:3:1',
        'function:aws-lambda:src/legacy/report.js#handler | nightlyReport (scheduled) | scheduled | src/legacy/report.js:4:3',
      ]);
      assert.ok(r.components.every((c) => c.framework === 'serverless' && c.kind === 'function'));
      assert.deepEqual(reached(r), [
        'src/lib/db.ts:6 -> function:aws-lambda:src/handlers/orders.ts#create, function:aws-lambda:src/handlers/queue.ts#process',
      ]);
      assert.deepEqual(r.stats.skipped, []);
    });

    it('reads manifests of nested services relative to their folder, and no deeper than two levels', () => {
      const r = run({
        'services/users/serverless.yaml': `functions:\n  getUser:\n    handler: handler.get\n    events:\n      - httpApi:\n          method: get\n          path: /users/{id}\n`,
        'services/users/handler.js': `module.exports.get = async () => ({ statusCode: 200 });\n`,
        'a/b/c/serverless.yml': `functions:\n  deep:\n    handler: h.handler\n`,
        'a/b/c/h.js': `exports.handler = async () => 1;\n`,
        'node_modules/pkg/serverless.yml': `functions:\n  vendored:\n    handler: h.handler\n`,
      });
      assert.deepEqual(summary(r), [
        'function:aws-lambda:services/users/handler.js#get | getUser (http GET /users/{id}) | http GET /users/{id} | services/users/handler.js:1:1',
      ]);
    });

    it('prefers the manifest over the code for the same handler, and keeps the code event when the manifest has none', () => {
      const r = run({
        'serverless.yml': `functions:\n  consume:\n    handler: src/q.handler\n`,
        'src/q.ts': `import type { SQSHandler } from 'aws-lambda';\nexport const handler: SQSHandler = async () => {};\n`,
      });
      assert.deepEqual(summary(r), ['function:aws-lambda:src/q.ts#handler | consume (sqs) | sqs | src/q.ts:2:1']);
    });

    it('skips a broken serverless.yml and goes on with the rest', () => {
      const r = run({
        'serverless.yml': `service: broken\nfunctions:\n  a:\n    handler: [src/a.handler\n`,
        'src/a.ts': `export const handler = async (event, context) => 1;\n`,
        'other/serverless.yml': `functions:\n  b:\n    handler: b.main\n    events:\n      - sns: topic\n`,
        'other/b.ts': `export const main = async () => 1;\n`,
      });
      assert.deepEqual(summary(r), [
        'function:aws-lambda:other/b.ts#main | b (sns) | sns | other/b.ts:1:1',
        'function:aws-lambda:src/a.ts#handler | lambda handler (src/a.ts) | unknown | src/a.ts:1:1',
      ]);
      assert.equal(r.stats.skipped.length, 1);
      assert.equal(r.stats.skipped[0]!.file, 'serverless.yml');
      assert.match(r.stats.skipped[0]!.reason, /^invalid YAML: .* at line 5, column 1$/);
    });

    it('parses the event forms of serverless.yml', () => {
      const m = parseFunctionManifest(
        'svc/serverless.yml',
        [
          'provider: { runtime: nodejs20.x }',
          'functions:',
          '  a:',
          '    handler: dist/a.handler',
          '    url: true',
          '    events:',
          '      - http: get users/{id}',
          '      - httpApi: "*"',
          '      - httpApi: { method: "*", path: /x }',
          '      - stream: { type: dynamodb, arn: !GetAtt Table.StreamArn }',
          '      - stream: arn:aws:kinesis:eu-west-1:1:stream/s',
          '      - eventBridge: { pattern: { source: [x] } }',
          '      - cognitoUserPool: { pool: p }',
          '  b:',
          '    handler: ${self:custom.h}',
          '  c:',
          '    image: repo/img',
          '',
        ].join('\n'),
      );
      assert.deepEqual(m, {
        functions: [
          {
            manifest: 'svc/serverless.yml',
            source: 'serverless',
            name: 'a',
            modules: ['svc/dist/a', 'svc/src/a', 'svc/a'],
            exportName: 'handler',
            events: [
              'http GET /users/{id}',
              'http ANY *',
              'http ANY /x',
              'dynamodb-stream',
              'kinesis',
              'eventbridge',
              'unknown',
              'function-url',
            ],
          },
        ],
      });
      assert.deepEqual(parseFunctionManifest('serverless.yml', 'functions: [oops\n'), {
        error:
          'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1',
      });
      assert.deepEqual(parseFunctionManifest('serverless.yml', '- a\n- b\n'), {
        error: 'not a mapping at the top level',
      });
    });

    it('splits handler strings the way the Node.js runtime does', () => {
      assert.deepEqual(splitHandler('src/orders/create.handler'), {
        module: 'src/orders/create',
        exportName: 'handler',
      });
      assert.deepEqual(splitHandler('index.handlers.create'), { module: 'index', exportName: 'handlers' });
      assert.deepEqual(splitHandler('v1.2/app.main'), { module: 'v1.2/app', exportName: 'main' });
      assert.equal(splitHandler('nodot'), undefined);
    });
  });

  describe('AWS SAM templates', () => {
    it('finds the functions of template.yaml despite CloudFormation tags', () => {
      const r = fixture('sam');
      assert.deepEqual(summary(r), [
        'function:aws-lambda:hello-world/app.ts#lambdaHandler | HelloWorldFunction (http GET /hello) | http GET /hello | hello-world/app.ts:4:1',
        'function:aws-lambda:orders/src/stream.js#onChange | OrderStreamFunction (dynamodb-stream, scheduled) | dynamodb-stream | orders/src/stream.js:3:1',
      ]);
      assert.ok(r.components.every((c) => c.framework === 'aws-sam'));
      assert.deepEqual(reached(r), ['shared/greet.ts:5 -> function:aws-lambda:hello-world/app.ts#lambdaHandler']);
    });

    it('applies Globals, HttpApi defaults, and skips other runtimes and broken templates', () => {
      const r = run({
        'template.yml': [
          'Transform: AWS::Serverless-2016-10-31',
          'Globals:',
          '  Function:',
          '    CodeUri: src/',
          '    Runtime: nodejs20.x',
          'Resources:',
          '  Api:',
          '    Type: AWS::Serverless::Function',
          '    Properties:',
          '      Handler: api.handler',
          '      Environment: { Variables: { NAME: !Sub "${AWS::StackName}-x", ON: !If [IsProd, a, b] } }',
          '      Events:',
          '        All: { Type: HttpApi }',
          '  Direct:',
          '    Type: AWS::Serverless::Function',
          '    Properties:',
          '      Handler: api.direct',
          '  Py:',
          '    Type: AWS::Serverless::Function',
          '    Properties:',
          '      Handler: api.handler',
          '      Runtime: python3.12',
          '',
        ].join('\n'),
        'src/api.ts': `export const handler = async () => ({ statusCode: 200 });\nexport const direct = async () => 1;\n`,
        'broken/template.yaml': 'Resources:\n  X: !Ref [\n',
      });
      assert.deepEqual(summary(r), [
        'function:aws-lambda:src/api.ts#handler | Api (http ANY *) | http ANY * | src/api.ts:1:1',
        'function:aws-lambda:src/api.ts#direct | Direct | unknown | src/api.ts:2:1',
      ]);
    });
  });

  describe('Cloudflare Workers', () => {
    it('finds the handlers and Durable Objects of the worker fixture', () => {
      const r = fixture('cloudflare-worker');
      assert.deepEqual(summary(r), [
        'function:cloudflare-workers:src/counter.ts#Counter | durable object Counter (src/counter.ts) | durable-object | src/counter.ts:3:1',
        'function:cloudflare-workers:src/index.ts#default.fetch | worker fetch (src/index.ts) | fetch | src/index.ts:11:3',
        'function:cloudflare-workers:src/index.ts#default.scheduled | worker scheduled (src/index.ts) | scheduled | src/index.ts:14:3',
        'function:cloudflare-workers:src/index.ts#default.queue | worker queue (src/index.ts) | queue | src/index.ts:17:3',
      ]);
      assert.ok(r.components.every((c) => c.framework === 'cloudflare-workers'));
      // queue: handleQueue points at the function below the object.
      assert.deepEqual(r.components[3]!.handler, { file: 'src/index.ts', line: 20, column: 1 });
      assert.deepEqual(reached(r), ['src/prices.ts:5 -> function:cloudflare-workers:src/index.ts#default.scheduled']);
    });

    it('recognises Hono, named objects, WorkerEntrypoint and implements DurableObject without wrangler.toml', () => {
      const r = run({
        'hono.ts': `import { Hono } from 'hono';\nconst app = new Hono();\nexport default { fetch: app.fetch };\n`,
        'named.ts': `const worker = {\n  async fetch(req: Request, env: unknown) { return new Response('x'); },\n};\nexport default worker;\n`,
        'entry.ts': `import { WorkerEntrypoint } from 'cloudflare:workers';\nexport default class extends WorkerEntrypoint {\n  async fetch() { return new Response('x'); }\n  add(a: number) { return a; }\n}\n`,
        'room.ts': `export class Room implements DurableObject {\n  async fetch(req: Request) { return new Response('x'); }\n}\n`,
      });
      assert.deepEqual(summary(r), [
        'function:cloudflare-workers:entry.ts#default.fetch | worker fetch (entry.ts) | fetch | entry.ts:3:3',
        'function:cloudflare-workers:hono.ts#default.fetch | worker fetch (hono.ts) | fetch | hono.ts:3:18',
        'function:cloudflare-workers:named.ts#default.fetch | worker fetch (named.ts) | fetch | named.ts:2:3',
        'function:cloudflare-workers:room.ts#Room | durable object Room (room.ts) | durable-object | room.ts:1:1',
      ]);
    });

    it('needs wrangler config for a one-argument fetch, and then only in its main file', () => {
      const files = {
        'src/index.ts': `export default {\n  async fetch(request: Request) { return new Response('hi'); },\n};\n`,
        'src/client.ts': `export default {\n  fetch(url: string) { return globalThis.fetch(url); },\n};\n`,
      };
      assert.deepEqual(ids(run(files)), []);
      assert.deepEqual(
        ids(run({ ...files, 'wrangler.toml': `name = "w"\nmain = "./src/index.ts"\n[vars]\nmain = "no"\n` })),
        ['function:cloudflare-workers:src/index.ts#default.fetch'],
      );
      assert.deepEqual(ids(run({ ...files, 'wrangler.jsonc': `{\n  "name": "w"\n}\n` })), [
        'function:cloudflare-workers:src/client.ts#default.fetch',
        'function:cloudflare-workers:src/index.ts#default.fetch',
      ]);
    });

    it('takes `fetch: app.fetch` with the app from another file only when wrangler config confirms it', () => {
      const files = {
        'src/app.ts': `import { Hono } from 'hono';\nexport const app = new Hono();\napp.get('/', (c) => c.text('hi'));\n`,
        'src/index.ts': `import { app } from './app';\nexport default { fetch: app.fetch };\n`,
      };
      assert.deepEqual(ids(run(files)), []);
      const r = run({ ...files, 'wrangler.toml': `name = "w"\nmain = "src/index.ts"\n` });
      assert.deepEqual(summary(r), [
        'function:cloudflare-workers:src/index.ts#default.fetch | worker fetch (src/index.ts) | fetch | src/index.ts:2:18',
      ]);
    });

    it('does not take look-alikes for Workers', () => {
      const r = run({
        // `fetch` is not a function here.
        'a.ts': `const fetch = 'https://example.com';\nexport default { fetch };\n`,
        'b.ts': `export default { fetch };\n`,
        'c.ts': `export default { fetch: true, scheduled: 'daily' };\n`,
        // Bun's server object has the same shape.
        'd.ts': `export default {\n  port: 3000,\n  fetch(req: Request, server: unknown) { return new Response('bun'); },\n};\n`,
        // A class called DurableObject from elsewhere, and a plain class.
        'e.ts': `import { DurableObject } from './base';\nexport class Store extends DurableObject {}\n`,
        'base.ts': `export class DurableObject {}\nexport class Plain { fetch(a: Request, b: unknown) { return a; } }\n`,
        // Not the default export.
        'f.ts': `export const worker = { async fetch(req: Request, env: unknown) { return new Response(''); } };\n`,
      });
      assert.deepEqual(ids(r), []);
    });
  });

  describe('Vercel functions', () => {
    it('finds the functions of the vercel fixture', () => {
      const r = fixture('vercel');
      assert.deepEqual(summary(r), [
        'function:vercel:api/health.ts#GET | vercel function GET (api/health.ts) | http GET /api/health | api/health.ts:1:1',
        'function:vercel:api/hello.js#default | vercel function (api/hello.js) | http ANY /api/hello | api/hello.js:1:1',
        'function:vercel:api/index.ts#default | vercel function (api/index.ts) | http ANY /api | api/index.ts:1:1',
        'function:vercel:api/users/[id].ts#default | vercel function (api/users/[id].ts) | http ANY /api/users/[id] | api/users/[id].ts:4:1',
      ]);
      assert.ok(r.components.every((c) => c.framework === 'vercel'));
      assert.deepEqual(reached(r), ['lib/cache.ts:5 -> function:vercel:api/users/[id].ts#default']);
    });

    it('needs @vercel/node types or a Vercel project for api/ files', () => {
      const untyped = { 'api/a.ts': `export default function (req, res) { res.end('a'); }\n` };
      assert.deepEqual(ids(run(untyped)), []);
      assert.deepEqual(ids(run({ ...untyped, 'package.json': '{"devDependencies":{"@vercel/node":"3.0.0"}}' })), [
        'function:vercel:api/a.ts#default',
      ]);
      const typed = run({
        'apps/web/api/b.ts': `import type { VercelRequest, VercelResponse } from '@vercel/node';\nexport default (req: VercelRequest, res: VercelResponse) => res.end();\n`,
        'apps/site/vercel.json': '{}',
        'apps/site/api/c.js': `module.exports = (req, res) => res.end();\n`,
      });
      assert.deepEqual(summary(typed), [
        'function:vercel:apps/site/api/c.js#default | vercel function (apps/site/api/c.js) | http ANY /api/c | apps/site/api/c.js:1:1',
        'function:vercel:apps/web/api/b.ts#default | vercel function (apps/web/api/b.ts) | http ANY /api/b | apps/web/api/b.ts:2:1',
      ]);
    });

    it('does not take helpers, tests or non-functions under api/ for functions', () => {
      const r = run({
        'vercel.json': '{}',
        'api/_utils/db.ts': `export default function connect(req, res) {}\n`,
        'api/users.test.ts': `export default function t(req, res) {}\n`,
        'api/config.ts': `export default { region: 'iad1' };\n`,
        'api/named.ts': `export function helper(req, res) {}\n`,
        'src/api/x.ts': `export default function x(req, res) {}\n`,
      });
      assert.deepEqual(ids(r), []);
    });
  });

  describe('Netlify functions', () => {
    it('finds the functions of the netlify fixture', () => {
      const r = fixture('netlify');
      assert.deepEqual(summary(r), [
        'function:netlify:netlify/functions/cleanup.mts#default | netlify function cleanup (netlify/functions/cleanup.mts) | scheduled | netlify/functions/cleanup.mts:3:1',
        'function:netlify:netlify/functions/hello.ts#handler | netlify function hello (netlify/functions/hello.ts) | http ANY /.netlify/functions/hello | netlify/functions/hello.ts:4:1',
        'function:netlify:netlify/functions/report/index.mts#default | netlify function report (netlify/functions/report/index.mts) | http ANY /api/report | netlify/functions/report/index.mts:3:1',
        'function:netlify:netlify/functions/subscribe/subscribe.js#handler | netlify function subscribe (netlify/functions/subscribe/subscribe.js) | http ANY /.netlify/functions/subscribe | netlify/functions/subscribe/subscribe.js:3:1',
      ]);
      assert.ok(r.components.every((c) => c.framework === 'netlify'));
      assert.deepEqual(reached(r), ['src/greeting.ts:5 -> function:netlify:netlify/functions/hello.ts#handler']);
    });

    it('recognises schedule(), background functions and the Netlify Handler type elsewhere', () => {
      const r = run({
        'netlify/functions/nightly.ts': `import { schedule } from '@netlify/functions';\nexport const handler = schedule('@daily', async () => ({ statusCode: 200 }));\n`,
        'netlify/functions/import-background.js': `exports.handler = async () => {};\n`,
        'functions/ping.ts': `import type { Handler } from '@netlify/functions';\nexport const handler: Handler = async () => ({ statusCode: 200 });\n`,
        'functions/other.ts': `export const handler = (err, req, res, next) => {};\n`,
      });
      assert.deepEqual(summary(r), [
        'function:netlify:functions/ping.ts#handler | netlify function ping (functions/ping.ts) | http ANY /.netlify/functions/ping | functions/ping.ts:2:1',
        'function:netlify:netlify/functions/import-background.js#handler | netlify function import-background (netlify/functions/import-background.js) | background | netlify/functions/import-background.js:1:1',
        'function:netlify:netlify/functions/nightly.ts#handler | netlify function nightly (netlify/functions/nightly.ts) | scheduled | netlify/functions/nightly.ts:2:1',
      ]);
    });

    it('does not take helpers next to functions, or non-handler exports, for functions', () => {
      const r = run({
        'netlify/functions/utils/db.ts': `export default function connect() {}\n`,
        'netlify/functions/send/template.js': `exports.handler = async () => {};\n`,
        'netlify/functions/send/send.js': `exports.config = { path: '/send' };\nexports.helper = async () => {};\n`,
        'netlify/functions/value.ts': `export default { a: 1 };\n`,
      });
      assert.deepEqual(ids(r), []);
    });
  });
});
