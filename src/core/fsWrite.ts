import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file atomically: to a temporary sibling, then renamed over the target, so that a reader never sees
 * half a report and an interrupted write leaves the old file intact. Missing parent folders are created.
 */
export function writeFileAtomic(file: string, data: string): void {
  const dir = path.dirname(file);
  // `--out reports/plan.md` in a fresh checkout: the folder the user named is made, as `scaffold --out` does.
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** True when the file was written by this tool (a report it may replace without asking). */
export function isOwnReport(file: string): boolean {
  let head: string;
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(512);
    const n = fs.readSync(fd, buf, 0, 512, 0);
    fs.closeSync(fd);
    head = buf.subarray(0, n).toString('utf8');
  } catch {
    return false;
  }
  // Only the openings our renderers write: a user's notes that merely mention the tool are not ours to replace.
  if (head.startsWith('# Serverless Advisor report')) return true;
  // HTML (present/html.ts): the doctype, then the generator meta within the head's first lines.
  if (
    /^<!DOCTYPE html>\s*<html[^>]*>\s*<head>\s*<meta charset="utf-8">\s*<meta name="generator" content="serverless-advisor /.test(
      head,
    )
  )
    return true;
  if (/^\{\s*"schemaVersion":\s*\d+,\s*"tool":\s*\{\s*"name":\s*"serverless-advisor"/.test(head)) return true;
  // SARIF: the log's opening and our driver's name, which renderSarif writes within the first lines.
  return /^\{\s*"\$schema":\s*"[^"]*sarif[^"]*",\s*"version":\s*"2\.1\.0",\s*"runs":\s*\[\s*\{\s*"tool":\s*\{\s*"driver":\s*\{\s*"name":\s*"serverless-advisor"/.test(
    head,
  );
}
