#include "platform/session_cache.h"

namespace doudi::platform {

std::optional<CachedSession> SessionCache::Find(const std::string& token_hash) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end() || std::chrono::steady_clock::now() - it->second.read_at >= max_age_) return std::nullopt;
  return it->second.session;
}

uint64_t SessionCache::generation() const {
  std::shared_lock lock(mu_);
  return generation_;
}

void SessionCache::Put(const std::string& token_hash, CachedSession session, uint64_t generation) {
  auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  if (generation != generation_) return;
  if (entries_.size() >= kMaxEntries && !entries_.contains(token_hash)) {
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.read_at >= max_age_; });
    if (entries_.size() >= kMaxEntries) entries_.clear();  // that many sessions in one second: start over
  }
  entries_.insert_or_assign(token_hash, Entry{std::move(session), now});
}

void SessionCache::Touched(const std::string& token_hash, TimePoint at) {
  std::unique_lock lock(mu_);
  if (auto it = entries_.find(token_hash); it != entries_.end()) it->second.session.last_seen = at;
}

void SessionCache::Invalidate() {
  std::unique_lock lock(mu_);
  ++generation_;
  entries_.clear();
}

}  // namespace doudi::platform
