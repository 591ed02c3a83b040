import * as assert from 'node:assert/strict';
import { graphqlDetector } from '../../../src/core/detect/graphql';
import { DETECTORS } from '../../../src/core/detect/registry';
import { analyzeFixture, component, findingKeys, hazardsOf } from '../helpers';
import { analyzer, mapProbe, summaryWith } from '../probes';

const detectors = [graphqlDetector, mapProbe];
const analyzeGql = analyzer(detectors);
const summary = summaryWith('framework', 'name');

/** A resolver module with module state, for attribution through the server's resolvers. */
const RESOLVERS = `
const seen = new Map<string, number>();
export const resolvers = {
  Query: { hits: () => { seen.set('q', (seen.get('q') ?? 0) + 1); return seen.get('q'); } },
};
`;

describe('graphql detector', () => {
  describe('fixture servers', () => {
    const r = analyzeFixture('graphql', { detectors });

    it('finds the Apollo, Yoga and Mercurius servers at their paths, and not the look-alikes', () => {
      assert.deepEqual(summary(r), [
        'graphql:/api/graphql | apollo | GraphQL /api/graphql | src/apollo/server.ts:5:23',
        'graphql:/mgql | mercurius | GraphQL /mgql | src/mercurius/app.js:7:1',
        'graphql:/yoga | yoga | GraphQL /yoga | src/yoga/server.ts:10:14',
      ]);
      assert.deepEqual(component(r, 'graphql:/api/graphql').trigger, { type: 'graphql', path: '/api/graphql' });
      assert.ok(r.components.every((c) => c.kind === 'graphql'));
    });

    it('is registered: the default analysis finds the same components', () => {
      const all = analyzeFixture('graphql');
      assert.deepEqual(
        all.components.filter((c) => c.kind === 'graphql').map((c) => c.id),
        r.components.map((c) => c.id),
      );
      assert.ok(DETECTORS.includes(graphqlDetector));
    });

    it('points each server at its resolvers, across files and CommonJS', () => {
      assert.deepEqual(component(r, 'graphql:/api/graphql').handler, {
        file: 'src/apollo/resolvers/index.ts',
        line: 3,
        column: 1,
      });
      assert.deepEqual(component(r, 'graphql:/yoga').handler, { file: 'src/yoga/resolvers.ts', line: 3, column: 1 });
      assert.deepEqual(component(r, 'graphql:/mgql').handler, { file: 'src/mercurius/schema.js', line: 5, column: 1 });
    });

    it('attributes the state that resolver functions write to their server', () => {
      assert.deepEqual(findingKeys(r), [
        'src/apollo/resolvers/books.ts:7 test-module-map',
        'src/yoga/resolvers.ts:1 test-module-map',
      ]);
      assert.deepEqual(
        r.findings.map((f) => f.components),
        [['graphql:/api/graphql'], ['graphql:/yoga']],
      );
      assert.deepEqual(hazardsOf(r, 'graphql:/mgql'), []);
    });
  });

  describe('Apollo Server', () => {
    it('serves at / with startStandaloneServer and finds the resolvers of a schema built in another file', () => {
      const r = analyzeGql({
        'src/index.ts': `
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { schema } from './schema';
const server = new ApolloServer({ schema });
startStandaloneServer(server, { listen: { port: 4000 } });
`,
        'src/schema.ts': `
import { makeExecutableSchema } from '@graphql-tools/schema';
import { resolvers } from './resolvers';
export const schema = makeExecutableSchema({ typeDefs: 'type Query { hits: Int }', resolvers });
`,
        'src/resolvers.ts': RESOLVERS,
      });
      assert.deepEqual(summary(r), ['graphql:/ | apollo | GraphQL / | src/index.ts:5:16']);
      assert.deepEqual(findingKeys(r), ['src/resolvers.ts:2 test-module-map']);
      assert.deepEqual(r.findings[0]!.components, ['graphql:/']);
    });

    it('reads a server created and mounted inside a function, with a subgraph schema in the same file', () => {
      const r = analyzeGql({
        'src/main.ts': `
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@apollo/server/express4';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { resolvers } from './resolvers';
export async function main() {
  const app = express();
  const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: {} as any, resolvers }]) });
  await server.start();
  app.use(expressMiddleware(server));
}
`,
        'src/resolvers.ts': RESOLVERS,
      });
      assert.deepEqual(summary(r), ['graphql:/ | apollo | GraphQL / | src/main.ts:9:18']);
      assert.deepEqual(r.findings[0]!.components, ['graphql:/']);
    });

    it('reads apollo-server-express 3 applyMiddleware paths and CommonJS requires', () => {
      const r = analyzeGql({
        'src/a.js': `
const { ApolloServer } = require('apollo-server-express');
const { resolvers } = require('./resolvers');
const server = new ApolloServer({ typeDefs: 'type Query { hits: Int }', resolvers });
server.applyMiddleware({ app: require('express')(), path: '/gql' });
module.exports = server;
`,
        'src/b.ts': `
import { ApolloServer } from 'apollo-server-express';
export const other = new ApolloServer({ typeDefs: '', resolvers: { Query: {} } });
`,
        'src/c.ts': `
import express from 'express';
import { other } from './b';
other.applyMiddleware({ app: express() });
`,
        'src/d.ts': `
import { ApolloServer } from 'apollo-server';
const standalone = new ApolloServer({ typeDefs: '', resolvers: {} });
standalone.listen(4000);
`,
        'src/resolvers.ts': RESOLVERS,
      });
      assert.deepEqual(summary(r), [
        'graphql:/gql | apollo | GraphQL /gql | src/a.js:4:16',
        'graphql:/graphql | apollo | GraphQL /graphql | src/b.ts:3:22',
        'graphql:/ | apollo | GraphQL / | src/d.ts:3:20',
      ]);
      assert.deepEqual(r.findings[0]!.components, ['graphql:/gql']);
    });

    it('defaults to /graphql when the server is never mounted, and ignores mounts of other objects', () => {
      const r = analyzeGql({
        'src/server.ts': `
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from 'some-other-lib';
export const server = new ApolloServer({ typeDefs: '', resolvers: {} });
const app = { use(..._a: unknown[]) {}, applyMiddleware(_o: object) {} };
app.use('/elsewhere', expressMiddleware(server));
app.applyMiddleware({ path: '/nope' });
`,
      });
      assert.deepEqual(summary(r), ['graphql:/graphql | apollo | GraphQL /graphql | src/server.ts:4:23']);
    });

    it('ignores a local class named ApolloServer and one imported from elsewhere', () => {
      const r = analyzeGql({
        'src/a.ts': `
// import { ApolloServer } from '@apollo/server';
class ApolloServer { constructor(_o: object) {} }
export const s = new ApolloServer({ resolvers: {} });
`,
        'src/b.ts': `
import { ApolloServer } from './my-apollo';
export const t = new ApolloServer({ resolvers: {} }); // not '@apollo/server'
`,
        'src/my-apollo.ts': 'export class ApolloServer { constructor(_o: object) {} }\n',
      });
      assert.deepEqual(r.components, []);
    });
  });

  describe('GraphQL Yoga', () => {
    it('defaults to /graphql and takes the resolvers from createSchema', () => {
      const r = analyzeGql({
        'src/yoga.ts': `
import { createSchema, createYoga } from 'graphql-yoga';
import { resolvers } from './resolvers';
export const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { hits: Int }', resolvers }) });
`,
        'src/resolvers.ts': RESOLVERS,
      });
      assert.deepEqual(summary(r), ['graphql:/graphql | yoga | GraphQL /graphql | src/yoga.ts:4:21']);
      assert.deepEqual(r.findings[0]!.components, ['graphql:/graphql']);
    });

    it('ignores createYoga of another package', () => {
      const r = analyzeGql({
        'src/yoga.ts': `
import { createYoga } from 'not-graphql-yoga';
// graphql-yoga is not what this file uses
export const y = createYoga({ graphqlEndpoint: '/x' });
`,
      });
      assert.deepEqual(r.components, []);
    });
  });

  describe('Mercurius', () => {
    it('reads an ES default import with path and prefix, and a require() passed inline', () => {
      const r = analyzeGql({
        'src/es.ts': `
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { resolvers } from './resolvers';
const app = Fastify();
app.register(mercurius, { schema: 'type Query { hits: Int }', resolvers, prefix: '/v1', path: 'gql' });
`,
        'src/cjs.js': `
const fastify = require('fastify')();
fastify.register(require('mercurius'), { schema: 'type Query { a: Int }', resolvers: { Query: { a: () => 1 } } });
`,
        'src/resolvers.ts': RESOLVERS,
      });
      assert.deepEqual(summary(r), [
        'graphql:/graphql | mercurius | GraphQL /graphql | src/cjs.js:3:1',
        'graphql:/v1/gql | mercurius | GraphQL /v1/gql | src/es.ts:6:1',
      ]);
      assert.deepEqual(r.findings[0]!.components, ['graphql:/v1/gql']);
    });

    it('ignores other fastify plugins registered with a schema option', () => {
      const r = analyzeGql({
        'src/app.ts': `
import Fastify from 'fastify';
import mercuriusLike from './mercurius';
import swagger from '@fastify/swagger';
const app = Fastify();
app.register(swagger, { schema: {} });
app.register(mercuriusLike, { schema: '', resolvers: {} });
`,
        'src/mercurius.ts': 'export default async function plugin() {}\n',
      });
      assert.deepEqual(r.components, []);
    });
  });
});
