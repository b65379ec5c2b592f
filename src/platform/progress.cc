#include "platform/progress.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace doudi::platform {

std::string ProgressBarLine(int64_t done, int64_t total, std::string_view label, int width) {
  std::string line(label);
  if (total <= 0) return line + " " + std::to_string(done);
  const int64_t shown = std::clamp<int64_t>(done, 0, total);
  const int64_t filled = shown * width / total;
  const int64_t percent = shown * 100 / total;
  line += " [" + std::string(filled, '#') + std::string(width - filled, '-') + "] ";
  std::string p = std::to_string(percent) + "%";
  line += std::string(p.size() < 4 ? 4 - p.size() : 0, ' ') + p;
  return line + " " + std::to_string(done) + "/" + std::to_string(total);
}

void PrintProgressBar(std::ostream& out, int64_t done, int64_t total, std::string_view label) {
  if (&out == &std::cout && !isatty(STDOUT_FILENO)) return;
  if ((&out == &std::cerr || &out == &std::clog) && !isatty(STDERR_FILENO)) return;
  out << '\r' << ProgressBarLine(done, total, label);
  if (total > 0 && done >= total) out << '\n';
  out.flush();
}

}  // namespace doudi::platform
