import type { Detector } from '../scan/detector';
import { expressDetector } from './express';
import { fsAccessDetector } from './hazards/fsAccess';
import { latencyDetector } from './hazards/latency';
import { longRunningDetector } from './hazards/longRunning';
import { moduleStateDetector } from './hazards/moduleState';
import { poolsDetector } from './hazards/pools';
import { sessionsDetector } from './hazards/sessions';

/** Every detector, in one table. Order does not matter: each sees every node of the files it asks for. */
export const DETECTORS: readonly Detector[] = [
  expressDetector,
  moduleStateDetector,
  fsAccessDetector,
  poolsDetector,
  sessionsDetector,
  longRunningDetector,
  latencyDetector,
];
