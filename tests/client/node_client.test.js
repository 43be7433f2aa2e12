'use strict';
// The Node client (client/node) and its example against the real factgraphd.
// Run: node --test tests/client/node_client.test.js (FACTGRAPHD set).

const assert = require('node:assert/strict');
const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');

const SOURCE_DIR = process.env.FACTGRAPH_SOURCE_DIR || path.resolve(__dirname, '..', '..');
const NODE_CLIENT_DIR = path.join(SOURCE_DIR, 'client', 'node');
const { FactGraphClient, errorDetails, grpc } = require(path.join(NODE_CLIENT_DIR, 'client.js'));
const TOKEN = 'node-client-token';

let server;
let dir;
let target;
let client;

function waitForPort(portFile, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (child.exitCode !== null) return reject(new Error(`factgraphd exited with ${child.exitCode}`));
      if (fs.existsSync(portFile)) {
        const text = fs.readFileSync(portFile, 'utf8').trim();
        if (text) return resolve(Number(text));
      }
      if (Date.now() > deadline) return reject(new Error('factgraphd wrote no port'));
      setTimeout(poll, 20);
    };
    poll();
  });
}

before(async () => {
  assert.ok(process.env.FACTGRAPHD, 'FACTGRAPHD must name the server binary');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factgraph-node-'));
  const portFile = path.join(dir, 'port');
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, `${TOKEN}\n`);
  server = spawn(process.env.FACTGRAPHD, [
    '--listen=127.0.0.1:0', `--port_file=${portFile}`,
    `--seeds=${path.join(SOURCE_DIR, 'seeds')}`, `--admin_token_file=${tokenFile}`,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  target = `127.0.0.1:${await waitForPort(portFile, server, 60000)}`;
  client = new FactGraphClient(target);
});

after(async () => {
  if (client) client.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 20000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('get returns the resource and records the snapshot id', async () => {
  const kaist = await client.get('institutions/kaist');
  assert.equal(kaist.name, 'institutions/kaist');
  assert.equal(kaist.display_name, 'KAIST');
  assert.equal(kaist.kind, 'INSTITUTION_KIND_UNIVERSITY');
  assert.ok(kaist.aliases.includes('카이스트'));
  const info = await client.info();
  assert.equal(client.snapshotId, info.snapshot_id);
  assert.equal(info.snapshot_id.length, 32);
});

test('listAll follows pages', async () => {
  const paged = await client.listAll('people', { pageSize: 3 });
  const whole = await client.list('people', { pageSize: 1000 });
  assert.deepEqual(paged.map((p) => p.name), whole.people.map((p) => p.name));
  assert.equal(paged.length, whole.total_size);
  const info = await client.info();
  assert.equal(paged.length, info.counts.people);
});

test('search, facts, neighbors and paths', async () => {
  const results = await client.search('Lee Kwang-hyung', { collections: ['people'] });
  assert.equal(results[0].entity.name, 'people/lee-kwang-hyung');
  const facts = await client.facts({ subject: 'institutions/kaist', predicate: 'display_name' });
  assert.equal(facts.length, 1);
  assert.equal(facts[0].object.string_value, 'KAIST');
  const neighbors = await client.neighbors('people/lee-kwang-hyung');
  assert.ok(neighbors.map((n) => n.entity.name).includes('institutions/kaist'));
  const paths = await client.paths('institutions/kaist', 'institutions/korea-university');
  assert.equal(paths[0].entities[0].name, 'institutions/kaist');
  assert.equal(paths[0].entities.at(-1).name, 'institutions/korea-university');
});

test('errors carry the gRPC status', async () => {
  await assert.rejects(client.get('institutions/no-such-place'), (error) => {
    assert.equal(error.code, grpc.status.NOT_FOUND);
    assert.equal(error.details, 'institutions/no-such-place not found');
    assert.deepEqual(errorDetails(error), [
      { type: 'google.rpc.ErrorInfo', reason: 'RESOURCE_NOT_FOUND', domain: 'factgraph.dev', metadata: {} },
      {
        type: 'google.rpc.ResourceInfo', resourceType: 'factgraph.dev/Institution',
        resourceName: 'institutions/no-such-place', owner: '',
        description: 'institutions/no-such-place not found',
      },
    ]);
    return true;
  });
  await assert.rejects(client.list('institutions', { filter: 'display_name = "x" AND no_such_field = 1' }),
      (error) => {
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        const [badRequest, info] = errorDetails(error);
        assert.deepEqual(badRequest.fieldViolations.map((v) => v.field), ['filter']);
        assert.equal(info.reason, 'INVALID_FILTER');
        assert.equal(info.metadata.position, '24');
        return true;
      });
  await assert.rejects(client.reload(), (error) => {
    assert.equal(error.code, grpc.status.UNAUTHENTICATED);
    assert.deepEqual(errorDetails(error).map((d) => d.reason), ['UNAUTHENTICATED']);
    return true;
  });
  assert.throws(() => client.list('colleges'), /unknown collection "colleges"/);
});

test('reload with the token', async () => {
  const admin = new FactGraphClient(target, { token: TOKEN });
  try {
    const before = (await admin.info()).snapshot_id;
    const reloaded = await admin.reload();
    assert.equal(reloaded.snapshot_id, before);
    assert.equal(reloaded.changed, false);
  } finally {
    admin.close();
  }
});

test('the example runs', async () => {
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(NODE_CLIENT_DIR, 'example.js'), target],
        { timeout: 120000 }, (error, out, err) => (error ? reject(new Error(err)) : resolve(out)));
  });
  const lines = stdout.trim().split('\n');
  const kaist = await client.get('institutions/kaist');
  assert.equal(lines[0], `institutions/kaist: KAIST (${kaist.aliases.join(', ')})`);
  assert.equal(lines[1], `snapshot: ${(await client.info()).snapshot_id}`);
  assert.ok(lines.includes('search: people/lee-kwang-hyung Lee Kwang-hyung'));
  assert.equal(lines.at(-1), 'missing: NOT_FOUND: institutions/no-such-place not found '
      + '[reason=RESOURCE_NOT_FOUND resource=factgraph.dev/Institution institutions/no-such-place]');
});
