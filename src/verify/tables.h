// Stored feed rows → the engine's columnar tables: which ParsedRow slot holds which engine column, per feed, by
// the column names of the feed specs (verify/feeds/feeds.h), so that the service stores exactly what the parser
// validated and the engine reads it back the way the CLI's loader does.
#pragma once

#include <cstdint>
#include <string_view>

#include "verify/engine/model.h"
#include "verify/store.h"

namespace doudi::verify {

// Appends one stored row to its feed's table with `ref` (the stored row id) and `person` as its key.
void AppendRow(const store::FeedRow& row, uint64_t ref, FeedTables* tables);

// The 64-bit account of a balance row (bank name, insurance product): FNV-1a of the text, 0 for "".
uint64_t AccountHash(std::string_view text);

}  // namespace doudi::verify
