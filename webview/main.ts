// The panel's entry: the editor's transport, the store, the custom elements. Messages from the host go to the one
// switch in store.receive(); the elements render from the store.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { HostMessage, PageMessage } from '../src/protocol';
import { SaApp } from './components/sa-app';
import { SaComponentsTable } from './components/sa-components-table';
import { SaBreakEvenChart } from './components/sa-break-even-chart';
import { SaCosts } from './components/sa-costs';
import { SaDiagram } from './components/sa-diagram';
import { SaFindingsList } from './components/sa-findings-list';
import { Store, type PageState } from './store';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

customElements.define('sa-app', SaApp);
customElements.define('sa-diagram', SaDiagram);
customElements.define('sa-components-table', SaComponentsTable);
customElements.define('sa-costs', SaCosts);
customElements.define('sa-break-even-chart', SaBreakEvenChart);
customElements.define('sa-findings-list', SaFindingsList);

const vscode = acquireVsCodeApi();
const store = new Store({
  post: (m) => vscode.postMessage(m),
  getState: () => vscode.getState(),
  setState: (s) => vscode.setState(s),
});
window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  // Only the host posts to this frame; its messages are typed by the protocol.
  if (e.data && typeof e.data === 'object' && 'type' in e.data) store.receive(e.data);
});
window.addEventListener('error', (e) => store.reportError(String(e.message)));
const app = document.querySelector<SaApp>('sa-app');
app?.connect(store);
store.ready();
