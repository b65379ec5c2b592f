#include "platform/jobs.h"

#include <algorithm>
#include <exception>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "db/sql_builder.h"
#include "platform/data_scope.h"

namespace doudi::platform {
namespace {

constexpr int kMaxPageSize = 200;
constexpr char kInterrupted[] = "服务重启，任务中断";
constexpr char kNotRun[] = "服务停止，任务未执行";
constexpr char kCancelledMessage[] = "任务已取消";
constexpr char kShutdownCancelled[] = "服务停止，任务已取消";

constexpr char kColumns[] =
    "id, kind, title, status, progress_done, progress_total, message, result, error, created_by, "
    "created_by_name, division_code, cancel_requested, created_at, started_at, finished_at, version";

Job ToJob(const db::Row& r) {
  Job j;
  j.id = r.Int(0);
  j.kind = r.Text(1);
  j.title = r.Text(2);
  ParseJobStatus(r.Text(3), &j.status);
  j.progress_done = r.Int(4);
  j.progress_total = r.Int(5);
  j.message = r.Text(6);
  j.result = r[7].as_opt_text();
  j.error = r[8].as_opt_text();
  j.created_by = r.Int(9);
  j.created_by_name = r.Text(10);
  j.division_code = r.Text(11);
  j.cancel_requested = r.Int(12) != 0;
  j.created_at = r.Text(13);
  j.started_at = r[14].as_opt_text();
  j.finished_at = r[15].as_opt_text();
  j.version = r.Int(16);
  return j;
}

Status JobNotFound() { return Status::NotFound("job.not_found", "任务不存在"); }

}  // namespace

// The cancel request of one queued or running job, shared by the service (which sets it) and the job's context.
struct JobContext::Flags {
  std::atomic<bool> cancel{false};
  std::atomic<bool> shutdown{false};  // the cancel came from the service stopping, not from a user
};

std::string_view JobStatusText(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kSucceeded: return "succeeded";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kCancelled: return "cancelled";
  }
  return "";
}

std::string_view JobStatusName(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued: return "排队中";
    case JobStatus::kRunning: return "运行中";
    case JobStatus::kSucceeded: return "已完成";
    case JobStatus::kFailed: return "失败";
    case JobStatus::kCancelled: return "已取消";
  }
  return "";
}

bool ParseJobStatus(std::string_view text, JobStatus* out) {
  for (JobStatus s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded, JobStatus::kFailed,
                      JobStatus::kCancelled}) {
    if (JobStatusText(s) == text) {
      *out = s;
      return true;
    }
  }
  return false;
}

int Job::percent() const {
  if (status == JobStatus::kSucceeded) return 100;
  if (progress_total <= 0 || progress_done <= 0) return 0;
  return static_cast<int>(std::min<int64_t>(100, progress_done * 100 / progress_total));
}

// --- JobContext ---------------------------------------------------------------------------------------------

JobContext::JobContext(JobsService& service, int64_t id, std::shared_ptr<Flags> flags)
    : service_(service), id_(id), flags_(std::move(flags)) {
  last_flush_ = last_cancel_check_ = service_.clock_();
}

void JobContext::SetTotal(int64_t total) {
  std::unique_lock lock(mu_);
  total_ = std::max<int64_t>(0, total);
  dirty_ = true;
  MaybeFlush(lock);
}

void JobContext::Advance(int64_t k) {
  std::unique_lock lock(mu_);
  done_ += k;
  dirty_ = true;
  MaybeFlush(lock);
}

void JobContext::SetProgress(int64_t done) {
  std::unique_lock lock(mu_);
  done_ = done;
  dirty_ = true;
  MaybeFlush(lock);
}

void JobContext::SetMessage(std::string text) {
  std::unique_lock lock(mu_);
  message_ = std::move(text);
  dirty_ = true;
  MaybeFlush(lock);
}

void JobContext::SetResult(std::string json) {
  std::lock_guard lock(mu_);
  result_ = std::move(json);
}

bool JobContext::Cancelled() {
  if (flags_->cancel) return true;
  {
    std::lock_guard lock(mu_);
    TimePoint now = service_.clock_();
    if (now - last_cancel_check_ < service_.options_.flush_interval) return false;
    last_cancel_check_ = now;
  }
  // Another process sharing the database may have asked (its Cancel cannot reach our flag).
  if (service_.ReadCancelFlag(id_)) flags_->cancel = true;
  return flags_->cancel;
}

// Called with mu_ held; the write happens without it, so that other reporting threads are not held up by the
// database (they find dirty_ set and the interval not yet passed).
void JobContext::MaybeFlush(std::unique_lock<std::mutex>& lock) {
  TimePoint now = service_.clock_();
  if (!dirty_ || now - last_flush_ < service_.options_.flush_interval) return;
  last_flush_ = last_cancel_check_ = now;
  dirty_ = false;
  int64_t done = done_, total = total_;
  std::string message = message_;
  lock.unlock();
  if (service_.WriteProgress(id_, done, total, message)) flags_->cancel = true;
  lock.lock();
}

// --- JobsService --------------------------------------------------------------------------------------------

JobsService::JobsService(db::Database& db, AuditLog& audit, Clock clock, JobsOptions options)
    : db_(db), audit_(audit), clock_(std::move(clock)), options_(options) {
  const int n = std::max(1, options_.workers);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

JobsService::~JobsService() {
  std::deque<Queued> never_run;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    never_run.swap(queue_);
    for (auto& [id, flags] : active_) {
      flags->shutdown = true;
      flags->cancel = true;
    }
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
  // Queued jobs would otherwise wait for RecoverInterrupted at the next start; say now that they did not run.
  const std::string now = FormatUtc(clock_());
  for (const auto& q : never_run) {
    Status s = db_.Write([&](db::Conn& c) -> Status {
      return c.Exec("UPDATE jobs SET status = 'failed', message = $1, error = $1, finished_at = $2, updated_at = $2, "
                    "version = version + 1 WHERE id = $3 AND status = 'queued'",
                    {kNotRun, now, q.id})
          .status();
    });
    if (!s.ok()) spdlog::error("job {}: marking it not run failed: {}", q.id, s.ToString());
  }
}

Result<int64_t> JobsService::Submit(const Principal& actor, std::string kind, std::string title,
                                    std::function<Status(JobContext&)> work) {
  if (kind.empty() || !work) return Status::Invalid("job.kind", "任务类型和任务内容不能为空");
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Status::Unavailable("job.stopping", "服务正在停止，暂不能提交任务");
    if (queue_.size() + reserved_ >= options_.queue_limit) {
      return Status::Unavailable("job.queue_full", "后台任务排队已满，请稍后再试");
    }
    ++reserved_;  // the slot is ours while the row is written
  }
  const std::string now = FormatUtc(clock_());
  const std::string name = actor.display_name.empty() ? actor.username : actor.display_name;
  int64_t id = 0;
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("INSERT INTO jobs (kind, title, status, created_by, created_by_name, "
                                              "division_code, created_at, updated_at) "
                                              "VALUES ($1, $2, 'queued', $3, $4, $5, $6, $6) RETURNING id",
                                              {kind, title, actor.user_id, name, actor.division_code, now}));
    id = rows[0].Int(0);
    return Status::Ok();
  });
  std::lock_guard lock(mu_);
  --reserved_;
  if (!s.ok()) return s;
  auto flags = std::make_shared<JobContext::Flags>();
  if (stopping_) {
    // The destructor already took the queue; this job is left for RecoverInterrupted.
    return Status::Unavailable("job.stopping", "服务正在停止，暂不能提交任务");
  }
  active_[id] = flags;
  queue_.push_back({id, std::move(work), std::move(flags)});
  work_cv_.notify_one();
  return id;
}

void JobsService::WorkerLoop() {
  for (;;) {
    Queued q;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      q = std::move(queue_.front());
      queue_.pop_front();
    }
    const int64_t id = q.id;
    Run(std::move(q));
    {
      std::lock_guard lock(mu_);
      active_.erase(id);
      ++finished_count_;
    }
    done_cv_.notify_all();
  }
}

void JobsService::Run(Queued q) {
  const std::string now = FormatUtc(clock_());
  const bool shutdown = q.flags->shutdown;  // taken from the queue just as the service began to stop
  bool claimed = false;
  Status s = db_.Write([&](db::Conn& c) -> Status {
    // A job cancelled while queued (here or by another process) or recovered is no longer 'queued'.
    auto n = shutdown ? c.Exec("UPDATE jobs SET status = 'failed', message = $1, error = $1, finished_at = $2, "
                               "updated_at = $2, version = version + 1 WHERE id = $3 AND status = 'queued'",
                               {kNotRun, now, q.id})
                      : c.Exec("UPDATE jobs SET status = 'running', started_at = $1, updated_at = $1, "
                               "version = version + 1 WHERE id = $2 AND status = 'queued'",
                               {now, q.id});
    if (!n.ok()) return n.status();
    claimed = !shutdown && *n == 1;
    return Status::Ok();
  });
  if (!s.ok()) {
    spdlog::error("job {}: could not start: {}", q.id, s.ToString());
    return;
  }
  if (!claimed) return;
  JobContext ctx(*this, q.id, q.flags);
  Status outcome;
  try {
    outcome = q.work(ctx);
  } catch (const std::exception& e) {
    outcome = Status::Internal(std::string("exception: ") + e.what());
  } catch (...) {
    outcome = Status::Internal("unknown exception");
  }
  Status f = Finish(q.id, ctx, outcome, q.flags->shutdown);
  if (!f.ok()) spdlog::error("job {}: recording its end failed: {}", q.id, f.ToString());
}

Status JobsService::Finish(int64_t id, JobContext& ctx, const Status& outcome, bool shutdown) {
  int64_t done, total;
  std::string message;
  std::optional<std::string> result;
  {
    std::lock_guard lock(ctx.mu_);
    done = ctx.done_;
    total = ctx.total_;
    message = ctx.message_;
    result = ctx.result_;
  }
  const std::string now = FormatUtc(clock_());
  return db_.Write([&](db::Conn& c) -> Status {
    // The cancel flag is read in this transaction, so that a cancel recorded by another process just before the
    // end still counts.
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT cancel_requested FROM jobs WHERE id = $1", {id}));
    if (rows.empty()) return Status::Ok();
    const bool cancelled = ctx.flags_->cancel || rows[0].Int(0) != 0;
    std::string status = "succeeded";
    std::optional<std::string> error;
    if (cancelled) {
      status = "cancelled";
      message = shutdown ? kShutdownCancelled : kCancelledMessage;
    } else if (!outcome.ok()) {
      status = "failed";
      if (outcome.code() == Code::kInternal) {
        spdlog::error("job {} failed: {}", id, outcome.ToString());
        error = "任务执行出错，请联系系统管理员（任务号 " + std::to_string(id) + "）";
      } else {
        error = outcome.message();
      }
      message = *error;
    }
    return c.Exec("UPDATE jobs SET status = $1, progress_done = $2, progress_total = $3, message = $4, result = $5, "
                  "error = $6, finished_at = $7, updated_at = $7, version = version + 1 "
                  "WHERE id = $8 AND status = 'running'",
                  {status, done, total, message, result, error, now, id})
        .status();
  });
}

bool JobsService::WriteProgress(int64_t id, int64_t done, int64_t total, const std::string& message) {
  bool cancel = false;
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows,
                           c.Query("UPDATE jobs SET progress_done = $1, progress_total = $2, message = $3, "
                                   "updated_at = $4, version = version + 1 WHERE id = $5 AND status = 'running' "
                                   "RETURNING cancel_requested",
                                   {done, total, message, FormatUtc(clock_()), id}));
    cancel = !rows.empty() && rows[0].Int(0) != 0;
    return Status::Ok();
  });
  // Progress is advisory: a failed write must not fail the work; the final state is written at the end.
  if (!s.ok()) spdlog::warn("job {}: progress write failed: {}", id, s.ToString());
  return cancel;
}

bool JobsService::ReadCancelFlag(int64_t id) {
  bool cancel = false;
  Status s = db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT cancel_requested FROM jobs WHERE id = $1", {id}));
    cancel = !rows.empty() && rows[0].Int(0) != 0;
    return Status::Ok();
  });
  if (!s.ok()) spdlog::warn("job {}: reading its cancel flag failed: {}", id, s.ToString());
  return cancel;
}

Result<Job> JobsService::Load(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = $1", {id}));
  if (rows.empty()) return JobNotFound();
  return ToJob(rows[0]);
}

bool JobsService::Visible(const Principal& actor, const Job& job) const {
  if (job.created_by == actor.user_id) return true;
  return actor.Can("job.read") && actor.InScope(job.division_code, job.created_by);
}

Result<std::pair<std::vector<Job>, int64_t>> JobsService::List(const Principal& actor, const JobQuery& q) {
  if (q.page < 1 || q.size < 1 || q.size > kMaxPageSize) {
    return Status::InvalidField("page", "job.page", "分页参数无效：页码从 1 开始，每页 1–200 条");
  }
  std::string where;
  std::vector<db::Value> params;
  auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return db::Placeholder(params.size());
  };
  auto add = [&](const std::string& condition) { where += (where.empty() ? " WHERE " : " AND ") + condition; };
  const bool wide = actor.Can("job.read");
  // A division scope without a (digit) division sees no division's jobs, only its own (data_scope.h).
  if (!wide || actor.scope == ScopeKind::kOwn || DataScopeOf(actor).none) {
    add("created_by = " + param(actor.user_id));
  } else if (actor.scope == ScopeKind::kDivision) {
    // BETWEEN prefix AND prefix999... selects the (digit, at most 12 long) codes under the prefix and can use
    // the index, unlike LIKE.
    std::string hi = actor.division_code;
    if (hi.size() < 12) hi.append(12 - hi.size(), '9');
    std::string own = param(actor.user_id);
    std::string lo = param(actor.division_code);
    add("(created_by = " + own + " OR division_code BETWEEN " + lo + " AND " + param(hi) + ")");
  }
  if (q.status) add("status = " + param(std::string(JobStatusText(*q.status))));
  if (q.kind) add("kind = " + param(*q.kind));
  std::pair<std::vector<Job>, int64_t> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto total, c.Query("SELECT COUNT(*) FROM jobs" + where, params));
    out.second = total[0].Int(0);
    std::vector<db::Value> page = params;
    std::string sql = std::string("SELECT ") + kColumns + " FROM jobs" + where + " ORDER BY id DESC";
    page.emplace_back(q.size);
    sql += " LIMIT $" + std::to_string(page.size());
    page.emplace_back(static_cast<long long>(q.page - 1) * q.size);
    sql += " OFFSET $" + std::to_string(page.size());
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, page));
    for (const auto& r : rows) out.first.push_back(ToJob(r));
    return Status::Ok();
  }));
  return out;
}

Result<Job> JobsService::Get(const Principal& actor, int64_t id) {
  Result<Job> job = JobNotFound();
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    job = Load(c, id);
    return job.ok() || job.status().code() == Code::kNotFound ? Status::Ok() : job.status();
  }));
  if (!job.ok()) return job;
  if (!Visible(actor, *job)) return JobNotFound();
  return job;
}

Result<Job> JobsService::Cancel(const Principal& actor, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(Job before, Get(actor, id));
  if (before.finished()) return Status::Conflict("job.finished", "任务已结束，无法取消");
  const std::string now = FormatUtc(clock_());
  Result<Job> after = JobNotFound();
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    // A queued job ends here; a running one is asked to stop (its worker records the end).
    DOUDI_ASSIGN_OR_RETURN(
        auto n, c.Exec("UPDATE jobs SET cancel_requested = 1, "
                       "status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END, "
                       "message = CASE WHEN status = 'queued' THEN $1 ELSE message END, "
                       "finished_at = CASE WHEN status = 'queued' THEN $2 ELSE finished_at END, "
                       "updated_at = $2, version = version + 1 "
                       "WHERE id = $3 AND status IN ('queued', 'running')",
                       {kCancelledMessage, now, id}));
    if (n == 0) return Status::Conflict("job.finished", "任务已结束，无法取消");
    after = Load(c, id);
    if (!after.ok()) return after.status();
    nlohmann::json detail = {{"kind", before.kind}, {"title", before.title}};
    return audit_.AppendIn(c, AuditEventFor(actor, "job.cancel", "job", std::to_string(id), detail.dump()));
  }));
  {
    std::lock_guard lock(mu_);
    if (auto it = active_.find(id); it != active_.end()) it->second->cancel = true;
  }
  return after;
}

Result<Job> JobsService::Wait(const Principal& actor, int64_t id, std::chrono::milliseconds poll,
                              const std::function<void(const Job&)>& on_update) {
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard lock(mu_);
      seen = finished_count_;
    }
    DOUDI_ASSIGN_OR_RETURN(Job job, Get(actor, id));
    if (job.finished()) return job;
    if (on_update) on_update(job);
    std::unique_lock lock(mu_);
    done_cv_.wait_for(lock, poll, [&] { return finished_count_ != seen; });
  }
}

Result<int64_t> JobsService::RecoverInterrupted() {
  int64_t n = 0;
  const std::string now = FormatUtc(clock_());
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(n, c.Exec("UPDATE jobs SET status = 'failed', message = $1, error = $1, "
                                     "finished_at = $2, updated_at = $2, version = version + 1 "
                                     "WHERE status IN ('queued', 'running')",
                                     {kInterrupted, now}));
    return Status::Ok();
  }));
  if (n > 0) spdlog::warn("{} job(s) left unfinished by a previous process marked failed", n);
  return n;
}

}  // namespace doudi::platform
