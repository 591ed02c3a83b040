import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, type Tags } from 'yaml';
import type { SkippedFile } from '../model';
import { EXCLUDED_DIRS } from '../load/discover';

/** A function declared in a Serverless Framework or AWS SAM manifest, with its handler still to be found in the code. */
export interface ManifestFunction {
  /** Root-relative path of the manifest. */
  manifest: string;
  source: 'serverless' | 'aws-sam';
  /** The function's key under `functions:` or its SAM logical id. */
  name: string;
  /** Root-relative module paths without extension that may hold the handler, most likely first. */
  modules: string[];
  /** The exported name the runtime calls (the first segment of a nested `file.a.b` handler). */
  exportName: string;
  /** Labels of its events: `http GET /orders`, `sqs`, `scheduled`, ... in manifest order, de-duplicated. */
  events: string[];
}

export interface ManifestScan {
  /** Manifest paths found, sorted. */
  files: string[];
  functions: ManifestFunction[];
  /** Manifests that could not be read or parsed, with why: they contribute nothing. */
  broken: SkippedFile[];
}

const MANIFEST_FILES = new Set(['serverless.yml', 'serverless.yaml', 'template.yaml', 'template.yml']);
/** The root and up to this many folder levels below it. */
const MAX_DEPTH = 2;

/**
 * CloudFormation short-form intrinsics (`!Ref`, `!GetAtt`, ...), as `{ Ref: x }` / `{ 'Fn::GetAtt': x }` objects so
 * that a `CodeUri: !Ref X` is never mistaken for a folder. Any other tag is left to the parser, which keeps the
 * value and only warns.
 */
const INTRINSICS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Join',
  'If',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
  'Equals',
  'And',
  'Or',
  'Not',
  'Transform',
  'Length',
  'ToJsonString',
];
const CFN_TAGS: Tags = INTRINSICS.flatMap((fn) => {
  const key = fn === 'Ref' || fn === 'Condition' ? fn : `Fn::${fn}`;
  return [
    { tag: `!${fn}`, resolve: (value: string) => ({ [key]: value }) },
    {
      tag: `!${fn}`,
      collection: 'seq' as const,
      resolve: (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() }),
    },
    {
      tag: `!${fn}`,
      collection: 'map' as const,
      resolve: (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() }),
    },
  ];
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** serverless.yml / template.yaml files at the root and one or two folder levels down, sorted. */
export function findFunctionManifests(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isFile() && MANIFEST_FILES.has(e.name)) out.push(child);
      else if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.') && !EXCLUDED_DIRS.has(e.name)) {
        walk(child, depth + 1);
      }
    }
  };
  walk('', 0);
  return out.sort();
}

/**
 * Reads every manifest; one that cannot be parsed is listed in `broken` and the others still count. `discovered`
 * is the analysis' own list of manifests (it honours .gitignore); without it the folders are walked here.
 */
export function readFunctionManifests(root: string, discovered?: readonly string[]): ManifestScan {
  const files = discovered
    ? discovered.filter((f) => {
        const parts = f.split('/');
        return (
          MANIFEST_FILES.has(parts[parts.length - 1]!) &&
          parts.length - 1 <= MAX_DEPTH &&
          !parts.some((p) => p.startsWith('.'))
        );
      })
    : findFunctionManifests(root);
  const functions: ManifestFunction[] = [];
  const broken: SkippedFile[] = [];
  for (const rel of files) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, rel), 'utf8');
    } catch (e) {
      broken.push({ file: rel, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    const r = parseFunctionManifest(rel, text);
    if ('error' in r) broken.push({ file: rel, reason: r.error });
    else functions.push(...r.functions);
  }
  return { files, functions, broken };
}

/** Parses one manifest by its file name; a YAML error comes back as `{ error }`, never as a throw. */
export function parseFunctionManifest(
  rel: string,
  text: string,
): { functions: ManifestFunction[] } | { error: string } {
  const doc = parseDocument(text, { customTags: CFN_TAGS, logLevel: 'silent', uniqueKeys: false });
  const err = doc.errors[0];
  if (err) return { error: `invalid YAML: ${err.message.split('\n')[0]!.replace(/:\s*$/, '')}` };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { error: `invalid YAML: ${(e as Error).message}` };
  }
  if (data === null || data === undefined) return { functions: [] };
  if (!isObj(data)) return { error: 'not a mapping at the top level' };
  const base = path.posix.basename(rel);
  const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  return {
    functions: base.startsWith('serverless.') ? serverlessFunctions(rel, dir, data) : samFunctions(rel, dir, data),
  };
}

/** `src/orders/create.handler` -> module `src/orders/create`, export `handler` (Lambda splits at the first dot of the base name). */
export function splitHandler(handler: string): { module: string; exportName: string } | undefined {
  const slash = handler.lastIndexOf('/');
  const baseName = handler.slice(slash + 1);
  const dot = baseName.indexOf('.');
  if (dot <= 0 || dot === baseName.length - 1) return undefined;
  const exportName = baseName.slice(dot + 1).split('.')[0]!;
  return { module: handler.slice(0, slash + 1) + baseName.slice(0, dot), exportName };
}

/** Where a handler module's source may be: as written, and with a build folder swapped for `src/` or dropped. */
function moduleCandidates(...parts: string[]): string[] {
  const joined = path.posix.normalize(parts.filter((p) => p && p !== '.').join('/')).replace(/^\.\//, '');
  const out = [joined];
  // A handler that points into the compiled output (`dist/orders.create`) has its source under src/.
  const m = /^(.*?)(?:^|\/)(?:dist|build|\.build|lib|out)\/(.*)$/.exec(joined);
  if (m) {
    const prefix = m[1] ? `${m[1]}/` : '';
    out.push(`${prefix}src/${m[2]!}`, `${prefix}${m[2]!}`);
  }
  return [...new Set(out)];
}

const isNodeRuntime = (runtime: unknown): boolean => typeof runtime !== 'string' || runtime.startsWith('nodejs');

function httpLabel(method: unknown, route: unknown): string {
  const m =
    typeof method === 'string' && method !== '*' && method.toLowerCase() !== 'any' ? method.toUpperCase() : 'ANY';
  let p = typeof route === 'string' ? route.trim() : '*';
  if (p !== '*' && !p.startsWith('/')) p = `/${p}`;
  return `http ${m} ${p}`;
}

/** `GET /users`, `get users`, `*` (the shorthand forms of Serverless http / httpApi events). */
function httpShorthand(s: string): string {
  const t = s.trim();
  if (t === '*') return 'http ANY *';
  const sp = t.indexOf(' ');
  return sp < 0 ? httpLabel('ANY', t) : httpLabel(t.slice(0, sp), t.slice(sp + 1));
}

function streamLabel(v: unknown): string {
  const type = isObj(v) ? str(v.type) : undefined;
  if (type === 'dynamodb') return 'dynamodb-stream';
  if (type === 'kinesis') return 'kinesis';
  const arn = isObj(v) ? v.arn : v;
  const text = typeof arn === 'string' ? arn : JSON.stringify(arn ?? '');
  if (/:dynamodb:|StreamArn/i.test(text)) return 'dynamodb-stream';
  if (/:kinesis:/i.test(text)) return 'kinesis';
  return 'unknown';
}

function serverlessEvent(ev: unknown): string | undefined {
  if (!isObj(ev)) return undefined;
  const [key] = Object.keys(ev);
  if (!key) return undefined;
  const v = ev[key];
  switch (key) {
    case 'http':
    case 'httpApi':
      if (typeof v === 'string') return httpShorthand(v);
      if (isObj(v)) return httpLabel(v.method, v.path);
      return key === 'httpApi' ? 'http ANY *' : undefined;
    case 'sqs':
      return 'sqs';
    case 'sns':
      return 'sns';
    case 's3':
      return 's3';
    case 'stream':
      return streamLabel(v);
    case 'kinesis':
      return 'kinesis';
    case 'schedule':
      return 'scheduled';
    case 'eventBridge':
    case 'cloudwatchEvent':
      return 'eventbridge';
    case 'alb':
      return 'alb';
    case 'websocket':
      return 'websocket';
    default:
      return 'unknown';
  }
}

function dedupe(xs: (string | undefined)[]): string[] {
  return [...new Set(xs.filter((x): x is string => !!x))];
}

function serverlessFunctions(rel: string, dir: string, data: Obj): ManifestFunction[] {
  const provider = isObj(data.provider) ? data.provider : {};
  const providerRuntime = provider.runtime;
  // `functions:` is a map, or (older configs) a list of maps; a `${file(...)}` include is not followed.
  const entries: [string, unknown][] = [];
  const fns = data.functions;
  if (isObj(fns)) entries.push(...Object.entries(fns));
  else if (Array.isArray(fns)) for (const part of fns) if (isObj(part)) entries.push(...Object.entries(part));
  const out: ManifestFunction[] = [];
  for (const [name, def] of entries) {
    if (!isObj(def)) continue;
    const handler = str(def.handler);
    if (!handler || handler.includes('${') || !isNodeRuntime(def.runtime ?? providerRuntime)) continue;
    const split = splitHandler(handler);
    if (!split) continue;
    const events = Array.isArray(def.events) ? def.events.map(serverlessEvent) : [];
    if (def.url) events.push('function-url');
    out.push({
      manifest: rel,
      source: 'serverless',
      name,
      modules: moduleCandidates(dir, split.module),
      exportName: split.exportName,
      events: dedupe(events),
    });
  }
  return out;
}

function samEvent(ev: unknown): string | undefined {
  if (!isObj(ev)) return undefined;
  const props = isObj(ev.Properties) ? ev.Properties : {};
  switch (ev.Type) {
    case 'Api':
      return httpLabel(props.Method, props.Path);
    case 'HttpApi':
      return httpLabel(props.Method ?? 'ANY', props.Path ?? '*');
    case 'SQS':
      return 'sqs';
    case 'SNS':
      return 'sns';
    case 'S3':
      return 's3';
    case 'DynamoDB':
      return 'dynamodb-stream';
    case 'Kinesis':
      return 'kinesis';
    case 'Schedule':
    case 'ScheduleV2':
      return 'scheduled';
    case 'EventBridgeRule':
    case 'CloudWatchEvent':
      return 'eventbridge';
    default:
      return 'unknown';
  }
}

function samFunctions(rel: string, dir: string, data: Obj): ManifestFunction[] {
  const resources = data.Resources;
  if (!isObj(resources)) return [];
  const globals = isObj(data.Globals) && isObj(data.Globals.Function) ? data.Globals.Function : {};
  const out: ManifestFunction[] = [];
  for (const [name, res] of Object.entries(resources)) {
    if (!isObj(res) || res.Type !== 'AWS::Serverless::Function') continue;
    const props = isObj(res.Properties) ? res.Properties : {};
    if (props.PackageType === 'Image' || props.InlineCode !== undefined) continue;
    const handler = str(props.Handler ?? globals.Handler);
    if (!handler || !isNodeRuntime(props.Runtime ?? globals.Runtime)) continue;
    const split = splitHandler(handler);
    if (!split) continue;
    // CodeUri may be an S3 location or an intrinsic: then the handler path is relative to the template.
    const codeUri = str(props.CodeUri ?? globals.CodeUri) ?? '';
    const modules: string[] = [];
    // `sam build` with esbuild names the real entry point; the handler then names the bundle.
    const meta = isObj(res.Metadata) && isObj(res.Metadata.BuildProperties) ? res.Metadata.BuildProperties : {};
    const entryPoints = Array.isArray(meta.EntryPoints) ? meta.EntryPoints : [];
    for (const ep of entryPoints) {
      if (typeof ep !== 'string') continue;
      const stem = ep.replace(/\.(c|m)?(t|j)sx?$/, '');
      if (path.posix.basename(stem) === path.posix.basename(split.module))
        modules.push(...moduleCandidates(dir, codeUri, stem));
    }
    modules.push(...moduleCandidates(dir, codeUri, split.module));
    const events = isObj(props.Events) ? Object.values(props.Events).map(samEvent) : [];
    if (props.FunctionUrlConfig !== undefined) events.push('function-url');
    out.push({
      manifest: rel,
      source: 'aws-sam',
      name,
      modules: [...new Set(modules)],
      exportName: split.exportName,
      events: dedupe(events),
    });
  }
  return out;
}
