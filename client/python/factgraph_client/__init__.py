"""A small Python client of factgraph's FactGraphService.

    from factgraph_client import FactGraphClient
    with FactGraphClient("localhost:50051") as client:
        kaist = client.get("institutions/kaist")
        people = list(client.list_all("people"))
        print(client.snapshot_id)

Uses grpcio and protobuf (Debian's python3-grpcio with /usr/bin/python3).
The stubs are generated from proto/ at build time (generate_stubs.py), never
on import: `pip install client/python` puts them into the installed package;
a CMake build puts them into <build>/client/python/stubs, which
$FACTGRAPH_PYTHON_STUBS names when running from the checkout.
Failed calls raise grpc.RpcError; .code() is the gRPC status, and
error_details(error) / describe_error(error) read its google.rpc details.
"""

import json
import os
import sys

import grpc

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _stubs_dir():
    given = os.environ.get("FACTGRAPH_PYTHON_STUBS")
    if given:
        return given
    installed = os.path.join(_PACKAGE_DIR, "_stubs")
    if os.path.isdir(installed):
        return installed
    raise ImportError(
        "factgraph_client: no generated stubs; pip install client/python, or build "
        "with CMake and set FACTGRAPH_PYTHON_STUBS=<build>/client/python/stubs")


sys.path.insert(0, _stubs_dir())

from factgraph.v1 import admin_service_pb2  # noqa: E402
from factgraph.v1 import admin_service_pb2_grpc  # noqa: E402
from factgraph.v1 import factgraph_service_pb2 as api  # noqa: E402
from factgraph.v1 import factgraph_service_pb2_grpc as api_grpc  # noqa: E402
from google.rpc import error_details_pb2  # noqa: E402
from google.rpc import status_pb2  # noqa: E402

SNAPSHOT_ID_KEY = "x-factgraph-snapshot-id"
_DETAILS_KEY = "grpc-status-details-bin"


def _load_service_config():
    # The package's copy, else the checkout's client/service_config.json.
    for path in (os.path.join(_PACKAGE_DIR, "service_config.json"),
                 os.path.join(_PACKAGE_DIR, "..", "..", "service_config.json")):
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return json.dumps(json.load(f))
    raise ImportError("factgraph_client: service_config.json is missing")


# The recommended service config of deploy/README.md (round_robin, retries of
# UNAVAILABLE), used by every channel unless the caller passes options.
SERVICE_CONFIG = _load_service_config()
DEFAULT_CHANNEL_OPTIONS = (("grpc.service_config", SERVICE_CONFIG),
                           ("grpc.enable_retries", 1))

_DETAIL_TYPES = {
    "google.rpc.ErrorInfo": error_details_pb2.ErrorInfo,
    "google.rpc.BadRequest": error_details_pb2.BadRequest,
    "google.rpc.ResourceInfo": error_details_pb2.ResourceInfo,
    "google.rpc.RetryInfo": error_details_pb2.RetryInfo,
}


def error_details(error):
    """The google.rpc details of a failed call (a grpc.RpcError), unpacked:
    a list of ErrorInfo, BadRequest, ResourceInfo and RetryInfo messages."""
    trailers = dict(error.trailing_metadata() or ())
    raw = trailers.get(_DETAILS_KEY)
    if not raw:
        return []
    status = status_pb2.Status.FromString(raw)
    details = []
    for any_detail in status.details:
        type_name = any_detail.type_url.rsplit("/", 1)[-1]
        message_type = _DETAIL_TYPES.get(type_name)
        if message_type is not None:
            detail = message_type()
            any_detail.Unpack(detail)
            details.append(detail)
    return details


def describe_error(error):
    """One line: "NOT_FOUND: institutions/x not found [reason=RESOURCE_NOT_FOUND
    resource=factgraph.dev/Institution institutions/x]", as the CLI prints."""
    parts = []
    for detail in error_details(error):
        if isinstance(detail, error_details_pb2.ErrorInfo):
            parts.append("reason=" + detail.reason)
            if "position" in detail.metadata:
                parts.append("position=" + detail.metadata["position"])
        elif isinstance(detail, error_details_pb2.BadRequest):
            parts.extend("field=" + v.field for v in detail.field_violations)
        elif isinstance(detail, error_details_pb2.ResourceInfo):
            parts.append("resource=%s %s" % (detail.resource_type, detail.resource_name))
        elif isinstance(detail, error_details_pb2.RetryInfo):
            delay = detail.retry_delay.seconds + detail.retry_delay.nanos / 1e9
            parts.append("retry_after=%gs" % delay)
    text = "%s: %s" % (error.code().name, error.details())
    return text + (" [%s]" % " ".join(parts) if parts else "")


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

    def __init__(self, target, timeout=10.0, credentials=None, token=None,
                 options=DEFAULT_CHANNEL_OPTIONS):
        if credentials is None:
            self._channel = grpc.insecure_channel(target, options=options)
        else:
            self._channel = grpc.secure_channel(target, credentials, options=options)
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
        return self._call(get.name, request)  # The resource itself (AIP-131).

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
