// JobsService: long work (imports, batch verification, family-search sweeps, reports) run in the background as a
// job with progress, cancellation and a result, which the UI (GET /api/v1/jobs) and the CLI (a progress bar)
// both watch.
//
// Submit() records a queued job and hands its work to a small pool of worker threads (2 by default) behind a
// bounded queue; a full queue refuses the job (Unavailable "job.queue_full") rather than letting work pile up.
// The work reports through its JobContext; progress and message reach the database at most every ~200 ms, so a
// loop may call Advance() per row. Outcome: the work returns ok → succeeded (with the result it set); a non-ok
// Status → failed with its Chinese message (an Internal one is logged and shown as a generic message); a cancel
// requested while it ran → cancelled, whatever it returned. A queued job that is cancelled never starts.
//
//   DOUDI_ASSIGN_OR_RETURN(int64_t id, jobs.Submit(actor, "registry.import", "人员导入", [=](JobContext& ctx) {
//     ctx.SetTotal(rows.size());
//     for (const auto& row : rows) {
//       if (ctx.Cancelled()) return Status::Ok();
//       DOUDI_RETURN_IF_ERROR(ImportRow(row));
//       ctx.Advance();
//     }
//     ctx.SetResult(R"({"imported":)" + std::to_string(rows.size()) + "}");
//     return Status::Ok();
//   }));
//
// Visibility: a principal always sees the jobs it created; with job.read it also sees the jobs in its data scope
// (all, or the creators' division under its prefix, as Principal::InScope). Anything else is NotFound.
// Cancel is allowed to the same principals, audited ("job.cancel"), and refused for a finished job (Conflict
// "job.finished"). Destroying the service requests cancel of running jobs, fails the queued ones and joins the
// workers; it must be destroyed before the database and the audit log it uses.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/principal.h"

namespace doudi::platform {

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

std::string_view JobStatusText(JobStatus s);      // "queued" | "running" | "succeeded" | "failed" | "cancelled"
std::string_view JobStatusName(JobStatus s);      // 排队中 | 运行中 | 已完成 | 失败 | 已取消
bool ParseJobStatus(std::string_view text, JobStatus* out);

struct Job {
  int64_t id = 0;
  std::string kind;   // "registry.import"
  std::string title;  // Chinese, for people: "人员导入（people.csv）"
  JobStatus status = JobStatus::kQueued;
  int64_t progress_done = 0;
  int64_t progress_total = 0;  // 0 while unknown
  std::string message;         // the latest progress message; on failure the error
  std::optional<std::string> result;  // JSON text set by the work
  std::optional<std::string> error;   // Chinese failure message
  int64_t created_by = 0;
  std::string created_by_name;
  std::string division_code;  // the creator's
  bool cancel_requested = false;
  std::string created_at;
  std::optional<std::string> started_at, finished_at;
  int64_t version = 0;

  bool finished() const {
    return status == JobStatus::kSucceeded || status == JobStatus::kFailed || status == JobStatus::kCancelled;
  }
  // Whole percent 0..100: 100 once succeeded, else done/total rounded down (0 while the total is unknown).
  int percent() const;
};

struct JobQuery {
  std::optional<JobStatus> status;
  std::optional<std::string> kind;
  int page = 1, size = 20;
};

struct JobsOptions {
  int workers = 2;
  size_t queue_limit = 32;  // jobs waiting for a worker; more are refused
  std::chrono::milliseconds flush_interval{200};  // progress writes and cancel-flag reads, at most this often
};

class JobsService;

// What running work sees of its job. Thread-safe: work that fans out may report from several threads.
class JobContext {
 public:
  int64_t id() const { return id_; }
  void SetTotal(int64_t total);
  void Advance(int64_t k = 1);
  void SetProgress(int64_t done);
  void SetMessage(std::string text);
  // JSON text, stored when the job ends (the API returns it parsed).
  void SetResult(std::string json);
  // Whether a cancel was requested (here at once; by another process sharing the database within ~200 ms).
  // Work should check it between units and return soon after it turns true.
  bool Cancelled();

 private:
  friend class JobsService;
  struct Flags;
  JobContext(JobsService& service, int64_t id, std::shared_ptr<Flags> flags);
  void MaybeFlush(std::unique_lock<std::mutex>& lock);

  JobsService& service_;
  int64_t id_;
  std::shared_ptr<Flags> flags_;
  std::mutex mu_;
  int64_t done_ = 0, total_ = 0;
  std::string message_;
  std::optional<std::string> result_;
  bool dirty_ = false;
  TimePoint last_flush_, last_cancel_check_;
};

class JobsService {
 public:
  JobsService(db::Database& db, AuditLog& audit, Clock clock = SystemClock(), JobsOptions options = {});
  ~JobsService();
  JobsService(const JobsService&) = delete;
  JobsService& operator=(const JobsService&) = delete;

  // Records a queued job created by actor and schedules work; returns its id. Unavailable "job.queue_full"
  // when the queue is full, "job.stopping" while the service shuts down.
  Result<int64_t> Submit(const Principal& actor, std::string kind, std::string title,
                         std::function<Status(JobContext&)> work);
  // Newest first; total counts all matches.
  Result<std::pair<std::vector<Job>, int64_t>> List(const Principal& actor, const JobQuery& q);
  Result<Job> Get(const Principal& actor, int64_t id);
  // A queued job is cancelled at once; a running one is asked to stop and ends as cancelled when its work
  // returns. Returns the job as it is after the request.
  Result<Job> Cancel(const Principal& actor, int64_t id);
  // Until the job has finished, calling on_update (if given) with the job at most every `poll` — for a CLI
  // progress bar. Returns the finished job.
  Result<Job> Wait(const Principal& actor, int64_t id, std::chrono::milliseconds poll = std::chrono::milliseconds(200),
                   const std::function<void(const Job&)>& on_update = nullptr);
  // Marks jobs that a previous process left queued or running as failed ("服务重启，任务中断"); the server calls
  // it once at startup, before it submits any job. Returns how many were marked.
  Result<int64_t> RecoverInterrupted();

 private:
  friend class JobContext;
  struct Queued {
    int64_t id;
    std::function<Status(JobContext&)> work;
    std::shared_ptr<JobContext::Flags> flags;
  };

  void WorkerLoop();
  void Run(Queued q);
  Status Finish(int64_t id, JobContext& ctx, const Status& outcome, bool shutdown);
  // Writes the context's progress; returns whether a cancel has been requested in the database.
  bool WriteProgress(int64_t id, int64_t done, int64_t total, const std::string& message);
  bool ReadCancelFlag(int64_t id);
  Result<Job> Load(db::Conn& c, int64_t id);
  bool Visible(const Principal& actor, const Job& job) const;

  db::Database& db_;
  AuditLog& audit_;
  Clock clock_;
  JobsOptions options_;

  std::mutex mu_;
  std::condition_variable work_cv_;  // a job was queued, or the service stops
  std::condition_variable done_cv_;  // a job of this process finished
  std::deque<Queued> queue_;
  size_t reserved_ = 0;  // queue slots held by Submit calls still writing their row
  bool stopping_ = false;
  std::unordered_map<int64_t, std::shared_ptr<JobContext::Flags>> active_;  // queued or running here
  uint64_t finished_count_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace doudi::platform
