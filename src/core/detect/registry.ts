import type { Detector } from '../scan/detector';

/** Every detector, in one table. Order does not matter: each sees every node of the files it asks for. */
export const DETECTORS: readonly Detector[] = [];
