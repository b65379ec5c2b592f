// A photograph decoded for the face engine: 8-bit RGB, upright (EXIF orientation applied), with the limits that
// keep a bad upload from exhausting memory. JPEG through libjpeg(-turbo), PNG through libpng; anything else is
// refused with a specific error (code image_not_supported, image_too_large, image_corrupt, image_unreadable).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi::face {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // row-major, 3 bytes a pixel
  int exif_orientation = 1;  // as read from the file (1 = upright); the pixels are already turned
};

struct ImageLimits {
  size_t max_file_bytes = 50u << 20;    // 50 MiB
  int64_t max_pixels = 50'000'000;      // 50 megapixels (a 8660 × 5773 photograph)
  int max_side = 20'000;
};

Result<RgbImage> DecodeImage(std::string_view bytes, const ImageLimits& limits = {});
Result<RgbImage> ReadImageFile(const std::string& path, const ImageLimits& limits = {});

// Turns the pixels as EXIF orientation 1–8 says (2–8: mirrored and/or rotated); other values leave them.
RgbImage ApplyOrientation(const RgbImage& image, int orientation);

// Binary PPM (P6), the exchange format of the golden-vector script; and its FNV-1a 64 checksum of the RGB bytes.
std::string EncodePpm(const RgbImage& image);
uint64_t PixelChecksum(const RgbImage& image);

}  // namespace doudi::face
