// PdfDocument: a small writer of A4 reports and forms (the verification report, the rescue module's forms).
//
// A document is a list of blocks added in reading order — title, headings, paragraphs, key-value blocks, tables,
// callouts, signature lines — that Render() lays out on A4 pages with cairo + pango and returns as PDF bytes.
// Text is set in Noto Sans CJK SC (fonts-noto-cjk), regular and bold. cairo embeds only the glyphs used (a CFF
// subset, about 55 KB a face plus the glyphs), so a one-page Chinese report is about 140 KB, where libharu would
// embed whole fonts of megabytes (see DESIGN.md, "PDF").
//
// Layout rules, so callers know what to expect:
//  - Text is plain, never markup: whatever the caller passes is shown as is. Long text wraps at words for
//    Latin text and between any two Chinese characters; '\n' starts a new line.
//  - Tables break between rows (a row is never split) and repeat their header row at the top of each page.
//    A row taller than a whole page is drawn and cut at the bottom margin (rows are short in practice).
//  - A heading is never left alone at the bottom of a page: it moves to the next page with what follows.
//  - The footer (optional text on the left, "第 n 页 共 N 页" on the right) is on every page. Layout runs twice,
//    the first time only to count the pages.
// Render() is safe to call from several threads at once (pango's font map is per thread).
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace doudi::pdf {

enum class Align { kLeft, kCenter, kRight };

// What the document says about itself (PDF metadata) and what every page carries.
struct DocumentInfo {
  std::string title;    // metadata only; Document::Title() puts a title on the page
  std::string author;   // metadata: the issuing unit or user
  std::string subject;  // metadata
  std::string header;   // small text at the top right of every page (e.g. the report number); empty = none
  std::string footer;   // small text at the bottom left of every page (e.g. the issuing unit); empty = none
  bool page_numbers = true;  // "第 n 页 共 N 页" at the bottom right
  // The creation date stored in the metadata, ISO 8601 ("2026-11-29T10:00:00Z"); empty = now.
  std::string created_at;
};

struct TextStyle {
  double size = 10;  // points
  bool bold = false;
  bool muted = false;  // grey, for notes and explanations
  Align align = Align::kLeft;
};

struct TableColumn {
  std::string title;  // header text; if every column's title is empty the table has no header row
  double weight = 1;  // share of the table's width
  Align align = Align::kLeft;
};

struct Table {
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells (missing cells are empty)
  std::vector<size_t> bold_rows;               // row indices drawn in bold (totals)
  double font_size = 9;
  std::string empty_text = "（无）";  // shown in one row spanning the table when rows is empty
};

// The colour of a callout's border and title: a decision, a warning, a note.
enum class Tone { kNeutral, kGood, kWarning, kBad };

class Document {
 public:
  explicit Document(DocumentInfo info = {});

  // The document's title, centred, with an optional subtitle line under it.
  void Title(std::string text, std::string subtitle = "");
  void Heading(std::string text);     // a section heading (一、…), with space above
  void Subheading(std::string text);  // a smaller heading inside a section
  void Paragraph(std::string text, TextStyle style = {});
  // Label/value pairs in a ruled grid of `columns` pairs a row (1–4), labels shaded: the usual Chinese form layout.
  void KeyValues(std::vector<std::pair<std::string, std::string>> items, int columns = 2);
  void AddTable(Table table);
  // A bordered box with a bold first line in the tone's colour, e.g. the decision of a report.
  void Callout(std::string title, std::string text, Tone tone = Tone::kNeutral);
  // One line of "label：________" fields spread over the width, for handwritten signatures and dates.
  void Signatures(std::vector<std::string> labels);
  void Space(double points);
  void PageBreak();

  // Lays out the blocks and returns the PDF. Fails with "pdf.font_missing" when the Noto CJK fonts are not
  // installed (the Chinese text would come out as boxes) and with an internal error if cairo fails.
  Result<std::string> Render() const;

  // The blocks, as stored; public so the renderer (pdf.cc) can read them.
  struct TitleBlock { std::string text, subtitle; };
  struct HeadingBlock { std::string text; int level; };
  struct ParagraphBlock { std::string text; TextStyle style; };
  struct KeyValuesBlock { std::vector<std::pair<std::string, std::string>> items; int columns; };
  struct CalloutBlock { std::string title, text; Tone tone; };
  struct SignaturesBlock { std::vector<std::string> labels; };
  struct SpaceBlock { double points; };
  struct PageBreakBlock {};
  using Block = std::variant<TitleBlock, HeadingBlock, ParagraphBlock, KeyValuesBlock, Table, CalloutBlock,
                             SignaturesBlock, SpaceBlock, PageBreakBlock>;

 private:
  DocumentInfo info_;
  std::vector<Block> blocks_;
};

}  // namespace doudi::pdf
