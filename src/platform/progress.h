// A one-line text progress bar for CLI commands that run jobs ("导入人员 [#######-----]  58% 5800/10000").
// Redrawn in place with '\r'; a newline once done reaches total. Quiet when the stream is std::cout or std::cerr
// and that descriptor is not a terminal (a log file or a pipe gets no bar noise).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace doudi::platform {

// The bar's text without '\r' or newline; total <= 0 means unknown ("label 123").
std::string ProgressBarLine(int64_t done, int64_t total, std::string_view label, int width = 30);

void PrintProgressBar(std::ostream& out, int64_t done, int64_t total, std::string_view label);

}  // namespace doudi::platform
