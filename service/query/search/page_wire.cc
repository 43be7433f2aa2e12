#include "service/query/search/page_wire.h"

#include <cstring>
#include <string_view>

namespace factgraph::query::search {
namespace {

// Wire types (protobuf encoding).
constexpr uint32_t kVarint = 0;
constexpr uint32_t kFixed64 = 1;
constexpr uint32_t kLengthDelimited = 2;

// Every tag of these messages (field numbers 1 to 6) is one byte.
constexpr uint8_t Tag(uint32_t field, uint32_t wire_type) {
  return static_cast<uint8_t>(field << 3 | wire_type);
}

size_t VarintSize(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// An int32 or an enum: a negative one is sign-extended to 64 bits.
uint64_t Int32Bits(int32_t value) {
  return static_cast<uint64_t>(static_cast<int64_t>(value));
}

bool IsDefault(double value) {
  // As the generated code: only +0.0 is omitted (-0.0 is written).
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits == 0;
}

// Sizes of fields with their tags, 0 when proto3 omits them.
size_t StringField(std::string_view value) {
  return value.empty() ? 0 : 1 + VarintSize(value.size()) + value.size();
}
size_t Int32Field(int32_t value) {
  return value == 0 ? 0 : 1 + VarintSize(Int32Bits(value));
}
size_t DoubleField(double value) { return IsDefault(value) ? 0 : 1 + 8; }
size_t MessageField(size_t size) { return 1 + VarintSize(size) + size; }

uint8_t* PutVarint(uint64_t value, uint8_t* out) {
  while (value >= 0x80) {
    *out++ = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<uint8_t>(value);
  return out;
}
uint8_t* PutString(uint32_t field, std::string_view value, uint8_t* out) {
  if (value.empty()) return out;
  *out++ = Tag(field, kLengthDelimited);
  out = PutVarint(value.size(), out);
  std::memcpy(out, value.data(), value.size());
  return out + value.size();
}
uint8_t* PutInt32(uint32_t field, int32_t value, uint8_t* out) {
  if (value == 0) return out;
  *out++ = Tag(field, kVarint);
  return PutVarint(Int32Bits(value), out);
}
uint8_t* PutDouble(uint32_t field, double value, uint8_t* out) {
  if (IsDefault(value)) return out;
  *out++ = Tag(field, kFixed64);
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  for (int i = 0; i < 8; ++i) *out++ = static_cast<uint8_t>(bits >> (8 * i));
  return out;
}
uint8_t* PutMessageHeader(uint32_t field, size_t size, uint8_t* out) {
  *out++ = Tag(field, kLengthDelimited);
  return PutVarint(size, out);
}

}  // namespace

size_t MeasurePageWire(Page* page) {
  for (PageSpan& span : page->spans) {
    span.wire_size = static_cast<uint32_t>(
        Int32Field(span.start_offset) + Int32Field(span.end_offset) +
        StringField(span.query_word) + Int32Field(span.term_match));
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
                  Int32Field(hit.match_kind) + StringField(hit.matched_text);
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
    out = PutMessageHeader(1, hit.wire_size, out);
    out = PutMessageHeader(1, hit.entity_wire_size, out);
    out = PutString(1, hit.name, out);
    out = PutString(2, hit.display_name, out);
    out = PutString(2, hit.collection, out);
    out = PutDouble(3, hit.score, out);
    out = PutInt32(4, hit.match_kind, out);
    out = PutString(5, hit.matched_text, out);
    for (uint32_t m = hit.first_match; m < hit.first_match + hit.match_count;
         ++m) {
      const PageMatch& match = page.matches[m];
      out = PutMessageHeader(6, match.wire_size, out);
      out = PutString(1, match.field, out);
      out = PutString(2, match.text, out);
      out = PutInt32(3, match.text_offset, out);
      for (uint32_t s = match.first_span;
           s < match.first_span + match.span_count; ++s) {
        const PageSpan& span = page.spans[s];
        out = PutMessageHeader(4, span.wire_size, out);
        out = PutInt32(1, span.start_offset, out);
        out = PutInt32(2, span.end_offset, out);
        out = PutString(3, span.query_word, out);
        out = PutInt32(4, span.term_match, out);
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
