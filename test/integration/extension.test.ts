// @workspace examples/shop-api
// The extension is installed, activates on its command and registers every command it contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, extension } from './helpers';

describe('extension', () => {
  it(`is installed as ${EXTENSION_ID}`, () => {
    const ext = extension();
    assert.equal(ext.packageJSON.name, 'serverless-advisor');
  });

  it('activates on serverlessAdvisor.analyzeWorkspace', async () => {
    const ext = extension();
    // examples/shop-api has no serverless-advisor.yaml, so nothing but the command should activate it.
    console.log(`    active before the command: ${ext.isActive}`);
    await vscode.commands.executeCommand('serverlessAdvisor.analyzeWorkspace');
    assert.equal(ext.isActive, true, 'the extension is not active after running its command');
  });

  it('registers every command in contributes.commands', async () => {
    await extension().activate();
    const contributed = (extension().packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed commands that activate() did not register',
    );
  });

  it('exports the test API: whenIdle() and results()', async () => {
    const exported = await extension().activate();
    assert.equal(typeof exported?.whenIdle, 'function');
    assert.equal(typeof exported?.results, 'function');
    await exported.whenIdle();
    assert.ok(exported.results() instanceof Map, 'results() is not a Map');
  });
});
