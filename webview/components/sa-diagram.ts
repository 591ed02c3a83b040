// <sa-diagram>: draws the host's Mermaid text for the current view, with pan and zoom (wheel, drag, buttons, fit),
// nodes focusable and clickable (a group opens, any other node goes to its code through the host), the theme
// following the editor's, and SVG / PNG export of what it draws.
import mermaid from 'mermaid';
import type { DiagramView } from '../../src/protocol';
import { h } from '../dom';
import type { Store, Zoom } from '../store';

const MIN_SCALE = 0.1;
/** The first view never draws text smaller than this share of its size: a large diagram opens readable, centred, and Fit shows it whole. */
const READABLE_SCALE = 0.8;
const MAX_SCALE = 4;
/** Moving more than this between pointer down and up is a drag, not a click. */
const DRAG_PX = 4;

type EditorTheme = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function editorTheme(classes: DOMTokenList): EditorTheme {
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  return classes.contains('vscode-dark') ? 'dark' : 'light';
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return /^#[0-9a-f]{3,8}$/i.test(v) ? v.slice(0, 7) : fallback;
}

/** Mermaid's settings for a theme: its own theme for the background, the editor's font and a few editor colours. */
function mermaidConfig(theme: EditorTheme): Parameters<typeof mermaid.initialize>[0] {
  const dark = theme === 'dark' || theme === 'high-contrast';
  const hc = theme === 'high-contrast' || theme === 'high-contrast-light';
  const fg = cssVar('--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const font = getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
  return {
    startOnLoad: false,
    securityLevel: 'strict',
    theme: dark ? 'dark' : 'default',
    // SVG text, not HTML in foreignObject: labels stay text, and the SVG can be drawn on a canvas for PNG.
    htmlLabels: false,
    maxTextSize: 1_000_000,
    maxEdges: 5000,
    fontFamily: font,
    flowchart: { htmlLabels: false, useMaxWidth: false, curve: 'basis', padding: 12, nodeSpacing: 36, rankSpacing: 60 },
    themeVariables: {
      fontFamily: font,
      fontSize: '14px',
      lineColor: hc ? fg : dark ? '#9aa4b2' : '#5b6472',
      textColor: fg,
      titleColor: fg,
      clusterBkg: dark ? '#2a2d33' : '#f5f7fa',
      clusterBorder: hc ? fg : dark ? '#5b6472' : '#b8c0cc',
      edgeLabelBackground: dark ? '#1e1f22' : '#ffffff',
    },
  };
}

/**
 * The model's node id of a Mermaid node: its `data-id`, or the id Mermaid gives the element
 * (`<diagram>-flowchart-<id>-<n>`; our ids are `[A-Za-z][A-Za-z0-9_]*`, core/architecture/ids.ts).
 */
export function nodeIdOf(g: Element): string {
  return g.getAttribute('data-id') ?? /flowchart-([A-Za-z][A-Za-z0-9_]*)-\d+$/.exec(g.id)?.[1] ?? '';
}

let renderCount = 0;
/** Mermaid's configuration is global: renders run one after the other. */
let queue: Promise<unknown> = Promise.resolve();
function renderSvg(text: string, theme: EditorTheme): Promise<string> {
  const run = queue.then(async () => {
    mermaid.initialize(mermaidConfig(theme));
    const { svg } = await mermaid.render(`sa-mermaid-${++renderCount}`, text);
    return svg;
  });
  queue = run.catch(() => undefined);
  return run;
}

export class SaDiagram extends HTMLElement {
  private store!: Store;
  private readonly viewport = h('div', { class: 'viewport', tabindex: '0', 'aria-label': 'Architecture diagram' });
  private readonly canvas = h('div', { class: 'canvas' });
  private readonly status = h('div', { class: 'diagram-status', role: 'status' });
  private svg: SVGSVGElement | undefined;
  private size = { w: 0, h: 0 };
  private zoom: Zoom = { scale: 1, x: 0, y: 0 };
  /** What is drawn: the model seq, the view and the theme; a table filter redraws nothing. */
  private drawn = '';
  private drag: { x: number; y: number; zx: number; zy: number; moved: boolean } | undefined;
  private suppressClick = false;

  connect(store: Store): void {
    this.store = store;
    this.append(this.viewport, this.status);
    this.viewport.append(this.canvas);
    store.subscribe((c) => {
      if (c === 'model' || c === 'view' || c === 'empty') void this.draw();
    });
    new MutationObserver(() => void this.draw()).observe(document.body, {
      attributes: true,
      attributeFilter: ['class'],
    });
    new ResizeObserver(() => {
      if (this.svg && !this.store.state.zoom[this.store.state.view]) this.fit(true);
    }).observe(this.viewport);
    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.viewport.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.viewport.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.viewport.addEventListener('click', (e) => this.onClick(e));
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    void this.draw();
  }

  private get view(): DiagramView {
    return this.store.state.view;
  }

  async draw(): Promise<void> {
    const model = this.store.model;
    if (!model) {
      this.canvas.replaceChildren();
      this.svg = undefined;
      this.drawn = '';
      this.status.textContent = this.store.empty ?? 'Waiting for the analysis…';
      return;
    }
    const view = this.view;
    const theme = editorTheme(document.body.classList);
    const key = `${model.seq}:${view}:${theme}`;
    if (key === this.drawn) return;
    this.drawn = key;
    this.status.textContent = 'Drawing…';
    let svgText: string;
    try {
      svgText = await renderSvg(model[view].mermaid, theme);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.status.textContent = `The diagram could not be drawn: ${msg}`;
      this.store.reportError(`mermaid: ${msg}`);
      return;
    }
    // A newer model or view arrived while this one rendered.
    if (this.drawn !== key) return;
    // Mermaid's output, sanitised by Mermaid (securityLevel strict) from labels the core escaped.
    this.canvas.innerHTML = svgText;
    const svg = this.canvas.querySelector('svg');
    if (!svg) return;
    this.svg = svg;
    const vb = svg.viewBox.baseVal;
    this.size = { w: vb?.width || svg.getBBox().width, h: vb?.height || svg.getBBox().height };
    svg.setAttribute('width', String(this.size.w));
    svg.setAttribute('height', String(this.size.h));
    svg.style.maxWidth = 'none';
    svg.setAttribute('role', 'group');
    svg.setAttribute('aria-label', view === 'proposed' ? 'Proposed architecture' : 'Architecture today');
    const count = this.decorate(svg, view);
    this.status.textContent = '';
    const saved = this.store.state.zoom[view];
    if (saved) this.apply(saved);
    else this.fit(true);
    this.store.rendered(view, count);
  }

  /** Makes every node the model knows focusable, with a tooltip and an accessible name; returns how many. */
  private decorate(svg: SVGSVGElement, view: DiagramView): number {
    let count = 0;
    for (const g of svg.querySelectorAll<SVGGElement>('g.node')) {
      const n = this.store.node(view, nodeIdOf(g));
      if (!n) continue;
      g.dataset.saId = n.id;
      count++;
      const facts = [
        n.target && n.target !== 'external' ? n.target : undefined,
        n.monthlyUsd !== undefined ? `~$${n.monthlyUsd.toFixed(2)}/mo` : undefined,
        n.coldStartMs !== undefined ? `cold start ~${n.coldStartMs} ms` : undefined,
        n.group
          ? `group of ${n.group.count}: Enter expands it`
          : n.location
            ? `Enter opens ${n.location.file}`
            : undefined,
      ].filter(Boolean);
      const name = [n.label, ...facts].join(', ');
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', name);
      if (n.group || n.location) g.classList.add('sa-clickable');
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = name;
      g.prepend(title);
    }
    return count;
  }

  private apply(z: Zoom, save = false): void {
    this.zoom = z;
    this.canvas.style.transform = `translate(${z.x}px, ${z.y}px) scale(${z.scale})`;
    if (save) this.store.setZoom(this.view, z);
  }

  /** The whole diagram in the panel; `readable` keeps the text legible instead (the first view). */
  fit(readable = false): void {
    if (!this.svg) return;
    const vw = this.viewport.clientWidth;
    const vh = this.viewport.clientHeight;
    if (!vw || !vh || !this.size.w) return;
    let scale = Math.min(Math.max(Math.min(vw / this.size.w, vh / this.size.h) * 0.96, MIN_SCALE), 1.25);
    if (readable) scale = Math.max(scale, READABLE_SCALE);
    // Wider than the panel: start from the left, where the flow starts (the clients).
    const x = this.size.w * scale > vw ? 16 : (vw - this.size.w * scale) / 2;
    this.apply({ scale, x, y: (vh - this.size.h * scale) / 2 });
    if (readable) delete this.store.state.zoom[this.view];
    else this.store.setZoom(this.view, this.zoom);
  }

  /** Zooms by `factor` around a point of the viewport (its centre by default). */
  zoomBy(factor: number, cx = this.viewport.clientWidth / 2, cy = this.viewport.clientHeight / 2): void {
    const z = this.zoom;
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, z.scale * factor));
    const k = scale / z.scale;
    this.apply({ scale, x: cx - (cx - z.x) * k, y: cy - (cy - z.y) * k }, true);
  }

  actualSize(): void {
    this.apply({ scale: 1, x: 16, y: 16 }, true);
  }

  private onWheel(e: WheelEvent): void {
    if (!this.svg) return;
    e.preventDefault();
    const r = this.viewport.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey || Math.abs(e.deltaY) >= Math.abs(e.deltaX))
      this.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    else this.apply({ ...this.zoom, x: this.zoom.x - e.deltaX }, true);
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 || !this.svg) return;
    this.drag = { x: e.clientX, y: e.clientY, zx: this.zoom.x, zy: this.zoom.y, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < DRAG_PX) return;
    if (!d.moved) {
      d.moved = true;
      this.viewport.setPointerCapture(e.pointerId);
      this.viewport.classList.add('dragging');
    }
    this.apply({ ...this.zoom, x: d.zx + dx, y: d.zy + dy });
  }

  private onPointerUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = undefined;
    if (!d?.moved) return;
    this.suppressClick = true;
    this.viewport.classList.remove('dragging');
    if (this.viewport.hasPointerCapture(e.pointerId)) this.viewport.releasePointerCapture(e.pointerId);
    this.apply(this.zoom, true);
  }

  private nodeOf(target: EventTarget | null): SVGGElement | undefined {
    const el = target instanceof Element ? target.closest<SVGGElement>('g.node[data-sa-id]') : null;
    return el && this.svg?.contains(el) ? el : undefined;
  }

  private onClick(e: MouseEvent): void {
    if (this.suppressClick) {
      this.suppressClick = false;
      return;
    }
    const g = this.nodeOf(e.target);
    if (g) this.store.activateNode(this.view, g.dataset.saId ?? '');
  }

  private onKey(e: KeyboardEvent): void {
    const g = this.nodeOf(e.target);
    if (g && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      this.store.activateNode(this.view, g.dataset.saId ?? '');
      return;
    }
    if (e.key === '+' || e.key === '=') this.zoomBy(1.2);
    else if (e.key === '-') this.zoomBy(1 / 1.2);
    else if (e.key === '0') this.fit();
    else return;
    e.preventDefault();
  }

  /** The diagram as a standalone SVG in the light theme (documents and pull requests are mostly light). */
  async exportSvg(): Promise<string> {
    const model = this.store.model;
    if (!model) throw new Error('nothing to export yet');
    const text = await renderSvg(model[this.view].mermaid, 'light');
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = doc.documentElement;
    const vb = svg.getAttribute('viewBox')?.split(/\s+/).map(Number) ?? [];
    if (vb.length === 4) {
      svg.setAttribute('width', String(vb[2]));
      svg.setAttribute('height', String(vb[3]));
      svg.removeAttribute('style');
      const bg = doc.createElementNS('http://www.w3.org/2000/svg', 'rect');
      for (const [k, v] of Object.entries({ x: vb[0], y: vb[1], width: vb[2], height: vb[3], fill: '#ffffff' }))
        bg.setAttribute(k, String(v));
      svg.insertBefore(bg, svg.firstChild);
    }
    return new XMLSerializer().serializeToString(svg);
  }

  /** The same SVG drawn on a canvas at twice its size: a PNG data URL, made in the page, offline. */
  async exportPng(): Promise<string> {
    const svgText = await this.exportSvg();
    const img = new Image();
    const loaded = new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the SVG could not be loaded as an image'));
    });
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
    await loaded;
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(img.naturalWidth * scale);
    canvas.height = Math.ceil(img.naturalHeight * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png');
  }
}
