'use strict';
// A small Node client of factgraph's FactGraphService, with @grpc/grpc-js
// and @grpc/proto-loader: the .proto files are loaded at run time from
// proto/ (or $FACTGRAPH_PROTO_DIR), so nothing is generated.
//
//   const { FactGraphClient } = require('./client');
//   const client = new FactGraphClient('localhost:50051');
//   const kaist = await client.get('institutions/kaist');
//
// Failed calls reject with the grpc-js error; error.code is the gRPC status.

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_DIR = process.env.FACTGRAPH_PROTO_DIR ||
    path.resolve(__dirname, '..', '..', 'proto');
const SNAPSHOT_ID_KEY = 'x-factgraph-snapshot-id';

const packageDefinition = protoLoader.loadSync(
    ['factgraph/v1/factgraph_service.proto', 'factgraph/v1/admin_service.proto'], {
      includeDirs: [PROTO_DIR],
      keepCase: true,  // Field names as in the .proto: display_name.
      longs: String,
      enums: String,
      defaults: true,  // Unset scalars and lists as their defaults: false, '', [].
      oneofs: true,
    });
const v1 = grpc.loadPackageDefinition(packageDefinition).factgraph.v1;

// collection id -> {get, list, field}: read off the service definition, as
// the C++ CLI does. A List method whose response holds a repeated resource
// field names a collection.
function findCollections() {
  const collections = {};
  const service = v1.FactGraphService.service;
  for (const [methodName, method] of Object.entries(service)) {
    if (!methodName.startsWith('List') || method.responseStream) continue;
    const response = method.responseType.type;
    for (const field of response.field) {
      if (field.label !== 'LABEL_REPEATED' || field.type !== 'TYPE_MESSAGE') continue;
      const resourceType = field.typeName.split('.').pop();
      const get = `Get${resourceType}`;
      if (service[get]) collections[field.name] = { get, list: methodName, field: field.name };
    }
  }
  return collections;
}

const COLLECTIONS = findCollections();

class FactGraphClient {
  // `credentials`: grpc.credentials.createSsl(...) for TLS; `token`: bearer
  // token for AdminService. Each call has a deadline of `timeoutMs`.
  constructor(target, { credentials, timeoutMs = 10000, token } = {}) {
    const channelCredentials = credentials || grpc.credentials.createInsecure();
    this.stub = new v1.FactGraphService(target, channelCredentials);
    this.admin = new v1.AdminService(target, channelCredentials);
    this.timeoutMs = timeoutMs;
    this.token = token;
    // The snapshot id the server sent with the last answer.
    this.snapshotId = null;
  }

  close() {
    this.stub.close();
    this.admin.close();
  }

  _options() {
    return { deadline: new Date(Date.now() + this.timeoutMs) };
  }

  _metadata() {
    const metadata = new grpc.Metadata();
    if (this.token) metadata.set('authorization', `Bearer ${this.token}`);
    return metadata;
  }

  _call(method, request, stub = this.stub) {
    return new Promise((resolve, reject) => {
      const call = stub[method](request, this._metadata(), this._options(), (error, response) => {
        if (error) reject(error);
        else resolve(response);
      });
      call.on('metadata', (metadata) => {
        const [id] = metadata.get(SNAPSHOT_ID_KEY);
        if (id !== undefined) this.snapshotId = String(id);
      });
    });
  }

  static _collection(id) {
    const collection = COLLECTIONS[id];
    if (!collection) {
      throw new Error(`unknown collection "${id}"; collections: ${Object.keys(COLLECTIONS).sort().join(', ')}`);
    }
    return collection;
  }

  // The resource named e.g. "institutions/kaist".
  async get(name) {
    const collection = FactGraphClient._collection(name.split('/')[0]);
    const response = await this._call(collection.get, { name });
    return Object.values(response)[0];
  }

  // One page: the List<Collection>Response.
  list(collectionId, { filter = '', orderBy = '', pageSize = 0, pageToken = '' } = {}) {
    const collection = FactGraphClient._collection(collectionId);
    return this._call(collection.list, {
      filter, order_by: orderBy, page_size: pageSize, page_token: pageToken,
    });
  }

  // Every matching resource, following next_page_token.
  async listAll(collectionId, { filter = '', orderBy = '', pageSize = 0 } = {}) {
    const { field } = FactGraphClient._collection(collectionId);
    const resources = [];
    let pageToken = '';
    do {
      const page = await this.list(collectionId, { filter, orderBy, pageSize, pageToken });
      resources.push(...(page[field] || []));
      pageToken = page.next_page_token || '';
    } while (pageToken);
    return resources;
  }

  async search(query, { collections = [], pageSize = 0 } = {}) {
    const response = await this._call('SearchEntities', { query, collections, page_size: pageSize });
    return response.results || [];
  }

  // Every fact matching the pattern, from the QueryFacts stream.
  facts({ subject = '', predicate = '', object = '', document = '', limit = 0 } = {}) {
    return new Promise((resolve, reject) => {
      const facts = [];
      const stream = this.stub.QueryFacts(
          { subject, predicate, object, document, limit }, this._metadata(), this._options());
      stream.on('metadata', (metadata) => {
        const [id] = metadata.get(SNAPSHOT_ID_KEY);
        if (id !== undefined) this.snapshotId = String(id);
      });
      stream.on('data', (batch) => facts.push(...(batch.facts || [])));
      stream.on('error', reject);
      stream.on('end', () => resolve(facts));
    });
  }

  async neighbors(name, { depth = 1, predicates = [], maxResults = 0 } = {}) {
    const response = await this._call('ListNeighbors', {
      name, depth, predicates, max_results: maxResults,
    });
    return response.neighbors || [];
  }

  async paths(from, to, { maxLength = 0, maxPaths = 0 } = {}) {
    const response = await this._call('FindPaths', {
      from, to, max_length: maxLength, max_paths: maxPaths,
    });
    return response.paths || [];
  }

  info() {
    return this._call('GetKnowledgeBaseInfo', {});
  }

  reload() {
    return this._call('ReloadKnowledgeBase', {}, this.admin);
  }
}

module.exports = { FactGraphClient, COLLECTIONS, grpc };
