// A search page (page.h) written as SearchEntitiesResponse wire bytes
// without building the messages (docs/search.md, "Serving"): every size is
// computed once, bottom-up (spans, matches, entities, hits), then the bytes
// are written front to back into one buffer. The bytes are those the
// generated serializer writes for ToResponse(page): fields in number order,
// proto3 defaults omitted, doubles as fixed64, int32 and enums as varints
// (negative ones as 10 bytes), the entity always present.
//
// The generated serializer also scans every string for valid UTF-8, and
// only logs when one is not (protobuf 3.21 proto3: SERIALIZE never changes
// a byte). This writer does not scan: every string of a page is a view of
// snapshot text checked when the seeds were loaded, an excerpt of it cut at
// code points, an analyzer's output or a collection id (docs/search.md,
// "Serving"), so the scan could only cost.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_PAGE_WIRE_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_PAGE_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "service/query/search/page.h"

namespace factgraph::query::search {

// The encoded size of `*page`, storing each message's size in the page for
// WritePageWire.
size_t MeasurePageWire(Page* page);

// Writes the page, measured by MeasurePageWire since it last changed, to
// `out`, which holds that many bytes; returns the end of what was written.
uint8_t* WritePageWire(const Page& page, uint8_t* out);

// Both, into a string.
std::string PageWireBytes(Page* page);

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_PAGE_WIRE_H_
