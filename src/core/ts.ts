import { ts as tsMorphTs } from 'ts-morph';

/**
 * The TypeScript compiler API bundled with ts-morph, read once. ts-morph exposes `ts` through a getter (and the
 * bundle wraps it in another), so `ts.SyntaxKind.X` in a hot loop ran two getters per use: about 12% of the
 * analysis in a profile. Every core module imports `ts` from here.
 */
export import ts = tsMorphTs;
