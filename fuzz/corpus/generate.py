#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

Run with /usr/bin/python3 (Debian grpcio and grpc-tools) from anywhere; the output is deterministic, so a run on an unchanged tree
changes nothing. The corpora are committed: libFuzzer starts from them and
the bounded CI runs need no generation step.
"""

import base64
import hashlib
import hmac
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
os.environ.setdefault("FACTGRAPH_SOURCE_DIR", SOURCE_DIR)

# Collection selectors: the first byte modulo 9, in KnowledgeBase field order.
(INSTITUTIONS, PEOPLE, AGREEMENTS, PROJECTS, FUNDINGS, EVENTS, STATISTICS, DOCUMENTS,
 STATEMENTS) = range(9)

FILTERS = [
    (INSTITUTIONS, 'kind = UNIVERSITY'),
    (INSTITUTIONS, 'parent = "institutions/kaist" OR name = "institutions/ku"'),
    (INSTITUTIONS, 'aliases:"KAIST" AND NOT kind = HOSPITAL'),
    (INSTITUTIONS, 'location.name:* -display_name:"x"'),
    (PEOPLE, 'roles.institution = "institutions/kaist"'),
    (PEOPLE, 'roles.title:"President" (aliases:* OR display_name < "M")'),
    (AGREEMENTS, 'signed_date >= 2023-11 AND signed_date.precision = DATE_PRECISION_DAY'),
    (AGREEMENTS, 'display_name != "x\\"y\\\\z" AND kind:COOPERATION_AGREEMENT'),
    (PROJECTS, 'participants:"institutions/kaist" AND status:*'),
    (FUNDINGS, 'amount.units > 1000000 AND amount.currency_code = "KRW"'),
    (FUNDINGS, 'amount.nanos >= -1.5 OR amount.approximate = true'),
    (EVENTS, 'date = 2024 AND (speakers:* OR chair:*)'),
    (STATISTICS, "value > 0.5 AND unit = 'percent'"),
    (DOCUMENTS, 'language = "en" AND size_bytes <= 4000'),
    (DOCUMENTS, '((((display_name:"KAIST"))))'),
    (STATEMENTS, 'speaker.name = "people/seo-hong-gwan" AND kind = STATEMENT_KIND_PLAN'),
]

ORDERINGS = [
    (INSTITUTIONS, "display_name"),
    (INSTITUTIONS, "kind desc, parent, location.name asc"),
    (PEOPLE, "display_name desc"),
    (AGREEMENTS, "signed_date desc, kind"),
    (FUNDINGS, "amount.units desc, period.start_date"),
    (EVENTS, "date, place desc"),
    (STATISTICS, "value desc, as_of"),
    (DOCUMENTS, "published_date.year desc,size_bytes"),
    (STATEMENTS, "speaker.name, kind desc"),
]

SEARCHES = [
    b"kaist", b"Kwang-Hyung LEE", "ＫＡＩＳＴ".encode(), "Café Anam".encode(),
    "카이스트".encode(), "고려대학교 의료원".encode(), b"national cancer center",
    b"   ...   ", b"K", b"\xff\xfe invalid \xc3", "ᄀ ᅡ ᆨ".encode(),
    "İstanbul ǅ ß ﬁ".encode(),
]

# PageTokenCodec::kDefaultSecret and the fingerprint the fuzzer expects.
SECRET = b"factgraph-page-token-default-secret-v1"


def fingerprint(*parts):
    data = b"".join(struct.pack(">Q", len(p)) + p for p in parts)
    return hashlib.sha256(data).digest()[:16]


def page_token(snapshot_id, offset, version=1):
    body = bytes([version, len(snapshot_id)]) + snapshot_id + \
        fingerprint(b"fuzz", b"request") + struct.pack(">Q", offset)
    mac = hmac.new(SECRET, body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(body + mac).rstrip(b"=")


def write(target, name, data):
    directory = os.path.join(HERE, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def selected(selector, text):
    return bytes([selector]) + text.encode()


def main():
    for target in ("filter_fuzzer", "order_by_fuzzer", "page_token_fuzzer",
                   "search_fuzzer", "kb_text_fuzzer", "snapshot_fuzzer",
                   "service_request_fuzzer"):
        shutil.rmtree(os.path.join(HERE, target), ignore_errors=True)

    for i, (selector, text) in enumerate(FILTERS):
        write("filter_fuzzer", "filter-%02d" % i, selected(selector, text))
    for i, (selector, text) in enumerate(ORDERINGS):
        write("order_by_fuzzer", "order-%02d" % i, selected(selector, text))
    for i, text in enumerate(SEARCHES):
        write("search_fuzzer", "query-%02d" % i, text)
    for i, (snapshot_id, offset) in enumerate(
            ((b"0123456789abcdef0123456789abcdef", 50), (b"", 0), (b"x" * 255, 2**64 - 1))):
        write("page_token_fuzzer", "token-%02d" % i, page_token(snapshot_id, offset))
    write("page_token_fuzzer", "token-bad-version",
          page_token(b"0123456789abcdef0123456789abcdef", 3, version=2))

    kb_dir = os.path.join(SOURCE_DIR, "seeds", "kb")
    for name in sorted(os.listdir(kb_dir)):
        with open(os.path.join(kb_dir, name), "rb") as f:
            write("kb_text_fuzzer", name, f.read())
    broken_dir = os.path.join(SOURCE_DIR, "tests", "hardening", "testdata", "every_error", "kb")
    for name in sorted(os.listdir(broken_dir)):
        with open(os.path.join(broken_dir, name), "rb") as f:
            write("kb_text_fuzzer", name, f.read())

    import fgtest  # noqa: F401  (generates the Python stubs)
    from google.protobuf import text_format
    from factgraph.v1 import factgraph_service_pb2 as fg
    from factgraph.v1 import knowledge_base_pb2

    # A compiled snapshot is a serialised KnowledgeBase: the real seeds, and
    # a one-institution one.
    kb = knowledge_base_pb2.KnowledgeBase()
    for path in [os.path.join(SOURCE_DIR, "seeds", "documents.textproto")] + \
            [os.path.join(kb_dir, n) for n in sorted(os.listdir(kb_dir))]:
        with open(path) as f:
            text_format.Merge(f.read(), kb)
    write("snapshot_fuzzer", "seeds", kb.SerializeToString(deterministic=True))
    small = knowledge_base_pb2.KnowledgeBase()
    small.institutions.add().CopyFrom(kb.institutions[0])
    small.documents.add().CopyFrom(kb.documents[0])
    write("snapshot_fuzzer", "small", small.SerializeToString(deterministic=True))
    write("snapshot_fuzzer", "empty", b"")

    # Service requests: the selector is the method's index in the service.
    service = fg.DESCRIPTOR.services_by_name["FactGraphService"]
    index = {method.name: i for i, method in enumerate(service.methods)}
    requests = [
        ("GetInstitution", fg.GetInstitutionRequest(name="institutions/kaist")),
        ("GetPerson", fg.GetPersonRequest(name="people/lee-kwang-hyung")),
        ("ListInstitutions", fg.ListInstitutionsRequest(
            page_size=5, filter="kind = UNIVERSITY", order_by="display_name desc")),
        ("ListPeople", fg.ListPeopleRequest(page_size=2, page_token=page_token(
            b"0123456789abcdef0123456789abcdef", 2).decode())),
        ("ListFundings", fg.ListFundingsRequest(filter="amount.units > 1000")),
        ("BatchGetAgreements", fg.BatchGetAgreementsRequest(
            names=["agreements/x", "agreements/y"])),
        ("SearchEntities", fg.SearchEntitiesRequest(query="kaist", page_size=3,
                                                    collections=["institutions"])),
        ("QueryFacts", fg.QueryFactsRequest(subject="institutions/kaist", limit=20)),
        ("QueryFacts", fg.QueryFactsRequest(predicate="parties", document="documents/x")),
        ("ListNeighbors", fg.ListNeighborsRequest(name="institutions/kaist", depth=2,
                                                  predicates=["parties"], max_results=20)),
        ("FindPaths", fg.FindPathsRequest(**{"from": "institutions/kaist",
                                             "to": "institutions/korea-university",
                                             "max_length": 3})),
        ("GetKnowledgeBaseInfo", fg.GetKnowledgeBaseInfoRequest()),
    ]
    for i, (method, request) in enumerate(requests):
        write("service_request_fuzzer", "%02d-%s" % (i, method),
              bytes([index[method]]) + request.SerializeToString(deterministic=True))


if __name__ == "__main__":
    main()
