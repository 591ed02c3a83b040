// What the editor loads at activation: dist/extension.js must stay free of the analysis (ts-morph and the
// TypeScript compiler live in dist/worker.js, loaded in a worker thread on the first analysis).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const DIST = path.resolve(__dirname, '../../dist');

describe('bundles', () => {
  it('extension.js carries no analysis code; worker.js carries it', () => {
    const ext = path.join(DIST, 'extension.js');
    const worker = path.join(DIST, 'worker.js');
    assert.ok(fs.existsSync(ext) && fs.existsSync(worker), 'run `npm run build` first');
    const extText = fs.readFileSync(ext, 'utf8');
    // The compiler's parser entry point (an exported name, so it survives minification) marks the analysis.
    assert.ok(!extText.includes('createSourceFile'), 'the TypeScript compiler is bundled into extension.js');
    assert.ok(fs.statSync(ext).size < 600_000, `extension.js is ${fs.statSync(ext).size} bytes`);
    const workerText = fs.readFileSync(worker, 'utf8');
    assert.ok(workerText.includes('createSourceFile'), 'worker.js does not carry the analysis');
  });

  it('extension.js carries no Mermaid and no page code; the panel bundle carries them', () => {
    const extText = fs.readFileSync(path.join(DIST, 'extension.js'), 'utf8');
    // mermaidAPI is the library's own export (our core only writes Mermaid text); customElements is the page's.
    assert.ok(!extText.includes('mermaidAPI'), 'Mermaid is bundled into extension.js');
    assert.ok(!extText.includes('customElements'), 'the page is bundled into extension.js');
    const page = path.join(DIST, 'webview/main.js');
    assert.ok(fs.existsSync(page) && fs.existsSync(path.join(DIST, 'webview/main.css')), 'run `npm run build` first');
    const pageText = fs.readFileSync(page, 'utf8');
    assert.ok(pageText.includes('mermaidAPI'), 'the panel bundle does not carry Mermaid');
    // Nothing in the page may load code or styles from elsewhere at run time.
    assert.ok(!/https?:\/\/(cdn|unpkg|jsdelivr)/.test(pageText), 'the panel bundle names a CDN');
  });
});
