"""Example: what factgraph knows about KAIST.

    /usr/bin/python3 client/python/example.py [HOST:PORT]

HOST:PORT defaults to $FACTGRAPH_SERVER, else localhost:50051.
"""

import os
import sys

import grpc

from factgraph_client import FactGraphClient, describe_error, value_text


def main():
    target = (sys.argv[1] if len(sys.argv) > 1
              else os.environ.get("FACTGRAPH_SERVER", "localhost:50051"))
    with FactGraphClient(target) as client:
        kaist = client.get("institutions/kaist")
        print("%s: %s (%s)" % (kaist.name, kaist.display_name, ", ".join(kaist.aliases)))
        print("snapshot:", client.snapshot_id)

        universities = list(client.list_all(
            "institutions", filter="kind = INSTITUTION_KIND_UNIVERSITY"))
        print("universities:", ", ".join(u.display_name for u in universities))

        for result in client.search("Lee Kwang-hyung", collections=["people"]):
            print("search:", result.entity.name, result.matched_text)

        for fact in client.facts(subject="institutions/kaist"):
            quote = fact.citations[0].quote if fact.citations else ""
            print("fact: %s = %s  [%s]" % (fact.path, value_text(fact.object), quote[:60]))

        try:
            client.get("institutions/no-such-place")
        except grpc.RpcError as error:
            print("missing:", describe_error(error))


if __name__ == "__main__":
    main()
