// The volumes every cost curve is priced at. Apart from estimate.ts so the editor's host can find the likely volume
// in a curve without bundling the cost model.

/** Curve points: the likely volume times 10^(k/4), k = -8..12 (1/100 to 1000 times). */
const CURVE_EXPONENTS = Array.from({ length: 21 }, (_, i) => (i - 8) / 4);

/** The index of the likely volume itself in every curve's `requestsPerMonth`. */
export const CURVE_LIKELY_INDEX = CURVE_EXPONENTS.indexOf(0);

export function curveVolumes(likely: number): number[] {
  const base = likely > 0 ? likely : 1e6;
  return CURVE_EXPONENTS.map((e) => Math.round(base * 10 ** e));
}
