#include "service/query/search/page_wire.h"

#include <cstring>
#include <string_view>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace factgraph::query::search {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;

// The encoding is protobuf's own (WireFormatLite, CodedOutputStream), field
// by field; only the walk over the page is written here. Every tag of these
// messages (field numbers 1 to 6) is one byte.
constexpr size_t kTagSize = 1;

size_t LengthSize(size_t length) {
  return CodedOutputStream::VarintSize64(static_cast<uint64_t>(length));
}

bool IsDefault(double value) {
  // As the generated code: only +0.0 is omitted (-0.0 is written).
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits == 0;
}

// Sizes of fields with their tags, 0 when proto3 omits them.
size_t StringField(std::string_view value) {
  return value.empty() ? 0 : kTagSize + LengthSize(value.size()) + value.size();
}
size_t Int32Field(int32_t value) {
  return value == 0 ? 0 : kTagSize + WireFormatLite::Int32Size(value);
}
size_t EnumField(int value) {
  return value == 0 ? 0 : kTagSize + WireFormatLite::EnumSize(value);
}
size_t DoubleField(double value) {
  return IsDefault(value) ? 0 : kTagSize + WireFormatLite::kDoubleSize;
}
size_t MessageField(size_t size) { return kTagSize + LengthSize(size) + size; }

uint8_t* PutLengthDelimited(int field, size_t length, uint8_t* out) {
  out = WireFormatLite::WriteTagToArray(
      field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED, out);
  return CodedOutputStream::WriteVarint64ToArray(static_cast<uint64_t>(length),
                                                 out);
}
uint8_t* PutString(int field, std::string_view value, uint8_t* out) {
  if (value.empty()) return out;
  out = PutLengthDelimited(field, value.size(), out);
  std::memcpy(out, value.data(), value.size());
  return out + value.size();
}
uint8_t* PutInt32(int field, int32_t value, uint8_t* out) {
  return value == 0 ? out
                    : WireFormatLite::WriteInt32ToArray(field, value, out);
}
uint8_t* PutEnum(int field, int value, uint8_t* out) {
  return value == 0 ? out : WireFormatLite::WriteEnumToArray(field, value, out);
}
uint8_t* PutDouble(int field, double value, uint8_t* out) {
  return IsDefault(value)
             ? out
             : WireFormatLite::WriteDoubleToArray(field, value, out);
}

}  // namespace

size_t MeasurePageWire(Page* page) {
  for (PageSpan& span : page->spans) {
    span.wire_size = static_cast<uint32_t>(
        Int32Field(span.start_offset) + Int32Field(span.end_offset) +
        StringField(span.query_word) + EnumField(span.term_match));
  }
  for (PageMatch& match : page->matches) {
    size_t size = StringField(match.field) + StringField(match.text) +
                  Int32Field(match.text_offset) +
                  DoubleField(match.field_weight);
    for (uint32_t s = match.first_span; s < match.first_span + match.span_count;
         ++s) {
      size += MessageField(page->spans[s].wire_size);
    }
    match.wire_size = static_cast<uint32_t>(size);
  }
  size_t total = 0;
  for (PageHit& hit : page->hits) {
    hit.entity_wire_size = static_cast<uint32_t>(StringField(hit.name) +
                                                 StringField(hit.display_name));
    size_t size = MessageField(hit.entity_wire_size) +
                  StringField(hit.collection) + DoubleField(hit.score) +
                  EnumField(hit.match_kind) + StringField(hit.matched_text);
    for (uint32_t m = hit.first_match; m < hit.first_match + hit.match_count;
         ++m) {
      size += MessageField(page->matches[m].wire_size);
    }
    hit.wire_size = static_cast<uint32_t>(size);
    total += MessageField(size);
  }
  return total + StringField(page->next_page_token) +
         Int32Field(page->total_size);
}

uint8_t* WritePageWire(const Page& page, uint8_t* out) {
  for (const PageHit& hit : page.hits) {
    out = PutLengthDelimited(1, hit.wire_size, out);
    out = PutLengthDelimited(1, hit.entity_wire_size, out);
    out = PutString(1, hit.name, out);
    out = PutString(2, hit.display_name, out);
    out = PutString(2, hit.collection, out);
    out = PutDouble(3, hit.score, out);
    out = PutEnum(4, hit.match_kind, out);
    out = PutString(5, hit.matched_text, out);
    for (uint32_t m = hit.first_match; m < hit.first_match + hit.match_count;
         ++m) {
      const PageMatch& match = page.matches[m];
      out = PutLengthDelimited(6, match.wire_size, out);
      out = PutString(1, match.field, out);
      out = PutString(2, match.text, out);
      out = PutInt32(3, match.text_offset, out);
      for (uint32_t s = match.first_span;
           s < match.first_span + match.span_count; ++s) {
        const PageSpan& span = page.spans[s];
        out = PutLengthDelimited(4, span.wire_size, out);
        out = PutInt32(1, span.start_offset, out);
        out = PutInt32(2, span.end_offset, out);
        out = PutString(3, span.query_word, out);
        out = PutEnum(4, span.term_match, out);
      }
      out = PutDouble(5, match.field_weight, out);
    }
  }
  out = PutString(2, page.next_page_token, out);
  return PutInt32(3, page.total_size, out);
}

std::string PageWireBytes(Page* page) {
  std::string bytes(MeasurePageWire(page), '\0');
  uint8_t* const start = reinterpret_cast<uint8_t*>(bytes.data());
  const uint8_t* const end = WritePageWire(*page, start);
  bytes.resize(static_cast<size_t>(end - start));
  return bytes;
}

}  // namespace factgraph::query::search
