// VerifyService: agency feed batches — upload checks, the import (parse, store rows or only rejects, finish the
// batch) and the batch lists.
#include <algorithm>
#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>

#include "common/id_number.h"
#include "common/text.h"
#include "platform/bytes.h"
#include "registry/read_page.h"
#include "verify/feeds/feeds.h"
#include "verify/service.h"
#include "verify/tables.h"

namespace doudi::verify {
namespace {

// The service's own ceiling, below which the server's body limit usually bites first.
constexpr size_t kMaxFeedBytes = size_t{256} << 20;
// Rows per write transaction while storing a batch (its rows count only once the batch is marked imported).
constexpr size_t kRowsPerTransaction = 5000;

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ValidPeriod(std::string_view p) {
  if (p.size() != 7 || p[4] != '-' || !IsDigits(p.substr(0, 4)) || !IsDigits(p.substr(5, 2))) return false;
  int year = std::stoi(std::string(p.substr(0, 4)));
  int month = std::stoi(std::string(p.substr(5, 2)));
  return year >= 1990 && year <= 2100 && month >= 1 && month <= 12;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The last day of a YYYY-MM period, as engine days: the data date of feeds whose rows carry no date.
int32_t PeriodEnd(const std::string& period) {
  int year = std::stoi(period.substr(0, 4));
  int month = std::stoi(period.substr(5, 2));
  int next_year = month == 12 ? year + 1 : year;
  int next_month = month == 12 ? 1 : month + 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01", next_year, next_month);
  return DateDays(buf) - 1;
}

// A reject's reason quotes the offending value; an ID number (even one with a wrong check character: usually a
// typo of a real one) is masked before it is stored or shown, like every ID number the system shows.
std::string MaskIdNumbers(const std::string& text) {
  std::string out;
  size_t i = 0;
  auto id_char = [](char c) { return (c >= '0' && c <= '9') || c == 'X' || c == 'x'; };
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && id_char(text[j])) ++j;
    if (j - i >= 15 && j - i <= 18) {
      out += MaskIdNumber(text.substr(i, j - i));
    } else {
      out.append(text, i, std::max<size_t>(j - i, 1));
    }
    i = std::max(j, i + 1);
  }
  return out;
}

Status FeedNotFound() { return Status::NotFound("verify.feed.not_found", "数据批次不存在"); }

Status Duplicate(int64_t existing) {
  Status s(Code::kConflict, "verify.feed.duplicate",
           "该文件内容已导入过（批次 " + std::to_string(existing) + "），如确需重复导入请选择强制导入");
  s.add_detail({"existing_batch_id", "verify.feed.duplicate", std::to_string(existing)});
  return s;
}

}  // namespace

Result<FeedBatch> VerifyService::PrepareUpload(const Actor& actor, FeedUpload& u) {
  Feed feed;
  if (!ParseFeedCode(u.source, &feed)) {
    return Status::InvalidField("source", "verify.feed.source", "未知的数据来源：" + u.source);
  }
  if (!ValidPeriod(u.period) || u.period > Today().substr(0, 7)) {
    return Status::InvalidField("period", "verify.feed.period", "数据所属期应为不晚于本月的 YYYY-MM，如 2026-10");
  }
  std::string lower = Lower(u.filename);
  if (u.filename.empty() || u.filename.size() > 200 || u.filename.find('/') != std::string::npos ||
      !(lower.ends_with(".csv") || lower.ends_with(".xlsx"))) {
    return Status::InvalidField("filename", "verify.feed.filename", "文件名应为 1–200 个字符，扩展名为 .csv 或 .xlsx");
  }
  if (u.bytes.empty()) return Status::InvalidField("file", "verify.feed.empty", "上传的文件为空");
  if (u.bytes.size() > kMaxFeedBytes) {
    return Status(Code::kTooLarge, "verify.feed.too_large", "文件过大，请分批上传或使用命令行导入");
  }
  FeedBatch b;
  b.source = std::string(FeedCode(feed));
  b.period = u.period;
  b.filename = u.filename;
  b.format = feeds::DetectFormat(u.filename, u.bytes) == feeds::Format::kXlsx ? "xlsx" : "csv";
  b.content_hash = platform::Sha256Hex(u.bytes);
  b.size_bytes = static_cast<int64_t>(u.bytes.size());
  b.on_reject = u.on_reject;
  b.forced = u.force;
  b.status = "importing";
  b.created_at = Now();
  b.created_by = actor.principal.user_id;
  b.created_by_name = actor.principal.display_name.empty() ? actor.principal.username : actor.principal.display_name;
  Status s = db_.Write([&](db::Conn& c) -> Status {
    if (!b.forced) {
      // An import interrupted by a restart leaves its batch "importing"; after two hours it no longer blocks.
      DOUDI_RETURN_IF_ERROR(store::FailStaleImports(c, platform::FormatUtc(clock_() - std::chrono::hours(2)), b.created_at));
      DOUDI_ASSIGN_OR_RETURN(auto existing, store::ActiveBatchWithHash(c, b.content_hash));
      if (existing) return Duplicate(*existing);
    }
    DOUDI_ASSIGN_OR_RETURN(b.id, store::InsertFeedBatch(c, b));
    return audit_.AppendIn(c, Event(actor, "verify.feed.upload", "feed_batch", b.id,
                                    nlohmann::json{{"source", b.source},
                                                   {"period", b.period},
                                                   {"filename", b.filename},
                                                   {"content_hash", b.content_hash},
                                                   {"forced", b.forced}}
                                        .dump()));
  });
  if (s.error_code() == "db.unique") {
    // A concurrent upload of the same content won the race for the active hash.
    std::optional<int64_t> existing;
    DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(existing, store::ActiveBatchWithHash(c, b.content_hash));
      return Status::Ok();
    }));
    return Duplicate(existing.value_or(0));
  }
  DOUDI_RETURN_IF_ERROR(s);
  return b;
}

Result<Started<FeedBatch>> VerifyService::UploadFeed(const Actor& actor, FeedUpload upload) {
  DOUDI_ASSIGN_OR_RETURN(FeedBatch batch, PrepareUpload(actor, upload));
  auto bytes = std::make_shared<std::string>(std::move(upload.bytes));
  auto who = std::make_shared<platform::Principal>(actor.principal);
  if (who->ip.empty()) who->ip = actor.ip;
  if (who->request_id.empty()) who->request_id = actor.request_id;
  Result<int64_t> job = jobs_.Submit(actor.principal, "verify.feed_import", "部门数据导入（" + batch.filename + "）",
                                     [this, who, bytes, batch](platform::JobContext& ctx) -> Status {
                                       auto done = RunImport(*who, batch, *bytes, &ctx);
                                       if (!done.ok()) {
                                         // An internal error: the batch must not stay "importing" (its hash
                                         // would block the file's next upload).
                                         FeedBatch failed = batch;
                                         failed.status = "failed";
                                         failed.error = "导入时发生内部错误，请重新上传";
                                         (void)db_.Write([&](db::Conn& c) {
                                           return store::FinishFeedBatch(c, failed, Now(), who->user_id);
                                         });
                                         return done.status();
                                       }
                                       ctx.SetResult(nlohmann::json{{"batch_id", done->id},
                                                                    {"status", done->status},
                                                                    {"rows_total", done->rows_total},
                                                                    {"rows_imported", done->rows_imported},
                                                                    {"rows_rejected", done->rows_rejected}}
                                                         .dump());
                                       return Status::Ok();
                                     });
  if (!job.ok()) {
    batch.status = "failed";
    batch.error = job.status().message();
    (void)db_.Write([&](db::Conn& c) { return store::FinishFeedBatch(c, batch, Now(), actor.principal.user_id); });
    return job.status();
  }
  batch.job_id = *job;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) { return store::SetFeedBatchJob(c, batch.id, *job); }));
  return Started<FeedBatch>{std::move(batch), *job};
}

Result<FeedBatch> VerifyService::ImportFeed(const Actor& actor, FeedUpload upload) {
  DOUDI_ASSIGN_OR_RETURN(FeedBatch batch, PrepareUpload(actor, upload));
  platform::Principal who = actor.principal;
  if (who.ip.empty()) who.ip = actor.ip;
  if (who.request_id.empty()) who.request_id = actor.request_id;
  return RunImport(who, std::move(batch), upload.bytes, nullptr);
}

Result<FeedBatch> VerifyService::RunImport(const platform::Principal& who, FeedBatch batch, const std::string& bytes,
                                           platform::JobContext* ctx) {
  Feed feed;
  ParseFeedCode(batch.source, &feed);
  if (ctx) {
    ctx->SetTotal(static_cast<int64_t>(std::count(bytes.begin(), bytes.end(), '\n')));
    ctx->SetMessage("正在校验文件");
  }
  std::vector<store::FeedRow> rows;
  FeedTables tables;  // the batch's rows as the engine reads them: for the batch's data date
  Result<feeds::ParseResult> parsed = feeds::ParseFeed(feed, batch.filename, bytes, [&](const feeds::ParsedRow& r) {
    store::FeedRow row;
    row.batch_id = batch.id;
    row.feed = static_cast<int>(feed);
    row.person_key = crypto_.KeyedHash64(r.id_number);
    row.id_cipher = crypto_.Encrypt(r.id_number);
    row.row_no = r.row;
    for (int i = 0; i < 2; ++i) {
      row.code[i] = r.code[i];
      row.date[i] = r.date[i];
      row.money[i] = r.money[i];
      row.text[i] = std::string(r.text[i]);
    }
    row.month = r.month;
    row.area = r.area_centi_m2;
    AppendRow(row, 0, &tables);
    rows.push_back(std::move(row));
    if (ctx) ctx->Advance();
  });

  const Actor actor(who, who.ip, who.request_id);
  auto finish = [&]() -> Status {
    return db_.Write([&](db::Conn& c) -> Status {
      DOUDI_RETURN_IF_ERROR(store::FinishFeedBatch(c, batch, Now(), who.user_id));
      return Status::Ok();
    });
  };
  if (!parsed.ok()) {
    if (parsed.status().code() == Code::kInternal) return parsed.status();
    batch.status = "failed";
    batch.error = parsed.status().message();
    DOUDI_RETURN_IF_ERROR(finish());
    (void)audit_.Append(Event(actor, "verify.feed.import", "feed_batch", batch.id,
                              nlohmann::json{{"status", "failed"}, {"error", parsed.status().error_code()}}.dump()));
    return batch;
  }
  const feeds::ParseResult& pr = *parsed;
  batch.encoding = std::string(feeds::EncodingName(pr.encoding));
  if (pr.format == feeds::Format::kXlsx) batch.encoding.clear();
  batch.rows_total = pr.rows_total;
  batch.rows_rejected = pr.rows_total - pr.rows_accepted;
  if (batch.rows_rejected < static_cast<int64_t>(pr.rejects.size())) {
    batch.rows_rejected = static_cast<int64_t>(pr.rejects.size());
  }
  std::vector<FeedReject> rejects;
  rejects.reserve(pr.rejects.size());
  for (const auto& r : pr.rejects) rejects.push_back({r.row, r.column, r.code, MaskIdNumbers(r.reason)});
  const bool refuse = !rejects.empty() && batch.on_reject == OnReject::kAllOrNothing;
  // The data reflect at least the period the uploader declared (an agency file may hold no row of that month:
  // nobody matched), and later dates found in the rows.
  const int32_t newest = std::max(tables.NewestDate(feed), PeriodEnd(batch.period));
  batch.data_date = FormatDays(newest);

  if (ctx) ctx->SetMessage(refuse ? "文件有错误行，整批拒收" : "正在保存");
  Status stored = db_.Write([&](db::Conn& c) { return store::InsertRejects(c, batch.id, 0, rejects); });
  if (stored.ok() && !refuse) {
    for (size_t i = 0; i < rows.size() && stored.ok(); i += kRowsPerTransaction) {
      if (ctx && ctx->Cancelled()) {
        stored = Status::Invalid("verify.feed.cancelled", "导入已取消");
        break;
      }
      std::vector<store::FeedRow> chunk(rows.begin() + static_cast<std::ptrdiff_t>(i),
                                        rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), i + kRowsPerTransaction)));
      stored = db_.Write([&](db::Conn& c) { return store::InsertFeedRows(c, chunk); });
    }
  }
  if (!stored.ok()) {
    // Rows written so far stay invisible: only an imported batch's rows are read.
    batch.status = "failed";
    batch.error = stored.code() == Code::kInternal ? "保存数据时出错" : stored.message();
    DOUDI_RETURN_IF_ERROR(finish());
    (void)db_.Write([&](db::Conn& c) { return store::DeleteFeedRows(c, batch.id); });
    return stored.code() == Code::kInternal ? Result<FeedBatch>(stored) : Result<FeedBatch>(batch);
  }
  batch.status = refuse ? "rejected" : "imported";
  batch.rows_imported = refuse ? 0 : static_cast<int64_t>(rows.size());
  batch.finished_at = Now();
  DOUDI_RETURN_IF_ERROR(finish());
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "verify.feed.import", "feed_batch", batch.id,
                                            nlohmann::json{{"status", batch.status},
                                                           {"rows_total", batch.rows_total},
                                                           {"rows_imported", batch.rows_imported},
                                                           {"rows_rejected", batch.rows_rejected}}
                                                .dump())));
  if (ctx) ctx->SetMessage(refuse ? "已拒收" : "已导入");
  return batch;
}

Result<Page<FeedBatch>> VerifyService::ListFeedBatches(const Actor&, const FeedBatchQuery& q) {
  store::FeedBatchFilter f;
  if (!q.source.empty()) {
    Feed feed;
    if (!ParseFeedCode(q.source, &feed)) {
      return Status::InvalidField("source", "verify.feed.source", "未知的数据来源：" + q.source);
    }
    f.source = q.source;
  }
  if (!q.status.empty()) {
    if (q.status != "importing" && q.status != "imported" && q.status != "rejected" && q.status != "failed") {
      return Status::InvalidField("status", "verify.feed.status", "状态应为 importing、imported、rejected 或 failed");
    }
    f.status = q.status;
  }
  f.period = q.period;
  return registry::ReadPage<FeedBatch>(db_, q.page, q.size, [&](db::Conn& c, int64_t limit, int64_t offset) {
    f.limit = limit;
    f.offset = offset;
    return store::ListFeedBatches(c, f);
  });
}

Result<FeedBatch> VerifyService::GetFeedBatch(const Actor&, int64_t id) {
  std::optional<FeedBatch> b;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(b, store::GetFeedBatch(c, id));
    return Status::Ok();
  }));
  if (!b) return FeedNotFound();
  return std::move(*b);
}

Result<Page<FeedReject>> VerifyService::ListRejects(const Actor& actor, int64_t batch_id, int page_no, int size) {
  DOUDI_RETURN_IF_ERROR(GetFeedBatch(actor, batch_id).status());
  return registry::ReadPage<FeedReject>(db_, page_no, size, [&](db::Conn& c, int64_t limit, int64_t offset) {
    return store::ListRejects(c, batch_id, limit, offset);
  });
}

}  // namespace doudi::verify
