// One page of a store listing, the way every service answers a list request: page and size made safe (page ≥ 1,
// size 1..200, the API's limits), and the store's (items, total) read in one snapshot so the two agree.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

#include "common/status.h"
#include "db/db.h"
#include "registry/service.h"

namespace doudi::registry {

// `list(conn, limit, offset)` returns Result<std::pair<std::vector<T>, int64_t>>: the page's rows and the total.
template <typename T, typename List>
Result<Page<T>> ReadPage(db::Database& db, int page, int size, List list) {
  Page<T> p;
  p.page = std::max(1, page);
  p.size = std::clamp(size, 1, 200);
  DOUDI_RETURN_IF_ERROR(db.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto found, list(c, int64_t{p.size}, static_cast<int64_t>(p.page - 1) * p.size));
    p.items = std::move(found.first);
    p.total = found.second;
    return Status::Ok();
  }));
  return p;
}

}  // namespace doudi::registry
