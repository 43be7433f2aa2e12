#include "service/query/search/record_spool.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace factgraph::query::search {
namespace {

// Like the index records: trivially copyable, no default constructor.
struct Record {
  Record(uint32_t a, uint16_t b) : a(a), b(b) {}
  uint32_t a;
  uint16_t b;
};

std::vector<uint32_t> ReadAll(RecordSpool<Record>* spool) {
  std::vector<uint32_t> values;
  const absl::Status status =
      spool->ForEachChunk([&](absl::Span<const Record> chunk) {
        for (const Record& r : chunk) {
          EXPECT_EQ(r.b, static_cast<uint16_t>(r.a * 3));
          values.push_back(r.a);
        }
      });
  EXPECT_TRUE(status.ok()) << status;
  return values;
}

TEST(RecordSpoolTest, GivesBackEveryRecordInOrderAsOftenAsAsked) {
  RecordSpool<Record> spool;
  // Several chunks of 1 MiB (131072 records of 8 bytes) and a part.
  constexpr uint32_t kCount = 3 * 131072 + 17;
  for (uint32_t i = 0; i < kCount; ++i) {
    spool.emplace_back(i, static_cast<uint16_t>(i * 3));
  }
  EXPECT_EQ(spool.size(), kCount);
  for (int pass = 0; pass < 2; ++pass) {
    const std::vector<uint32_t> values = ReadAll(&spool);
    ASSERT_EQ(values.size(), kCount);
    for (uint32_t i = 0; i < kCount; ++i) ASSERT_EQ(values[i], i);
  }
  spool.Clear();
  EXPECT_EQ(spool.size(), 0u);
  EXPECT_TRUE(ReadAll(&spool).empty());
}

TEST(RecordSpoolTest, KeepsAFewRecordsInMemory) {
  RecordSpool<Record> spool;
  spool.push_back(Record(7, 21));
  spool.push_back(Record(9, 27));
  EXPECT_EQ(ReadAll(&spool), (std::vector<uint32_t>{7, 9}));
}

}  // namespace
}  // namespace factgraph::query::search
