import * as assert from 'node:assert/strict';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';

// The CLI's --help says nothing is sent anywhere: the analysis (rules, pricing, costs included) opens no socket.
describe('offline', () => {
  it('analyses the example without opening a socket, resolving a name or fetching', () => {
    const attempts: string[] = [];
    const saved = {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- saved only to be put back as it was
      connect: net.Socket.prototype.connect,
      lookup: dns.lookup,
      httpRequest: http.request,
      httpsRequest: https.request,
      fetch: globalThis.fetch,
    };
    const refuse = (what: string) =>
      function (): never {
        attempts.push(what);
        throw new Error(`network use during analysis: ${what}`);
      };
    net.Socket.prototype.connect = refuse('net.Socket.connect');
    (dns as { lookup: unknown }).lookup = refuse('dns.lookup');
    (http as { request: unknown }).request = refuse('http.request');
    (https as { request: unknown }).request = refuse('https.request');
    globalThis.fetch = refuse('fetch');
    try {
      const r = analyze({ root: path.resolve(__dirname, '../../examples/shop-api') });
      assert.ok(r.components.length > 0 && r.totals);
    } finally {
      net.Socket.prototype.connect = saved.connect;
      (dns as { lookup: unknown }).lookup = saved.lookup;
      (http as { request: unknown }).request = saved.httpRequest;
      (https as { request: unknown }).request = saved.httpsRequest;
      globalThis.fetch = saved.fetch;
    }
    assert.deepEqual(attempts, []);
  });
});
