// What the fuzz targets share: the real knowledge base, loaded once per
// process, and a way to pick a collection from the first input byte.
#ifndef FACTGRAPH_FUZZ_FUZZ_SUPPORT_H_
#define FACTGRAPH_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "service/store/collections.h"
#include "service/store/snapshot.h"

namespace factgraph::fuzz {

// The snapshot of the repository's seeds; aborts if they do not load, since
// every input would then test nothing.
std::shared_ptr<const store::Snapshot> SeedsSnapshot();

// A collection chosen by `selector`, each equally likely.
const store::Collection& CollectionFor(uint8_t selector);

// Splits off the first byte as a selector; the rest is the payload.
struct Selected {
  uint8_t selector = 0;
  std::string_view payload;
};
Selected Select(const uint8_t* data, size_t size);

// A directory under the temporary directory unique to this process, created
// on first use.
const std::string& ScratchDir();

// Writes `bytes` to `path`, replacing it; aborts on failure.
void WriteFileOrDie(const std::string& path, std::string_view bytes);

// Stops the fuzzer with a message: a property the target checks is broken.
[[noreturn]] void Fail(std::string_view what);

}  // namespace factgraph::fuzz

#endif  // FACTGRAPH_FUZZ_FUZZ_SUPPORT_H_
