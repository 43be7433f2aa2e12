'use strict';
// A small Node client of factgraph's FactGraphService, with @grpc/grpc-js
// and @grpc/proto-loader: the .proto files are loaded at run time from
// $FACTGRAPH_PROTO_DIR, else the package's proto/ (copied by `npm pack`),
// else the checkout's proto/, so nothing is generated. Channels use the
// recommended service config of deploy/README.md (round_robin, retries).
//
//   const { FactGraphClient } = require('./client');
//   const client = new FactGraphClient('localhost:50051');
//   const kaist = await client.get('institutions/kaist');
//
// Failed calls reject with the grpc-js error; error.code is the gRPC status,
// errorDetails(error) its google.rpc details and describeError(error) both on
// one line.

const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

// The package's copy when installed from `npm pack`, else the checkout's.
function packagedOr(packaged, checkout) {
  const inPackage = path.join(__dirname, packaged);
  return fs.existsSync(inPackage) ? inPackage : path.resolve(__dirname, checkout);
}

const PROTO_DIR = process.env.FACTGRAPH_PROTO_DIR || packagedOr('proto', '../../proto');
const SERVICE_CONFIG = JSON.stringify(JSON.parse(fs.readFileSync(
    packagedOr('service_config.json', '../service_config.json'), 'utf8')));
// The recommended service config, unless a caller passes channel options.
const DEFAULT_CHANNEL_OPTIONS = { 'grpc.service_config': SERVICE_CONFIG };
// google/api (the schema's annotations) and google/rpc (error details), from
// the npm package google-proto-files.
const GOOGLE_PROTO_DIR = path.dirname(require.resolve('google-proto-files/package.json'));
const SNAPSHOT_ID_KEY = 'x-factgraph-snapshot-id';

const packageDefinition = protoLoader.loadSync(
    ['factgraph/v1/factgraph_service.proto', 'factgraph/v1/admin_service.proto'], {
      includeDirs: [PROTO_DIR, GOOGLE_PROTO_DIR],
      keepCase: true,  // Field names as in the .proto: display_name.
      longs: String,
      enums: String,
      defaults: true,  // Unset scalars and lists as their defaults: false, '', [].
      oneofs: true,
    });
const v1 = grpc.loadPackageDefinition(packageDefinition).factgraph.v1;

// google.rpc.Status and the error details, to read grpc-status-details-bin.
const rpcRoot = new protobuf.Root();
rpcRoot.resolvePath = (origin, target) => path.join(GOOGLE_PROTO_DIR, target);
rpcRoot.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
const RpcStatus = rpcRoot.lookupType('google.rpc.Status');

// The google.rpc details of a failed call: [{ type: 'google.rpc.ErrorInfo',
// reason, domain, metadata }, { type: 'google.rpc.BadRequest', ... }, ...].
function errorDetails(error) {
  const [raw] = error && error.metadata ? error.metadata.get('grpc-status-details-bin') : [];
  if (!raw) return [];
  const status = RpcStatus.decode(raw);
  return status.details.map((any) => {
    const type = any.type_url.split('/').pop();
    let detailType;
    try {
      detailType = rpcRoot.lookupType(type);
    } catch (unknown) {
      return { type };
    }
    return { type, ...detailType.toObject(detailType.decode(any.value), { longs: Number, defaults: true }) };
  });
}

// One line, as the CLI prints it: "NOT_FOUND: institutions/x not found
// [reason=RESOURCE_NOT_FOUND resource=factgraph.dev/Institution institutions/x]".
function describeError(error) {
  const parts = [];
  for (const detail of errorDetails(error)) {
    if (detail.type === 'google.rpc.ErrorInfo') {
      parts.push(`reason=${detail.reason}`);
      if (detail.metadata && detail.metadata.position) parts.push(`position=${detail.metadata.position}`);
    } else if (detail.type === 'google.rpc.BadRequest') {
      for (const violation of detail.fieldViolations || []) parts.push(`field=${violation.field}`);
    } else if (detail.type === 'google.rpc.ResourceInfo') {
      parts.push(`resource=${detail.resourceType} ${detail.resourceName}`);
    } else if (detail.type === 'google.rpc.RetryInfo') {
      const delay = detail.retryDelay || {};
      parts.push(`retry_after=${(delay.seconds || 0) + (delay.nanos || 0) / 1e9}s`);
    }
  }
  return `${grpc.status[error.code]}: ${error.details}` + (parts.length ? ` [${parts.join(' ')}]` : '');
}

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
  // `channelOptions`: grpc-js channel options, by default the recommended
  // service config.
  constructor(target, {
    credentials, timeoutMs = 10000, token, channelOptions = DEFAULT_CHANNEL_OPTIONS,
  } = {}) {
    const channelCredentials = credentials || grpc.credentials.createInsecure();
    this.stub = new v1.FactGraphService(target, channelCredentials, channelOptions);
    this.admin = new v1.AdminService(target, channelCredentials, channelOptions);
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
    return this._call(collection.get, { name });  // The resource itself (AIP-131).
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

module.exports = {
  FactGraphClient, COLLECTIONS, SERVICE_CONFIG, errorDetails, describeError, grpc,
};
