// The generated Unihan tables (see unihan_generator.cc): toneless Mandarin syllables per code point and the
// traditional → simplified character map. Use them through pinyin.h.
#pragma once

#include <cstdint>

namespace doudi::linkage::unihan {

struct ExtReading {
  uint32_t code_point;
  uint16_t syllable;
};
struct Variant {
  uint32_t from;
  uint32_t to;
};

extern const char* const kSyllables[];  // [0] = "" (no reading)
extern const int kNumSyllables;
extern const uint32_t kBmpFirst, kBmpLast;
extern const uint16_t kBmp[];          // syllable index of kBmpFirst..kBmpLast (CJK Ext A and the URO)
extern const ExtReading kExt[];        // other code points, sorted
extern const int kNumExt;
extern const Variant kSimplified[];    // traditional → simplified, sorted by `from`
extern const int kNumSimplified;

}  // namespace doudi::linkage::unihan
