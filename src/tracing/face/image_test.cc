#include "tracing/face/image.h"

#include <jpeglib.h>
#include <png.h>

#include <gtest/gtest.h>

namespace doudi::face {
namespace {

// Left half red, right half blue: where the halves end up shows how the image was turned.
RgbImage Halves(int w, int h) {
  RgbImage im;
  im.width = w;
  im.height = h;
  im.rgb.resize(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &im.rgb[(static_cast<size_t>(y) * w + x) * 3];
      p[0] = x < w / 2 ? 255 : 0;
      p[2] = x < w / 2 ? 0 : 255;
    }
  }
  return im;
}

std::string EncodeJpeg(const RgbImage& im) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = im.width;
  c.image_height = im.height;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 95, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(&im.rgb[static_cast<size_t>(c.next_scanline) * im.width * 3]);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::string out(reinterpret_cast<char*>(buf), size);
  free(buf);
  return out;
}

std::string EncodePng(const RgbImage& im) {
  png_image p{};
  p.version = PNG_IMAGE_VERSION;
  p.width = im.width;
  p.height = im.height;
  p.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&p, nullptr, &size, 0, im.rgb.data(), 0, nullptr));
  std::string out(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&p, out.data(), &size, 0, im.rgb.data(), 0, nullptr));
  out.resize(size);
  return out;
}

// A JPEG with an EXIF APP1 segment holding only the orientation tag (little-endian TIFF).
std::string WithOrientation(const std::string& jpeg, uint16_t orientation) {
  std::string tiff("II*\0\x08\0\0\0", 8);
  tiff += std::string("\x01\x00", 2);                              // one IFD entry
  tiff += std::string("\x12\x01\x03\x00\x01\x00\x00\x00", 8);      // tag 0x0112 SHORT × 1
  tiff += std::string(1, static_cast<char>(orientation)) + std::string("\0\0\0", 3);
  tiff += std::string("\0\0\0\0", 4);                              // no next IFD
  const std::string payload = std::string("Exif\0\0", 6) + tiff;
  const size_t len = payload.size() + 2;
  std::string app1 = std::string("\xFF\xE1", 2) + static_cast<char>(len >> 8) + static_cast<char>(len & 0xFF) + payload;
  return jpeg.substr(0, 2) + app1 + jpeg.substr(2);
}

bool IsRed(const RgbImage& im, int x, int y) {
  const uint8_t* p = &im.rgb[(static_cast<size_t>(y) * im.width + x) * 3];
  return p[0] > 200 && p[2] < 60;
}
bool IsBlue(const RgbImage& im, int x, int y) {
  const uint8_t* p = &im.rgb[(static_cast<size_t>(y) * im.width + x) * 3];
  return p[2] > 200 && p[0] < 60;
}

TEST(FaceImage, DecodesPngExactly) {
  const RgbImage im = Halves(6, 4);
  auto d = DecodeImage(EncodePng(im));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->width, 6);
  EXPECT_EQ(d->height, 4);
  EXPECT_EQ(d->rgb, im.rgb);
}

TEST(FaceImage, DecodesJpegAndTurnsItAsExifSays) {
  const std::string jpeg = EncodeJpeg(Halves(32, 16));
  auto plain = DecodeImage(jpeg);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(plain->exif_orientation, 1);
  EXPECT_TRUE(IsRed(*plain, 4, 8));
  EXPECT_TRUE(IsBlue(*plain, 28, 8));

  // 6: stored turned 90° anticlockwise; shown turned clockwise, the left (red) half on top.
  auto six = DecodeImage(WithOrientation(jpeg, 6));
  ASSERT_TRUE(six.ok()) << six.status().message();
  EXPECT_EQ(six->exif_orientation, 6);
  EXPECT_EQ(six->width, 16);
  EXPECT_EQ(six->height, 32);
  EXPECT_TRUE(IsRed(*six, 8, 4));
  EXPECT_TRUE(IsBlue(*six, 8, 28));

  // 8: the other way, the red half at the bottom.
  auto eight = DecodeImage(WithOrientation(jpeg, 8));
  ASSERT_TRUE(eight.ok());
  EXPECT_TRUE(IsBlue(*eight, 8, 4));
  EXPECT_TRUE(IsRed(*eight, 8, 28));

  // 3: turned 180°, red on the right.
  auto three = DecodeImage(WithOrientation(jpeg, 3));
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->width, 32);
  EXPECT_TRUE(IsBlue(*three, 4, 8));
  EXPECT_TRUE(IsRed(*three, 28, 8));
}

TEST(FaceImage, OrientationMapsEveryPixel) {
  // 3 × 2 image with pixel values 0..5 (row-major); worked out by hand for each orientation.
  RgbImage im;
  im.width = 3;
  im.height = 2;
  for (int i = 0; i < 6; ++i) im.rgb.insert(im.rgb.end(), {static_cast<uint8_t>(i), 0, 0});
  auto values = [](const RgbImage& r) {
    std::vector<int> v;
    for (size_t i = 0; i < r.rgb.size(); i += 3) v.push_back(r.rgb[i]);
    return v;
  };
  // stored:  0 1 2 / 3 4 5
  EXPECT_EQ(values(ApplyOrientation(im, 2)), (std::vector<int>{2, 1, 0, 5, 4, 3}));
  EXPECT_EQ(values(ApplyOrientation(im, 3)), (std::vector<int>{5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(values(ApplyOrientation(im, 4)), (std::vector<int>{3, 4, 5, 0, 1, 2}));
  EXPECT_EQ(values(ApplyOrientation(im, 5)), (std::vector<int>{0, 3, 1, 4, 2, 5}));  // transpose: 2 wide, 3 high
  EXPECT_EQ(values(ApplyOrientation(im, 6)), (std::vector<int>{3, 0, 4, 1, 5, 2}));  // clockwise
  EXPECT_EQ(values(ApplyOrientation(im, 7)), (std::vector<int>{5, 2, 4, 1, 3, 0}));
  EXPECT_EQ(values(ApplyOrientation(im, 8)), (std::vector<int>{2, 5, 1, 4, 0, 3}));  // anticlockwise
  EXPECT_EQ(ApplyOrientation(im, 6).width, 2);
  EXPECT_EQ(ApplyOrientation(im, 6).height, 3);
}

TEST(FaceImage, RefusesWhatIsNotAnImage) {
  auto text = DecodeImage("name,id\n张三,1\n");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().error_code(), "image_not_supported");
  auto gif = DecodeImage("GIF89a\x01\x00\x01\x00");
  EXPECT_EQ(gif.status().error_code(), "image_not_supported");
  auto empty = DecodeImage("");
  EXPECT_EQ(empty.status().error_code(), "image_not_supported");

  const std::string jpeg = EncodeJpeg(Halves(32, 16));
  auto truncated = DecodeImage(jpeg.substr(0, 40));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().error_code(), "image_corrupt");
  const std::string png = EncodePng(Halves(6, 4));
  auto bad_png = DecodeImage(png.substr(0, 20));
  EXPECT_EQ(bad_png.status().error_code(), "image_corrupt");

  auto missing = ReadImageFile("/nonexistent/photo.jpg");
  EXPECT_EQ(missing.status().error_code(), "image_unreadable");
}

TEST(FaceImage, RefusesHugeImagesBeforeDecodingThem) {
  ImageLimits small;
  small.max_pixels = 100;
  auto png = DecodeImage(EncodePng(Halves(20, 10)), small);  // 200 pixels
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.status().error_code(), "image_too_large");
  EXPECT_TRUE(DecodeImage(EncodePng(Halves(10, 10)), small).ok());

  // A JPEG whose header claims 60000 × 60000: refused from the header, nothing allocated.
  std::string jpeg = EncodeJpeg(Halves(32, 16));
  const size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  jpeg[sof + 5] = static_cast<char>(60000 >> 8);
  jpeg[sof + 6] = static_cast<char>(60000 & 0xFF);
  jpeg[sof + 7] = static_cast<char>(60000 >> 8);
  jpeg[sof + 8] = static_cast<char>(60000 & 0xFF);
  auto huge = DecodeImage(jpeg);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().error_code(), "image_too_large");

  ImageLimits tiny_file;
  tiny_file.max_file_bytes = 100;
  EXPECT_EQ(DecodeImage(EncodeJpeg(Halves(32, 16)), tiny_file).status().error_code(), "image_too_large");
}

TEST(FaceImage, PpmAndChecksum) {
  RgbImage im;
  im.width = 1;
  im.height = 1;
  im.rgb = {'a', 'b', 'c'};
  EXPECT_EQ(EncodePpm(im), std::string("P6\n1 1\n255\nabc"));
  // FNV-1a 64 of "abc" (published test vector 0xe71fa2190541574b).
  EXPECT_EQ(PixelChecksum(im), 0xe71fa2190541574bull);
}

}  // namespace
}  // namespace doudi::face
