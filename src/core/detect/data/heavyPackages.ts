// Packages whose install is large, for when node_modules is not there to measure. Sizes are rough: they move with
// every release, so the finding says which figure it rests on.

export const HEAVY_PACKAGES_AS_OF = '2026-11';

export const HEAVY_PACKAGES_SOURCE =
  'Approximate install sizes (the package with the dependencies npm installs for it) as recalled from public ' +
  'install-size listings (packagephobia) and npm unpacked sizes; not measured in this environment. Measure a ' +
  'real install with `du -sh node_modules/<pkg>` when it matters.';

export interface HeavyPackage {
  /** A package name, or a scope prefix ending in '/*' (`@google-cloud/*`). */
  name: string;
  /** Approximate installed megabytes, with dependencies. */
  approxMb: number;
  /** What makes it big. */
  note: string;
  /** A lighter way to get the same thing. */
  alternative?: string;
}

export const HEAVY_PACKAGES: readonly HeavyPackage[] = [
  {
    name: 'aws-sdk',
    approxMb: 90,
    note: 'AWS SDK v2 ships every service client in one package (end of support since 2025-09)',
    alternative: 'the modular v3 clients (@aws-sdk/client-s3, ...), one per service used',
  },
  {
    name: 'googleapis',
    approxMb: 110,
    note: 'every Google API surface in one package',
    alternative: 'the per-API packages (@googleapis/drive, @googleapis/sheets, ...)',
  },
  {
    name: 'puppeteer',
    approxMb: 300,
    note: 'downloads a Chromium build (~280 MB) at install',
    alternative:
      'puppeteer-core with @sparticuz/chromium on Lambda, or a hosted browser (Browser Rendering, Browserless)',
  },
  {
    name: 'playwright',
    approxMb: 300,
    note: 'browser builds installed beside it',
    alternative: 'playwright-core with a hosted browser',
  },
  {
    name: '@google-cloud/*',
    approxMb: 25,
    note: 'google-gax, gRPC and protobuf definitions per client',
    alternative: 'the REST endpoints through fetch for simple calls',
  },
  {
    name: 'firebase-admin',
    approxMb: 60,
    note: 'pulls Firestore, Storage and google-gax with gRPC',
    alternative: 'import only the sub-modules used (firebase-admin/auth, ...) and bundle',
  },
  {
    name: 'typeorm',
    approxMb: 20,
    note: 'drivers glue, CLI and decorators metadata',
    alternative: 'a lighter query builder (kysely, drizzle-orm)',
  },
  {
    name: '@prisma/client',
    approxMb: 40,
    note: 'generated client plus the query engine library (up to Prisma 6; the engine-less client of Prisma 7 is smaller)',
    alternative: 'Prisma with a driver adapter and no Rust engine, or a lighter query builder',
  },
  { name: 'sharp', approxMb: 25, note: 'libvips binaries per platform', alternative: 'an image service' },
  { name: 'canvas', approxMb: 40, note: 'Cairo, Pango and their shared libraries', alternative: 'a rendering service' },
  { name: '@tensorflow/tfjs-node', approxMb: 350, note: 'libtensorflow', alternative: 'a hosted inference endpoint' },
  {
    name: '@tensorflow/tfjs-node-gpu',
    approxMb: 1000,
    note: 'libtensorflow with CUDA',
    alternative: 'a hosted inference endpoint',
  },
  {
    name: '@tensorflow/*',
    approxMb: 30,
    note: 'model runtime and kernels',
    alternative: 'a hosted inference endpoint',
  },
  {
    name: 'pdfkit',
    approxMb: 10,
    note: 'embedded fonts and fontkit',
    alternative: 'generate PDFs in a separate function, or pdf-lib',
  },
  {
    name: 'moment-timezone',
    approxMb: 6,
    note: 'the full IANA time zone data',
    alternative: 'Intl.DateTimeFormat with timeZone, or the data-trimmed builds',
  },
  {
    name: 'date-fns',
    approxMb: 22,
    note: 'thousands of small files (tree-shakeable when bundled)',
    alternative: 'bundle it so only the functions used ship',
  },
  {
    name: 'aws-cdk-lib',
    approxMb: 60,
    note: 'every CDK construct library (50 MB and more); infrastructure code, not runtime code',
    alternative: 'keep it out of runtime handlers',
  },
  {
    name: 'typescript',
    approxMb: 23,
    note: 'the whole compiler',
    alternative: 'compile ahead of time; keep it out of runtime handlers',
  },
  {
    name: 'ts-morph',
    approxMb: 30,
    note: 'the TypeScript compiler and its wrappers',
    alternative: 'keep it out of runtime handlers',
  },
  {
    name: '@swc/core',
    approxMb: 50,
    note: 'a Rust compiler binary per platform',
    alternative: 'compile ahead of time',
  },
];

/** Look up a package (already reduced to its root name); exact names win over scope prefixes. */
export function heavyPackage(pkg: string): HeavyPackage | undefined {
  const exact = HEAVY_PACKAGES.find((p) => p.name === pkg);
  if (exact) return exact;
  return HEAVY_PACKAGES.find((p) => p.name.endsWith('/*') && pkg.startsWith(p.name.slice(0, -1)));
}
