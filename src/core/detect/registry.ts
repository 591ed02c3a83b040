import type { Detector } from '../scan/detector';
import { expressDetector } from './express';
import { fastifyDetector } from './fastify';
import { honoDetector } from './hono';
import { httpServerDetector } from './httpServer';
import { koaDetector } from './koa';
import { functionsDetector } from './functions';
import { graphqlDetector } from './graphql';
import { fsAccessDetector } from './hazards/fsAccess';
import { latencyDetector } from './hazards/latency';
import { longRunningDetector } from './hazards/longRunning';
import { moduleStateDetector } from './hazards/moduleState';
import { poolsDetector } from './hazards/pools';
import { sessionsDetector } from './hazards/sessions';
import { nestjsDetector } from './nestjs';
import { nextjsDetector } from './nextjs';
import { nodeOnlyDetector } from './nodeOnly';
import { packagesDetector } from './packages';
import { queuesDetector } from './queues';
import { schedulesDetector } from './schedules';
import { websocketsDetector } from './websockets';
import { workersDetector } from './workers';

/** Every detector, in one table. Order does not matter: each sees every node of the files it asks for. */
export const DETECTORS: readonly Detector[] = [
  expressDetector,
  fastifyDetector,
  koaDetector,
  honoDetector,
  httpServerDetector,
  moduleStateDetector,
  fsAccessDetector,
  poolsDetector,
  sessionsDetector,
  longRunningDetector,
  latencyDetector,
  packagesDetector,
  nodeOnlyDetector,
  functionsDetector,
  nestjsDetector,
  nextjsDetector,
  graphqlDetector,
  queuesDetector,
  schedulesDetector,
  websocketsDetector,
  workersDetector,
];
