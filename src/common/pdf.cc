#include "common/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "common/text.h"

namespace doudi::pdf {
namespace {

// A4 in points, margins of about 18 mm at the sides and 20 mm at the top; the bottom leaves room for the footer.
constexpr double kPageW = 595.276;
constexpr double kPageH = 841.890;
constexpr double kMarginX = 51.0;
constexpr double kTop = 56.7;
constexpr double kBottom = kPageH - 64.0;
constexpr double kContentW = kPageW - 2 * kMarginX;
constexpr double kCellPadX = 4.0;
constexpr double kCellPadY = 2.5;

// One family in two weights: every embedded face costs about 55 KB even as a subset (the CFF subroutines), so a
// third face (a serif title) would bring a one-page report close to 200 KB.
constexpr const char* kSans = "Noto Sans CJK SC";

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.10, 0.10, 0.10};
constexpr Rgb kMuted{0.40, 0.40, 0.40};
constexpr Rgb kRule{0.55, 0.55, 0.55};
constexpr Rgb kShade{0.925, 0.925, 0.925};

Rgb ToneColor(Tone tone) {
  switch (tone) {
    case Tone::kGood: return {0.10, 0.48, 0.20};
    case Tone::kWarning: return {0.72, 0.42, 0.00};
    case Tone::kBad: return {0.74, 0.10, 0.10};
    case Tone::kNeutral: break;
  }
  return {0.25, 0.25, 0.25};
}

struct CairoDeleter {
  void operator()(cairo_t* p) const { cairo_destroy(p); }
  void operator()(cairo_surface_t* p) const { cairo_surface_destroy(p); }
};
struct GDeleter {
  void operator()(void* p) const { g_object_unref(p); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GDeleter>;

PangoAlignment ToPango(Align a) {
  switch (a) {
    case Align::kCenter: return PANGO_ALIGN_CENTER;
    case Align::kRight: return PANGO_ALIGN_RIGHT;
    case Align::kLeft: break;
  }
  return PANGO_ALIGN_LEFT;
}

// True once fontconfig resolves the Sans family to the real Noto CJK font (not a fallback without Chinese).
bool FontsInstalled() {
  static const bool installed = [] {
    PangoFontMap* map = pango_cairo_font_map_new();
    PangoContext* ctx = pango_font_map_create_context(map);
    PangoFontDescription* want = pango_font_description_from_string("Noto Sans CJK SC 10");
    PangoFont* font = pango_font_map_load_font(map, ctx, want);
    bool ok = false;
    if (font != nullptr) {
      PangoFontDescription* got = pango_font_describe(font);
      const char* family = pango_font_description_get_family(got);
      ok = family != nullptr && std::string_view(family) == kSans;
      pango_font_description_free(got);
      g_object_unref(font);
    }
    pango_font_description_free(want);
    g_object_unref(ctx);
    g_object_unref(map);
    return ok;
  }();
  return installed;
}

// Lays the blocks out on pages of `surface`. With total_pages == 0 the footer says "共 n 页" with the current
// page: that first pass only counts pages, on a recording surface that writes nothing.
class Renderer {
 public:
  Renderer(cairo_surface_t* surface, PangoFontMap* fonts, const DocumentInfo& info, int total_pages)
      : cr_(cairo_create(surface)), info_(info), total_pages_(total_pages) {
    ctx_ = pango_font_map_create_context(fonts);
    pango_cairo_update_context(cr_.get(), ctx_);
    // The same metrics on every surface, so that both passes break lines and pages identically: no hinting,
    // unrounded glyph positions (PDF is scaled by the viewer anyway).
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx_, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx_, FALSE);
    pango_context_set_language(ctx_, pango_language_from_string("zh-cn"));
  }
  ~Renderer() { g_object_unref(ctx_); }
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  void Run(const std::vector<Document::Block>& blocks) {
    StartPage();
    for (const auto& b : blocks) std::visit([this](const auto& x) { Draw(x); }, b);
    FinishPage();
  }
  int pages() const { return page_; }
  cairo_status_t status() const { return cairo_status(cr_.get()); }

 private:
  // --- pages -----------------------------------------------------------------------------------------------
  void StartPage() {
    ++page_;
    y_ = kTop;
    if (!info_.header.empty()) {
      auto l = Make(info_.header, kSans, 8, false, kContentW, Align::kRight);
      Show(l.get(), kMarginX, 30, kMuted);
    }
  }
  void FinishPage() {
    const double rule_y = kPageH - 50;
    SetColor(kRule);
    cairo_set_line_width(cr_.get(), 0.5);
    cairo_move_to(cr_.get(), kMarginX, rule_y);
    cairo_line_to(cr_.get(), kPageW - kMarginX, rule_y);
    cairo_stroke(cr_.get());
    if (!info_.footer.empty()) {
      auto l = Make(info_.footer, kSans, 8, false, kContentW * 0.7, Align::kLeft);
      Show(l.get(), kMarginX, rule_y + 4, kMuted);
    }
    if (info_.page_numbers) {
      int total = total_pages_ > 0 ? total_pages_ : page_;
      auto l = Make(fmt::format("第 {} 页 共 {} 页", page_, total), kSans, 8, false, kContentW, Align::kRight);
      Show(l.get(), kMarginX, rule_y + 4, kMuted);
    }
    cairo_show_page(cr_.get());
  }
  void NewPage() {
    FinishPage();
    StartPage();
  }
  bool AtTop() const { return y_ <= kTop + 0.01; }
  // Starts a new page unless `height` fits below y_ (or the page is still empty: then nothing would help).
  void EnsureRoom(double height) {
    if (y_ + height > kBottom && !AtTop()) NewPage();
  }

  // --- text ------------------------------------------------------------------------------------------------
  LayoutPtr Make(std::string_view text, const char* family, double size, bool bold, double width, Align align,
                 double spacing = 1.2) {
    LayoutPtr l(pango_layout_new(ctx_));
    PangoFontDescription* fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l.get(), fd);
    pango_font_description_free(fd);
    if (width > 0) {
      pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l.get(), ToPango(align));
    pango_layout_set_line_spacing(l.get(), static_cast<float>(spacing));
    if (IsValidUtf8(text)) {
      pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
    } else {
      gchar* valid = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
      pango_layout_set_text(l.get(), valid, -1);
      g_free(valid);
    }
    return l;
  }
  static double Height(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  void SetColor(Rgb c) { cairo_set_source_rgb(cr_.get(), c.r, c.g, c.b); }
  void Show(PangoLayout* l, double x, double y, Rgb color) {
    SetColor(color);
    cairo_move_to(cr_.get(), x, y);
    pango_cairo_show_layout(cr_.get(), l);
  }
  // Draws a layout at y_ line by line, continuing on the next page when the lines do not fit (a long paragraph).
  void Flow(PangoLayout* l, double x, Rgb color) {
    struct Line {
      PangoLayoutLine* line;
      double top, bottom, baseline, x;
    };
    std::vector<Line> lines;
    PangoLayoutIter* it = pango_layout_get_iter(l);
    do {
      int y0 = 0, y1 = 0;
      pango_layout_iter_get_line_yrange(it, &y0, &y1);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      lines.push_back({pango_layout_iter_get_line_readonly(it), double(y0) / PANGO_SCALE,
                       double(y1) / PANGO_SCALE, double(pango_layout_iter_get_baseline(it)) / PANGO_SCALE,
                       double(logical.x) / PANGO_SCALE});
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    SetColor(color);
    size_t i = 0;
    while (i < lines.size()) {
      if (y_ + (lines[i].bottom - lines[i].top) > kBottom && !AtTop()) {
        NewPage();
        SetColor(color);
      }
      const double offset = y_ - lines[i].top;  // page y of layout y 0 for this run of lines
      size_t j = i;
      while (j < lines.size() && (j == i || lines[j].bottom + offset <= kBottom)) {
        cairo_move_to(cr_.get(), x + lines[j].x, lines[j].baseline + offset);
        pango_cairo_show_layout_line(cr_.get(), lines[j].line);
        ++j;
      }
      y_ = lines[j - 1].bottom + offset;
      i = j;
    }
  }

  // --- blocks ----------------------------------------------------------------------------------------------
  void Draw(const Document::TitleBlock& b) {
    auto t = Make(b.text, kSans, 17, true, kContentW, Align::kCenter);
    double h = Height(t.get());
    LayoutPtr s;
    if (!b.subtitle.empty()) {
      s = Make(b.subtitle, kSans, 10, false, kContentW, Align::kCenter);
      h += 4 + Height(s.get());
    }
    EnsureRoom(h + 14);
    Flow(t.get(), kMarginX, kInk);
    if (s) {
      y_ += 4;
      Flow(s.get(), kMarginX, kMuted);
    }
    y_ += 14;
  }
  void Draw(const Document::HeadingBlock& b) {
    const bool top = b.level <= 1;
    auto l = Make(b.text, kSans, top ? 12.5 : 10.5, true, kContentW, Align::kLeft);
    const double above = AtTop() ? 0 : (top ? 12 : 7);
    // Keep the heading with at least a few lines of what follows.
    EnsureRoom(above + Height(l.get()) + (top ? 60 : 40));
    if (!AtTop()) y_ += above;
    Flow(l.get(), kMarginX, kInk);
    if (top) {  // a short rule under a section heading
      SetColor(kRule);
      cairo_set_line_width(cr_.get(), 0.8);
      cairo_move_to(cr_.get(), kMarginX, y_ + 1.5);
      cairo_line_to(cr_.get(), kPageW - kMarginX, y_ + 1.5);
      cairo_stroke(cr_.get());
      y_ += 6;
    } else {
      y_ += 3;
    }
  }
  void Draw(const Document::ParagraphBlock& b) {
    auto l = Make(b.text, kSans, b.style.size, b.style.bold, kContentW, b.style.align, 1.35);
    Flow(l.get(), kMarginX, b.style.muted ? kMuted : kInk);
    y_ += b.style.size * 0.5;
  }
  void Draw(const Document::KeyValuesBlock& b) {
    const int n = std::clamp(b.columns, 1, 4);
    Grid g;
    for (int i = 0; i < n; ++i) {
      g.widths.push_back(1.0);
      g.widths.push_back(n == 1 ? 3.0 : 2.0);
      g.aligns.push_back(Align::kLeft);
      g.aligns.push_back(Align::kLeft);
      g.shaded.push_back(true);
      g.shaded.push_back(false);
    }
    for (size_t i = 0; i < b.items.size(); i += n) {
      std::vector<std::string> row;
      for (int k = 0; k < n; ++k) {
        if (i + k < b.items.size()) {
          row.push_back(b.items[i + k].first);
          row.push_back(b.items[i + k].second);
        } else {
          row.emplace_back();
          row.emplace_back();
        }
      }
      g.rows.push_back(std::move(row));
    }
    g.size = 9.5;
    DrawGrid(g);
    y_ += 8;
  }
  void Draw(const Table& t) {
    Grid g;
    bool any_title = false;
    for (const auto& c : t.columns) {
      g.widths.push_back(std::max(c.weight, 0.01));
      g.aligns.push_back(c.align);
      g.shaded.push_back(false);
      any_title = any_title || !c.title.empty();
      g.header.push_back(c.title);
    }
    if (!any_title) g.header.clear();
    if (g.widths.empty()) return;
    g.rows = t.rows;
    for (auto& r : g.rows) r.resize(g.widths.size());
    g.bold.insert(t.bold_rows.begin(), t.bold_rows.end());
    g.size = t.font_size;
    g.empty_text = t.empty_text;
    DrawGrid(g);
    y_ += 8;
  }
  void Draw(const Document::CalloutBlock& b) {
    const Rgb tone = ToneColor(b.tone);
    const double pad = 8;
    const double inner = kContentW - 2 * pad - 3;
    auto title = Make(b.title, kSans, 11, true, inner, Align::kLeft);
    LayoutPtr text;
    double h = Height(title.get());
    if (!b.text.empty()) {
      text = Make(b.text, kSans, 10, false, inner, Align::kLeft, 1.35);
      h += 3 + Height(text.get());
    }
    const double box = h + 2 * pad;
    EnsureRoom(box);
    if (y_ + box > kBottom) {  // taller than a page: no box, just the text
      Flow(title.get(), kMarginX, tone);
      if (text) Flow(text.get(), kMarginX, kInk);
      y_ += 8;
      return;
    }
    cairo_t* cr = cr_.get();
    SetColor(tone);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, kMarginX + 0.5, y_ + 0.5, kContentW - 1, box - 1);
    cairo_stroke(cr);
    cairo_rectangle(cr, kMarginX, y_, 3, box);  // a bar on the left in the tone's colour
    cairo_fill(cr);
    double y = y_ + pad;
    Show(title.get(), kMarginX + 3 + pad, y, tone);
    y += Height(title.get());
    if (text) Show(text.get(), kMarginX + 3 + pad, y + 3, kInk);
    y_ += box + 10;
  }
  void Draw(const Document::SignaturesBlock& b) {
    if (b.labels.empty()) return;
    const double h = 30;
    EnsureRoom(18 + h);
    y_ += 18;
    const double slot = kContentW / static_cast<double>(b.labels.size());
    for (size_t i = 0; i < b.labels.size(); ++i) {
      const double x = kMarginX + slot * static_cast<double>(i);
      auto l = Make(b.labels[i] + "：", kSans, 10, false, -1, Align::kLeft);
      int w = 0, lh = 0;
      pango_layout_get_size(l.get(), &w, &lh);
      const double baseline = static_cast<double>(pango_layout_get_baseline(l.get())) / PANGO_SCALE;
      const double top = y_ + h - 8 - baseline;
      Show(l.get(), x, top, kInk);
      SetColor(kInk);
      cairo_set_line_width(cr_.get(), 0.6);
      cairo_move_to(cr_.get(), x + static_cast<double>(w) / PANGO_SCALE + 2, y_ + h - 6);
      cairo_line_to(cr_.get(), x + slot - 14, y_ + h - 6);
      cairo_stroke(cr_.get());
    }
    y_ += h + 6;
  }
  void Draw(const Document::SpaceBlock& b) {
    y_ += std::max(0.0, b.points);
    if (y_ > kBottom) NewPage();
  }
  void Draw(const Document::PageBreakBlock&) {
    if (!AtTop()) NewPage();
  }

  // --- ruled grids (tables and key-value blocks) -----------------------------------------------------------
  struct Grid {
    std::vector<double> widths;  // weights, scaled to the content width
    std::vector<Align> aligns;
    std::vector<bool> shaded;    // columns drawn on grey (labels)
    std::vector<std::string> header;  // empty = no header row
    std::vector<std::vector<std::string>> rows;
    std::set<size_t> bold;
    double size = 9;
    std::string empty_text;
  };
  struct Row {
    std::vector<LayoutPtr> cells;
    double height = 0;
  };
  Row LayRow(const Grid& g, const std::vector<double>& w, const std::vector<std::string>& cells, bool bold,
             const std::vector<Align>& aligns) {
    Row r;
    for (size_t c = 0; c < w.size(); ++c) {
      r.cells.push_back(Make(c < cells.size() ? cells[c] : std::string(), kSans, g.size, bold,
                             w[c] - 2 * kCellPadX, aligns[c]));
      r.height = std::max(r.height, Height(r.cells.back().get()));
    }
    r.height += 2 * kCellPadY;
    return r;
  }
  void DrawRow(const Row& r, const std::vector<double>& w, const std::vector<bool>& shaded, bool header,
               Rgb ink = kInk) {
    cairo_t* cr = cr_.get();
    const bool clip = y_ + r.height > kBottom;  // taller than the page: cut at the bottom margin
    if (clip) {
      cairo_save(cr);
      cairo_rectangle(cr, kMarginX - 1, y_ - 1, kContentW + 2, kBottom - y_ + 1);
      cairo_clip(cr);
    }
    double x = kMarginX;
    for (size_t c = 0; c < w.size(); ++c) {
      if (header || shaded[c]) {
        SetColor(kShade);
        cairo_rectangle(cr, x, y_, w[c], r.height);
        cairo_fill(cr);
      }
      SetColor(kRule);
      cairo_set_line_width(cr, 0.5);
      cairo_rectangle(cr, x, y_, w[c], r.height);
      cairo_stroke(cr);
      Show(r.cells[c].get(), x + kCellPadX, y_ + kCellPadY, ink);
      x += w[c];
    }
    if (clip) cairo_restore(cr);
    y_ += std::min(r.height, kBottom - y_);
  }
  void DrawGrid(const Grid& g) {
    double sum = 0;
    for (double v : g.widths) sum += v;
    std::vector<double> w;
    for (double v : g.widths) w.push_back(v / sum * kContentW);
    std::vector<Align> header_aligns(w.size(), Align::kCenter);
    std::vector<bool> no_shade(w.size(), false);
    Row header;
    const bool has_header = !g.header.empty();
    if (has_header) header = LayRow(g, w, g.header, true, header_aligns);
    if (g.rows.empty()) {
      Grid one = g;
      Row empty = LayRow(one, {kContentW}, {g.empty_text}, false, {Align::kCenter});
      EnsureRoom(header.height + empty.height);
      if (has_header) DrawRow(header, w, no_shade, true);
      DrawRow(empty, {kContentW}, {false}, false, kMuted);
      return;
    }
    bool first = true;
    for (size_t i = 0; i < g.rows.size(); ++i) {
      Row r = LayRow(g, w, g.rows[i], g.bold.count(i) > 0, g.aligns);
      if (first) {
        EnsureRoom(header.height + r.height);
        if (has_header) DrawRow(header, w, no_shade, true);
        first = false;
      } else if (y_ + r.height > kBottom) {
        NewPage();
        if (has_header) DrawRow(header, w, no_shade, true);
      }
      DrawRow(r, w, g.shaded, false);
    }
  }

  std::unique_ptr<cairo_t, CairoDeleter> cr_;
  PangoContext* ctx_ = nullptr;
  const DocumentInfo& info_;
  int total_pages_;
  int page_ = 0;
  double y_ = kTop;
};

cairo_status_t AppendTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Document::Document(DocumentInfo info) : info_(std::move(info)) {}

void Document::Title(std::string text, std::string subtitle) {
  blocks_.push_back(TitleBlock{std::move(text), std::move(subtitle)});
}
void Document::Heading(std::string text) { blocks_.push_back(HeadingBlock{std::move(text), 1}); }
void Document::Subheading(std::string text) { blocks_.push_back(HeadingBlock{std::move(text), 2}); }
void Document::Paragraph(std::string text, TextStyle style) {
  blocks_.push_back(ParagraphBlock{std::move(text), style});
}
void Document::KeyValues(std::vector<std::pair<std::string, std::string>> items, int columns) {
  blocks_.push_back(KeyValuesBlock{std::move(items), columns});
}
void Document::AddTable(Table table) { blocks_.push_back(std::move(table)); }
void Document::Callout(std::string title, std::string text, Tone tone) {
  blocks_.push_back(CalloutBlock{std::move(title), std::move(text), tone});
}
void Document::Signatures(std::vector<std::string> labels) { blocks_.push_back(SignaturesBlock{std::move(labels)}); }
void Document::Space(double points) { blocks_.push_back(SpaceBlock{points}); }
void Document::PageBreak() { blocks_.push_back(PageBreakBlock{}); }

Result<std::string> Document::Render() const {
  if (!FontsInstalled()) {
    return Status::Unavailable("pdf.font_missing", "服务器未安装中文字体（fonts-noto-cjk），无法生成 PDF");
  }
  // A font map of our own rather than pango's per-thread default, which lives until its thread ends (for the
  // main thread: never freed, which LeakSanitizer reports). Creating one costs well under a millisecond; the
  // faces themselves are cached by cairo and fontconfig across maps.
  std::unique_ptr<PangoFontMap, GDeleter> fonts(pango_cairo_font_map_new());
  // Pass 1: count the pages on a recording surface (nothing is written).
  int pages = 0;
  {
    cairo_rectangle_t extents{0, 0, kPageW, kPageH};
    std::unique_ptr<cairo_surface_t, CairoDeleter> rec(
        cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents));
    Renderer r(rec.get(), fonts.get(), info_, 0);
    r.Run(blocks_);
    pages = r.pages();
  }
  // Pass 2: the PDF, with "共 N 页" known.
  std::string out;
  std::unique_ptr<cairo_surface_t, CairoDeleter> surface(
      cairo_pdf_surface_create_for_stream(&AppendTo, &out, kPageW, kPageH));
  cairo_surface_t* s = surface.get();
  if (!info_.title.empty()) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, info_.title.c_str());
  if (!info_.author.empty()) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, info_.author.c_str());
  if (!info_.subject.empty()) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, info_.subject.c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Doudi");
  if (!info_.created_at.empty()) {
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, info_.created_at.c_str());
  }
  cairo_status_t status;
  {
    Renderer r(s, fonts.get(), info_, pages);
    r.Run(blocks_);
    status = r.status();
  }
  cairo_surface_finish(s);
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(s);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("PDF 生成失败：") + cairo_status_to_string(status));
  }
  return out;
}

}  // namespace doudi::pdf

#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer: fontconfig keeps what it allocated while parsing its configuration (in pango's loader thread)
// and cairo 1.16 drops a small buffer when it finishes a PDF surface; neither is ours to free. Linked into every
// binary that renders PDF (the tests and the server under the sanitizer build).
extern "C" const char* __lsan_default_suppressions() {  // NOLINT: the sanitizer's hook name
  return "leak:libfontconfig.so\nleak:libcairo.so\n";
}
#endif
