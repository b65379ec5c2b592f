#include "app/initial_password.h"

#include <sodium.h>

#include <string_view>

namespace doudi::app {

std::string RandomPassword() {
  static constexpr std::string_view kClasses[] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz",
                                                  "23456789", "#%+=@"};
  std::string out;
  // 14 characters: one of each class first (the policy wants three of four), then any class.
  for (int i = 0; i < 14; ++i) {
    std::string_view cls = i < 4 ? kClasses[i] : kClasses[randombytes_uniform(4)];
    out += cls[randombytes_uniform(static_cast<uint32_t>(cls.size()))];
  }
  // Shuffle so that the class order does not leak.
  for (size_t i = out.size() - 1; i > 0; --i) {
    std::swap(out[i], out[randombytes_uniform(static_cast<uint32_t>(i + 1))]);
  }
  return out;
}

}  // namespace doudi::app
