"""A small Python client of factgraph's FactGraphService.

    from factgraph_client import FactGraphClient
    with FactGraphClient("localhost:50051") as client:
        kaist = client.get("institutions/kaist")
        people = list(client.list_all("people"))
        print(client.snapshot_id)

Uses Debian's python3-grpcio (run with /usr/bin/python3). The stubs are
generated from proto/ (see generate_stubs.py): from the directory in
$FACTGRAPH_PYTHON_STUBS if set (the build puts them in
<build>/client/python/stubs), else into a temporary directory on import.
Failed calls raise grpc.RpcError; .code() is the gRPC status.
"""

import os
import sys
import tempfile

import grpc

import generate_stubs


def _stubs_dir():
    given = os.environ.get("FACTGRAPH_PYTHON_STUBS")
    if given:
        return given
    return generate_stubs.generate(tempfile.mkdtemp(prefix="factgraph-stubs-"))


sys.path.insert(0, _stubs_dir())

from factgraph.v1 import admin_service_pb2  # noqa: E402
from factgraph.v1 import admin_service_pb2_grpc  # noqa: E402
from factgraph.v1 import factgraph_service_pb2 as api  # noqa: E402
from factgraph.v1 import factgraph_service_pb2_grpc as api_grpc  # noqa: E402

SNAPSHOT_ID_KEY = "x-factgraph-snapshot-id"


def _collections():
    """collection id -> (Get method, List method, List's resource field).

    Read off the service descriptor, as the C++ CLI does: a List method whose
    response holds a repeated resource field names a collection."""
    service = api.DESCRIPTOR.services_by_name["FactGraphService"]
    found = {}
    for method in service.methods:
        if not method.name.startswith("List") or method.server_streaming:
            continue
        for field in method.output_type.fields:
            if (field.label == field.LABEL_REPEATED and field.message_type is not None
                    and "name" in field.message_type.fields_by_name):
                get = service.methods_by_name.get("Get" + field.message_type.name)
                if get is not None:
                    found[field.name] = (get, method, field.name)
    return found


COLLECTIONS = _collections()


def value_text(value):
    """A FactValue as text: a resource name, an amount or date as written,
    else the value itself."""
    kind = value.WhichOneof("kind")
    if kind is None:
        return ""
    inner = getattr(value, kind)
    if kind == "entity_value":
        return inner.name
    if kind in ("money_value", "date_value"):
        return inner.text
    return str(inner)


class FactGraphClient:
    """Typed calls to one factgraphd; each call has a deadline of `timeout`
    seconds. `snapshot_id` is the id the server sent with the last answer."""

    def __init__(self, target, timeout=10.0, credentials=None, token=None):
        if credentials is None:
            self._channel = grpc.insecure_channel(target)
        else:
            self._channel = grpc.secure_channel(target, credentials)
        self._stub = api_grpc.FactGraphServiceStub(self._channel)
        self._admin = admin_service_pb2_grpc.AdminServiceStub(self._channel)
        self._timeout = timeout
        self._metadata = (("authorization", "Bearer " + token),) if token else ()
        self.snapshot_id = None

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, method_name, request, stub=None):
        method = getattr(stub or self._stub, method_name)
        response, call = method.with_call(request, timeout=self._timeout,
                                          metadata=self._metadata)
        self.snapshot_id = dict(call.initial_metadata()).get(SNAPSHOT_ID_KEY)
        return response

    @staticmethod
    def _collection(collection_id):
        if collection_id not in COLLECTIONS:
            raise ValueError("unknown collection %r; collections: %s" %
                             (collection_id, ", ".join(sorted(COLLECTIONS))))
        return COLLECTIONS[collection_id]

    def get(self, name):
        """The resource named e.g. "institutions/kaist"."""
        get, _, _ = self._collection(name.split("/", 1)[0])
        request = getattr(api, get.input_type.name)(name=name)
        response = self._call(get.name, request)
        return getattr(response, response.DESCRIPTOR.fields[0].name)

    def list(self, collection, filter="", order_by="", page_size=0, page_token=""):
        """One page: the List<Collection>Response."""
        _, list_method, _ = self._collection(collection)
        request = getattr(api, list_method.input_type.name)(
            filter=filter, order_by=order_by, page_size=page_size, page_token=page_token)
        return self._call(list_method.name, request)

    def list_all(self, collection, filter="", order_by="", page_size=0):
        """Every matching resource, following next_page_token."""
        _, _, field = self._collection(collection)
        token = ""
        while True:
            page = self.list(collection, filter, order_by, page_size, token)
            yield from getattr(page, field)
            token = page.next_page_token
            if not token:
                return

    def search(self, text, collections=(), page_size=0):
        """Ranked SearchResults for names and aliases."""
        return self._call("SearchEntities", api.SearchEntitiesRequest(
            query=text, collections=list(collections), page_size=page_size)).results

    def facts(self, subject="", predicate="", object="", document="", limit=0):
        """Every Fact matching the pattern, from the QueryFacts stream."""
        request = api.QueryFactsRequest(subject=subject, predicate=predicate,
                                        object=object, document=document, limit=limit)
        stream = self._stub.QueryFacts(request, timeout=self._timeout,
                                       metadata=self._metadata)
        self.snapshot_id = dict(stream.initial_metadata()).get(SNAPSHOT_ID_KEY)
        for batch in stream:
            yield from batch.facts

    def neighbors(self, name, depth=1, predicates=(), max_results=0):
        return self._call("ListNeighbors", api.ListNeighborsRequest(
            name=name, depth=depth, predicates=list(predicates),
            max_results=max_results)).neighbors

    def paths(self, from_name, to_name, max_length=0, max_paths=0):
        return self._call("FindPaths", api.FindPathsRequest(
            max_length=max_length, max_paths=max_paths, **{"from": from_name, "to": to_name}
        )).paths

    def info(self):
        return self._call("GetKnowledgeBaseInfo", api.GetKnowledgeBaseInfoRequest())

    def reload(self):
        """AdminService.ReloadKnowledgeBase; needs the client's token."""
        return self._call("ReloadKnowledgeBase",
                          admin_service_pb2.ReloadKnowledgeBaseRequest(), stub=self._admin)
