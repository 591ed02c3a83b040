// Helpers for the suites that run inside the extension host (see index.ts).
import * as vscode from 'vscode';
import type { ServerlessAdvisorApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'serverless-advisor.serverless-advisor';

/** What activate() returns (src/extension/extension.ts), for the tests. */
export type ExtensionApi = ServerlessAdvisorApi;

export function extension(): vscode.Extension<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this editor`);
  return ext;
}

/** Activates the extension (a no-op when it is active) and returns its API. */
export async function api(): Promise<ExtensionApi> {
  return extension().activate();
}

/** The first workspace folder: the runner's temp copy of the fixture. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder;
}

/** Polls fn until it returns a truthy value, or fails with `what` after timeoutMs. */
export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 30000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Runs a step and, while it runs, prints every 15 s what the extension is doing (its diagnose()), so a step that
 * never finishes leaves a trail in the console log instead of a bare mocha timeout.
 */
export async function traced<T>(what: string, fn: () => Thenable<T> | Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => {
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    const state = ext?.isActive ? ext.exports.diagnose() : 'the extension is not active';
    console.log(
      `[sa-mocha] [trace] ${what}: still running after ${Math.round((Date.now() - started) / 1000)} s; ${state}`,
    );
  }, 15000);
  try {
    const value = await fn();
    console.log(`[sa-mocha] [trace] ${what}: done in ${Date.now() - started} ms`);
    return value;
  } finally {
    clearInterval(timer);
  }
}
