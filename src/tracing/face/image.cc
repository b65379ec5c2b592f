#include "tracing/face/image.h"

#include <csetjmp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <jpeglib.h>
#include <libexif/exif-data.h>
#include <png.h>

namespace doudi::face {

namespace {

Status TooLarge(int64_t w, int64_t h, const ImageLimits& limits) {
  return Status::InvalidField("image", "image_too_large",
                              fmt::format("图片尺寸 {}×{} 超出上限（单边不超过 {} 像素，总计不超过 {} 万像素）", w, h,
                                          limits.max_side, limits.max_pixels / 10000));
}

bool Oversized(int64_t w, int64_t h, const ImageLimits& limits) {
  return w > limits.max_side || h > limits.max_side || w * h > limits.max_pixels;
}

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void JpegErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void JpegSilence(j_common_ptr, int) {}

int ExifOrientation(std::string_view bytes) {
  ExifData* data = exif_data_new_from_data(reinterpret_cast<const unsigned char*>(bytes.data()),
                                           static_cast<unsigned int>(bytes.size()));
  if (!data) return 1;
  int orientation = 1;
  if (ExifEntry* e = exif_data_get_entry(data, EXIF_TAG_ORIENTATION); e && e->format == EXIF_FORMAT_SHORT && e->size >= 2) {
    orientation = exif_get_short(e->data, exif_data_get_byte_order(data));
  }
  exif_data_unref(data);
  return orientation >= 1 && orientation <= 8 ? orientation : 1;
}

// Kept out of DecodeJpeg so that no C++ object with a destructor lives across setjmp/longjmp.
bool DecodeJpegRaw(std::string_view bytes, const ImageLimits& limits, RgbImage* out, std::string* error,
                   bool* too_large) {
  jpeg_decompress_struct cinfo;
  JpegError err;
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = JpegErrorExit;
  err.mgr.emit_message = JpegSilence;
  err.message[0] = 0;
  if (setjmp(err.jump)) {
    *error = err.message;
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  out->width = static_cast<int>(cinfo.image_width);
  out->height = static_cast<int>(cinfo.image_height);
  if (Oversized(cinfo.image_width, cinfo.image_height, limits)) {
    *too_large = true;
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    *error = "CMYK JPEG";
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  out->rgb.resize(static_cast<size_t>(out->width) * out->height * 3);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out->rgb.data() + static_cast<size_t>(cinfo.output_scanline) * out->width * 3;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

Result<RgbImage> DecodeJpeg(std::string_view bytes, const ImageLimits& limits) {
  RgbImage image;
  std::string error;
  bool too_large = false;
  if (!DecodeJpegRaw(bytes, limits, &image, &error, &too_large)) {
    if (too_large) return TooLarge(image.width, image.height, limits);
    return Status::InvalidField("image", "image_corrupt", fmt::format("JPEG 图片无法解码：{}", error));
  }
  const int orientation = ExifOrientation(bytes);
  RgbImage upright = orientation == 1 ? std::move(image) : ApplyOrientation(image, orientation);
  upright.exif_orientation = orientation;
  return upright;
}

Result<RgbImage> DecodePng(std::string_view bytes, const ImageLimits& limits) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size())) {
    std::string message = png.message;
    png_image_free(&png);
    return Status::InvalidField("image", "image_corrupt", fmt::format("PNG 图片无法解码：{}", message));
  }
  if (Oversized(png.width, png.height, limits)) {
    png_image_free(&png);
    return TooLarge(png.width, png.height, limits);
  }
  png.format = PNG_FORMAT_RGB;  // transparency composited on black, as a browser canvas read back would not matter here
  RgbImage image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.rgb.resize(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, image.rgb.data(), 0, nullptr)) {
    std::string message = png.message;
    png_image_free(&png);
    return Status::InvalidField("image", "image_corrupt", fmt::format("PNG 图片无法解码：{}", message));
  }
  return image;
}

}  // namespace

Result<RgbImage> DecodeImage(std::string_view bytes, const ImageLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return Status::InvalidField("image", "image_too_large",
                                fmt::format("图片文件 {} 字节，超出上限 {} 字节", bytes.size(), limits.max_file_bytes));
  }
  if (bytes.size() >= 3 && static_cast<uint8_t>(bytes[0]) == 0xFF && static_cast<uint8_t>(bytes[1]) == 0xD8 &&
      static_cast<uint8_t>(bytes[2]) == 0xFF) {
    return DecodeJpeg(bytes, limits);
  }
  if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return DecodePng(bytes, limits);
  return Status::InvalidField("image", "image_not_supported", "不是 JPEG 或 PNG 图片（只支持这两种格式）");
}

Result<RgbImage> ReadImageFile(const std::string& path, const ImageLimits& limits) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::InvalidField("image", "image_unreadable", fmt::format("无法读取图片文件 {}", path));
  const auto size = static_cast<size_t>(in.tellg());
  if (size > limits.max_file_bytes) {
    return Status::InvalidField("image", "image_too_large",
                                fmt::format("图片文件 {} 有 {} 字节，超出上限 {} 字节", path, size, limits.max_file_bytes));
  }
  in.seekg(0);
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (!in) return Status::InvalidField("image", "image_unreadable", fmt::format("无法读取图片文件 {}", path));
  return DecodeImage(bytes, limits);
}

RgbImage ApplyOrientation(const RgbImage& in, int orientation) {
  if (orientation < 2 || orientation > 8) return in;
  const bool swap = orientation >= 5;  // 5–8 turn by 90°: width and height exchange
  RgbImage out;
  out.width = swap ? in.height : in.width;
  out.height = swap ? in.width : in.height;
  out.rgb.resize(in.rgb.size());
  out.exif_orientation = in.exif_orientation;
  const int W = in.width, H = in.height;
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      int sx = 0, sy = 0;  // the stored pixel shown at (x, y)
      switch (orientation) {
        case 2: sx = W - 1 - x; sy = y; break;          // mirrored horizontally
        case 3: sx = W - 1 - x; sy = H - 1 - y; break;  // turned 180°
        case 4: sx = x; sy = H - 1 - y; break;          // mirrored vertically
        case 5: sx = y; sy = x; break;                  // transposed
        case 6: sx = y; sy = H - 1 - x; break;          // stored turned 90° anticlockwise: turn clockwise
        case 7: sx = W - 1 - y; sy = H - 1 - x; break;  // transverse
        case 8: sx = W - 1 - y; sy = x; break;          // stored turned 90° clockwise
      }
      const uint8_t* s = &in.rgb[(static_cast<size_t>(sy) * W + sx) * 3];
      uint8_t* d = &out.rgb[(static_cast<size_t>(y) * out.width + x) * 3];
      d[0] = s[0];
      d[1] = s[1];
      d[2] = s[2];
    }
  }
  return out;
}

std::string EncodePpm(const RgbImage& image) {
  std::string out = fmt::format("P6\n{} {}\n255\n", image.width, image.height);
  out.append(reinterpret_cast<const char*>(image.rgb.data()), image.rgb.size());
  return out;
}

uint64_t PixelChecksum(const RgbImage& image) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t b : image.rgb) h = (h ^ b) * 0x100000001b3ull;
  return h;
}

}  // namespace doudi::face
