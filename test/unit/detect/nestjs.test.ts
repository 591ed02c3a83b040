import * as assert from 'node:assert/strict';
import { nestjsDetector } from '../../../src/core/detect/nestjs';
import { DETECTORS } from '../../../src/core/detect/registry';
import { analyzeFixture, component, findingKeys, names } from '../helpers';
import { analyzer, mapProbe, summaryWith } from '../probes';

const detectors = [nestjsDetector, mapProbe];
const analyzeNest = analyzer(detectors);
const summary = summaryWith('kind', 'name');

describe('nestjs detector', () => {
  describe('fixture app', () => {
    const r = analyzeFixture('nestjs', { detectors });

    it('finds every route, consumer, job, gateway message and resolver, and nothing from look-alikes', () => {
      assert.deepEqual(summary(r), [
        'http:GET:/api/cats | http-route | GET /api/cats | src/cats/cats.controller.ts:8:3',
        'http:GET:/api/cats/:id | http-route | GET /api/cats/:id | src/cats/cats.controller.ts:13:3',
        'http:POST:/api/cats | http-route | POST /api/cats | src/cats/cats.controller.ts:18:3',
        'http:DELETE:/api/cats/:id | http-route | DELETE /api/cats/:id | src/cats/cats.controller.ts:24:3',
        'http:GET:/api/cats/stats/count | http-route | GET /api/cats/stats/count | src/cats/cats.controller.ts:29:3',
        'queue:nestjs-microservices:cat.adopted | queue-consumer | nestjs event "cat.adopted" | src/cats/cats.events.ts:9:3',
        'queue:nestjs-microservices:{"cmd":"count_cats"} | queue-consumer | nestjs message {"cmd":"count_cats"} | src/cats/cats.events.ts:14:3',
        'graphql:nestjs:CatsResolver | graphql | GraphQL CatsResolver | src/cats/cats.resolver.ts:4:1',
        'websocket:/chat:message | websocket | websocket /chat "message" | src/chat/chat.gateway.ts:9:3',
        'websocket:/chat:typing | websocket | websocket /chat "typing" | src/chat/chat.gateway.ts:14:3',
        'http:GET:/health | http-route | GET /health | src/health.controller.ts:5:3',
        'schedule:nestjs-schedule:src/tasks/cleanup.service.ts:0 3 * * * | scheduled-job | cron "0 3 * * *" (CleanupService.nightly) | src/tasks/cleanup.service.ts:8:3',
        'schedule:nestjs-schedule:src/tasks/cleanup.service.ts:CronExpression.EVERY_HOUR | scheduled-job | cron "CronExpression.EVERY_HOUR" (CleanupService.hourly) | src/tasks/cleanup.service.ts:13:3',
        'schedule:nestjs-schedule:src/tasks/cleanup.service.ts:every 30000ms | scheduled-job | interval 30000ms (CleanupService.heartbeat) | src/tasks/cleanup.service.ts:18:3',
      ]);
      assert.ok(r.components.every((c) => c.framework === 'nestjs'));
    });

    it('applies the global prefix of main.ts except where excluded, and the GraphQL path of GraphQLModule.forRoot', () => {
      assert.deepEqual(component(r, 'http:GET:/api/cats/:id').trigger, {
        type: 'http',
        method: 'GET',
        path: '/api/cats/:id',
      });
      assert.deepEqual(component(r, 'http:GET:/health').trigger, { type: 'http', method: 'GET', path: '/health' });
      assert.deepEqual(component(r, 'graphql:nestjs:CatsResolver').trigger, { type: 'graphql', path: '/gql' });
      assert.deepEqual(component(r, 'websocket:/chat:message').trigger, {
        type: 'websocket',
        path: '/chat',
        event: 'message',
      });
      assert.deepEqual(component(r, 'queue:nestjs-microservices:cat.adopted').trigger, {
        type: 'queue',
        system: 'nestjs-microservices',
        queue: 'cat.adopted',
      });
      assert.deepEqual(component(r, 'schedule:nestjs-schedule:src/tasks/cleanup.service.ts:every 30000ms').trigger, {
        type: 'schedule',
        system: 'nestjs-schedule',
        schedule: 'every 30000ms',
      });
    });

    it('attributes the module state of an injected service to the handlers that call it, and only to them', () => {
      assert.deepEqual(
        findingKeys(r).filter((k) => !k.endsWith(' websocket-connection-limits')),
        ['src/cats/cats.service.ts:9 test-module-map'],
      );
      assert.deepEqual(r.findings[0]!.components, [
        'graphql:nestjs:CatsResolver',
        'http:DELETE:/api/cats/:id',
        'http:GET:/api/cats',
        'http:GET:/api/cats/:id',
        'http:POST:/api/cats',
        'queue:nestjs-microservices:cat.adopted',
      ]);
      assert.deepEqual(component(r, 'http:GET:/api/cats/stats/count').findings, []);
    });

    it('is registered: the default analysis finds the same components', () => {
      const all = analyzeFixture('nestjs');
      assert.deepEqual(
        all.components.filter((c) => c.framework === 'nestjs').map((c) => c.id),
        r.components.map((c) => c.id),
      );
      assert.ok(DETECTORS.includes(nestjsDetector));
    });

    it('points the resolver at its first operation as the handler', () => {
      assert.deepEqual(component(r, 'graphql:nestjs:CatsResolver').handler, {
        file: 'src/cats/cats.resolver.ts',
        line: 13,
        column: 3,
      });
    });
  });

  describe('controllers', () => {
    it('joins every method decorator with the controller prefix, arrays of paths included', () => {
      const r = analyzeNest({
        'src/items.controller.ts': `
import { All, Controller, Delete, Get, Head, Options, Patch, Post, Put, Sse } from '@nestjs/common';
const BASE = 'items';
@Controller([BASE, 'things'])
export class ItemsController {
  @Get() list() {}
  @Post('/') create() {}
  @Put(':id') replace() {}
  @Patch(':id/') update() {}
  @Delete([':id', 'by-name/:name']) remove() {}
  @Options() options() {}
  @Head(':id') head() {}
  @All('proxy/*') proxy() {}
  @Sse('events') events() {}
}
`,
      });
      assert.deepEqual(names(r), [
        'ALL /items/proxy/*',
        'ALL /things/proxy/*',
        'DELETE /items/:id',
        'DELETE /items/by-name/:name',
        'DELETE /things/:id',
        'DELETE /things/by-name/:name',
        'GET /items',
        'GET /items/events',
        'GET /things',
        'GET /things/events',
        'HEAD /items/:id',
        'HEAD /things/:id',
        'OPTIONS /items',
        'OPTIONS /things',
        'PATCH /items/:id',
        'PATCH /things/:id',
        'POST /items',
        'POST /things',
        'PUT /items/:id',
        'PUT /things/:id',
      ]);
    });

    it('reads @Controller() without a prefix and @Controller({ path }) ignoring the version', () => {
      const r = analyzeNest({
        'src/a.controller.ts': `
import { Controller, Get, Version } from '@nestjs/common';
@Controller()
export class RootController {
  @Get('ping') ping() { return 'pong'; }
}
@Controller({ path: 'v', version: '2' })
export class VersionedController {
  @Version('3')
  @Get('x') x() {}
}
`,
      });
      assert.deepEqual(summary(r), [
        'http:GET:/ping | http-route | GET /ping | src/a.controller.ts:5:3',
        'http:GET:/v/x | http-route | GET /v/x | src/a.controller.ts:10:3',
      ]);
    });

    it('follows a namespace import of @nestjs/common', () => {
      const r = analyzeNest({
        'src/n.controller.ts': `
import * as common from '@nestjs/common';
@common.Controller('n')
export class N {
  @common.Get(':id') one() {}
}
`,
      });
      assert.deepEqual(names(r), ['GET /n/:id']);
    });

    it('ignores route decorators of other libraries, local ones, classes that are not controllers, and computed paths', () => {
      const r = analyzeNest({
        'src/rc.controller.ts': `
import { Injectable } from '@nestjs/common';
import { Controller, Get } from 'routing-controllers';
@Controller('/rc')
export class RcController {
  @Get('/x') x() {}
}
`,
        'src/local.ts': `
import { Injectable } from '@nestjs/common';
const Get = (p?: string): MethodDecorator => () => undefined;
@Injectable()
export class NotAController {
  @Get('status') status() {}
}
`,
        'src/service.ts': `
import { Get, Injectable } from '@nestjs/common';
@Injectable()
export class StrayDecorator {
  @Get('nope') nope() {}
}
`,
        'src/dyn.controller.ts': `
import { Controller, Get } from '@nestjs/common';
declare const runtimePath: string;
@Controller('dyn')
export class Dyn {
  @Get(runtimePath) computed() {}
  @Get('fixed') fixed() {}
  // @Get('commented') old() {}
  text = "@Get('in-a-string')";
}
`,
      });
      assert.deepEqual(names(r), ['GET /dyn/fixed']);
    });

    it('applies no global prefix when setGlobalPrefix is called on something that is not a Nest app', () => {
      const r = analyzeNest({
        'src/main.ts': `
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
const other = { setGlobalPrefix(p: string) {} };
other.setGlobalPrefix('nope');
async function main() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
main();
`,
        'src/app.module.ts': `
import { Controller, Get, Module } from '@nestjs/common';
@Controller('a')
export class A { @Get() a() {} }
@Module({ controllers: [A] })
export class AppModule {}
`,
      });
      assert.deepEqual(names(r), ['GET /a']);
    });

    it('excludes routes from the global prefix by path and by method', () => {
      const r = analyzeNest({
        'src/main.ts': `
import { NestFactory } from '@nestjs/core';
import { RequestMethod } from '@nestjs/common';
import { AppModule } from './app.module';
async function main() {
  const app = await NestFactory.create<any>(AppModule);
  app.setGlobalPrefix('v1', { exclude: [{ path: 'status', method: RequestMethod.GET }, 'metrics'] });
}
main();
`,
        'src/app.module.ts': `
import { Controller, Get, Module, Post } from '@nestjs/common';
@Controller()
export class A {
  @Get('status') s() {}
  @Post('status') p() {}
  @Get('metrics') m() {}
  @Get('users') u() {}
}
@Module({ controllers: [A] })
export class AppModule {}
`,
      });
      assert.deepEqual(names(r), ['GET /metrics', 'GET /status', 'GET /v1/users', 'POST /v1/status']);
    });

    it('gives each app of a monorepo its own global prefix', () => {
      const app = (prefix: string, ctl: string): Record<string, string> => ({
        [`apps/${ctl}/src/main.ts`]: `
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function main() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('${prefix}');
}
main();
`,
        [`apps/${ctl}/src/app.module.ts`]: `
import { Controller, Get } from '@nestjs/common';
@Controller('${ctl}')
export class AppModule { @Get() list() {} }
`,
      });
      const r = analyzeNest({ ...app('admin-api', 'admin'), ...app('public-api', 'shop') });
      assert.deepEqual(names(r), ['GET /admin-api/admin', 'GET /public-api/shop']);
    });
  });

  describe('other entry points', () => {
    it('reads gateways without a namespace and ignores @SubscribeMessage outside a gateway', () => {
      const r = analyzeNest({
        'src/events.gateway.ts': `
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
@WebSocketGateway()
export class EventsGateway {
  @SubscribeMessage('events') onEvent() {}
}
export class NotAGateway {
  @SubscribeMessage('stray') stray() {}
}
`,
        'src/ns.gateway.ts': `
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
@WebSocketGateway({ namespace: '/live' })
export class Live {
  @SubscribeMessage('tick') tick() {}
}
`,
      });
      assert.deepEqual(summary(r), [
        'websocket:src/events.gateway.ts:events | websocket | websocket "events" | src/events.gateway.ts:5:3',
        'websocket:/live:tick | websocket | websocket /live "tick" | src/ns.gateway.ts:5:3',
      ]);
      assert.deepEqual(r.components[0]!.trigger, { type: 'websocket', event: 'events' });
    });

    it('counts one GraphQL component per resolver class with operations, not @Query of @nestjs/common', () => {
      const r = analyzeNest({
        'src/users.resolver.ts': `
import { Query as GqlQuery, ResolveField, Resolver } from '@nestjs/graphql';
import { Query } from '@nestjs/common';
@Resolver()
export class UsersResolver {
  @GqlQuery(() => String) me() { return 'me'; }
  @ResolveField() friends() { return []; }
}
@Resolver()
export class EmptyResolver {
  find(@Query('q') q: string) { return q; }
}
`,
      });
      assert.deepEqual(summary(r), [
        'graphql:nestjs:UsersResolver | graphql | GraphQL UsersResolver | src/users.resolver.ts:4:1',
      ]);
      assert.deepEqual(r.components[0]!.trigger, { type: 'graphql', path: '/graphql' });
    });

    it('reads @Interval(ms) and message patterns, and skips look-alike decorators of other libraries', () => {
      const r = analyzeNest({
        'src/jobs.ts': `
import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { MessagePattern } from '@nestjs/microservices';
import { Cron } from 'cron-decorators';
@Injectable()
export class Jobs {
  @Interval(5000) poll() {}
  @Cron('* * * * *') notNest() {}
  @MessagePattern('sum') sum() {}
}
`,
      });
      assert.deepEqual(summary(r), [
        'schedule:nestjs-schedule:src/jobs.ts:every 5000ms | scheduled-job | interval 5000ms (Jobs.poll) | src/jobs.ts:8:3',
        'queue:nestjs-microservices:sum | queue-consumer | nestjs message "sum" | src/jobs.ts:10:3',
      ]);
    });
  });
});
