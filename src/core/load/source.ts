import * as fs from 'node:fs';
import { errCode } from './discover';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type SourceRead = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads one source file, refusing what would waste the analysis or mislead it: files over 2 MB, binary
 * content, invalid UTF-8 and minified bundles. A BOM is dropped so that columns match the editor's.
 */
export function readSource(abs: string): SourceRead {
  let buf: Buffer;
  try {
    const st = fs.statSync(abs);
    // Discovery lists regular files only; this holds if one was replaced by a FIFO since (a read would block).
    if (!st.isFile()) return { ok: false, reason: 'not a regular file (a FIFO, socket or device)' };
    if (st.size > MAX_FILE_BYTES) {
      return { ok: false, reason: `too large (${(st.size / 1048576).toFixed(1)} MB; the limit is 2 MB)` };
    }
    buf = fs.readFileSync(abs);
  } catch (e) {
    return { ok: false, reason: `unreadable: ${errCode(e)}` };
  }
  const probe = buf.subarray(0, 8192);
  if (probe.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = utf8.decode(buf);
  } catch {
    return { ok: false, reason: 'not valid UTF-8 text' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > 100_000) {
    let lines = 1;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
    if (text.length / lines > 1000) return { ok: false, reason: 'minified or generated bundle (very long lines)' };
  }
  return { ok: true, text };
}
