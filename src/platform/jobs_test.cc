#include "platform/jobs.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "platform/progress.h"
#include "platform/testing.h"

namespace doudi::platform {
namespace {

using namespace std::chrono_literals;

// Lets a test hold jobs inside their work and know when they got there, without sleeping.
class Gate {
 public:
  void Open() {
    std::lock_guard l(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool WaitOpen() {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, 20s, [&] { return open_; });
  }
  void Arrive() {
    std::lock_guard l(mu_);
    ++arrived_;
    cv_.notify_all();
  }
  bool WaitArrived(int n) {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, 20s, [&] { return arrived_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int arrived_ = 0;
};

Principal Person(int64_t id, const std::string& division, ScopeKind scope = ScopeKind::kDivision,
                 bool job_read = true) {
  Principal p;
  p.user_id = id;
  p.username = "user" + std::to_string(id);
  p.display_name = "用户" + std::to_string(id);
  p.role = scope == ScopeKind::kAll ? "manager" : "caseworker";
  p.division_code = division;
  p.scope = scope;
  if (job_read) p.permissions = {"job.read"};
  p.ip = "10.0.0.9";
  return p;
}

// A loop that runs until the job is cancelled; gives up (and so lets the job succeed, failing the test) after
// 20 s of real time rather than hanging.
Status LoopUntilCancelled(JobContext& ctx, Gate* gate = nullptr, std::atomic<int64_t>* checks = nullptr) {
  ctx.SetTotal(1'000'000);
  auto deadline = std::chrono::steady_clock::now() + 20s;
  for (int64_t i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
    if (ctx.Cancelled()) return Status::Ok();
    if (checks) ++*checks;
    if (i < 1'000'000) ctx.Advance();
    if (i == 5 && gate) gate->Arrive();
    std::this_thread::yield();
  }
  return Status::Ok();
}

class JobsTest : public testing::PlatformTest {
 protected:
  std::unique_ptr<JobsService> Make(JobsOptions o = {}) {
    return std::make_unique<JobsService>(p_->db(), *p_->audit, clock_, o);
  }
  void Tick(int64_t ms) { ms_ += ms; }
  Result<int64_t> Exec(const std::string& sql, db::Params params = {}) {
    std::vector<db::Value> v(params);
    int64_t n = 0;
    Status s = p_->db().Write([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(n, c.Exec(sql, v));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return n;
  }

  std::atomic<int64_t> ms_{0};
  Clock clock_ = [this] { return testing::TestPlatform::Start() + std::chrono::milliseconds(ms_.load()); };
  const Principal worker_ = Person(11, "421003");
};

TEST_P(JobsTest, RunsStoresThrottledProgressAndResult) {
  auto jobs = Make();
  Gate gate;
  auto id = jobs->Submit(worker_, "registry.import", "人员导入（people.csv）", [&](JobContext& ctx) {
    ctx.SetTotal(10);
    ctx.Advance();      // within 200 ms of the start: not written
    Tick(250);
    ctx.Advance(2);     // 250 ms later: written (3 of 10)
    ctx.SetMessage("已处理 3 行");  // same instant as that write: held back
    ctx.Advance();
    gate.Arrive();
    if (!gate.WaitOpen()) return Status::Internal("gate never opened");
    ctx.SetProgress(10);
    ctx.SetResult(R"({"imported":10,"file":"people.csv"})");
    return Status::Ok();
  });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(gate.WaitArrived(1));

  auto mid = jobs->Get(worker_, *id);
  ASSERT_TRUE(mid.ok()) << mid.status().ToString();
  EXPECT_EQ(mid->status, JobStatus::kRunning);
  EXPECT_EQ(mid->progress_done, 3);
  EXPECT_EQ(mid->progress_total, 10);
  EXPECT_EQ(mid->percent(), 30);
  EXPECT_EQ(mid->message, "");
  EXPECT_EQ(mid->started_at, "2024-05-01T04:30:00.000Z");
  EXPECT_FALSE(mid->finished_at);

  gate.Open();
  auto done = jobs->Wait(worker_, *id);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->status, JobStatus::kSucceeded);
  EXPECT_EQ(done->kind, "registry.import");
  EXPECT_EQ(done->title, "人员导入（people.csv）");
  EXPECT_EQ(done->progress_done, 10);
  EXPECT_EQ(done->progress_total, 10);
  EXPECT_EQ(done->percent(), 100);
  EXPECT_EQ(done->message, "已处理 3 行");
  EXPECT_EQ(done->result, R"({"imported":10,"file":"people.csv"})");
  EXPECT_FALSE(done->error);
  EXPECT_EQ(done->created_by, 11);
  EXPECT_EQ(done->created_by_name, "用户11");
  EXPECT_EQ(done->division_code, "421003");
  EXPECT_EQ(done->created_at, "2024-05-01T04:30:00.000Z");
  EXPECT_EQ(done->finished_at, "2024-05-01T04:30:00.250Z");
}

TEST_P(JobsTest, FailureStoresTheChineseMessage) {
  auto jobs = Make();
  auto failed = jobs->Submit(worker_, "registry.import", "人员导入", [](JobContext& ctx) {
    ctx.SetTotal(5);
    ctx.Advance(2);
    return Status::Invalid("registry.import.row", "第 3 行：身份证号校验位错误");
  });
  auto internal = jobs->Submit(worker_, "report", "年报", [](JobContext&) {
    return Status::Internal("sql: relation \"x\" does not exist");
  });
  auto thrown = jobs->Submit(worker_, "report", "年报", [](JobContext&) -> Status {
    throw std::runtime_error("boom");
  });
  ASSERT_TRUE(failed.ok() && internal.ok() && thrown.ok());

  auto f = jobs->Wait(worker_, *failed);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->status, JobStatus::kFailed);
  EXPECT_EQ(f->error, "第 3 行：身份证号校验位错误");
  EXPECT_EQ(f->message, "第 3 行：身份证号校验位错误");
  EXPECT_EQ(f->progress_done, 2);
  EXPECT_EQ(f->percent(), 40);

  // Internal details stay in the log; the job shows a message a caseworker can pass on.
  for (int64_t id : {*internal, *thrown}) {
    auto j = jobs->Wait(worker_, id);
    ASSERT_TRUE(j.ok()) << j.status().ToString();
    EXPECT_EQ(j->status, JobStatus::kFailed);
    ASSERT_TRUE(j->error);
    EXPECT_EQ(*j->error, "任务执行出错，请联系系统管理员（任务号 " + std::to_string(id) + "）");
  }
}

TEST_P(JobsTest, CancelStopsALoopThatChecksCancelled) {
  auto jobs = Make();
  Gate gate;
  auto id = jobs->Submit(worker_, "tracing.sweep", "寻亲比对", [&](JobContext& ctx) {
    return LoopUntilCancelled(ctx, &gate);
  });
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(gate.WaitArrived(1));

  auto asked = jobs->Cancel(worker_, *id);
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_TRUE(asked->cancel_requested);

  auto j = jobs->Wait(worker_, *id);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->status, JobStatus::kCancelled);
  EXPECT_EQ(JobStatusName(j->status), "已取消");
  EXPECT_EQ(j->message, "任务已取消");
  EXPECT_GE(j->progress_done, 6);
  EXPECT_LT(j->progress_done, 1'000'000);
  EXPECT_TRUE(j->finished_at);

  AuditQuery q;
  q.action = "job.cancel";
  auto rows = p_->audit->Search(q);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->second, 1);
  EXPECT_EQ(rows->first[0].object_type, "job");
  EXPECT_EQ(rows->first[0].object_id, std::to_string(*id));
  EXPECT_EQ(rows->first[0].username, "user11");

  auto again = jobs->Cancel(worker_, *id);
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_EQ(again.status().error_code(), "job.finished");
}

// Another process sharing the database can only set the flag in the row; the job reads it at most every
// 200 ms of the service's clock.
TEST_P(JobsTest, CancelFlagInTheDatabaseIsSeenAfterTheInterval) {
  auto jobs = Make();
  Gate gate;
  std::atomic<int64_t> checks{0};
  std::atomic<bool> ended{false};
  auto id = jobs->Submit(worker_, "tracing.sweep", "寻亲比对", [&](JobContext& ctx) {
    Status s = LoopUntilCancelled(ctx, &gate, &checks);
    ended = true;
    return s;
  });
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(gate.WaitArrived(1));
  ASSERT_TRUE(Exec("UPDATE jobs SET cancel_requested = 1 WHERE id = $1", {*id}).ok());

  // A thousand checks later, with the clock standing still, the cached answer still says "not cancelled".
  int64_t from = checks;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (checks < from + 1000 && !ended && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_FALSE(ended);
  auto mid = jobs->Get(worker_, *id);
  ASSERT_TRUE(mid.ok());
  EXPECT_EQ(mid->status, JobStatus::kRunning);

  Tick(250);
  auto j = jobs->Wait(worker_, *id);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->status, JobStatus::kCancelled);
}

TEST_P(JobsTest, CancelledWhileQueuedNeverRuns) {
  auto jobs = Make({.workers = 1});
  Gate gate;
  std::atomic<bool> ran{false};
  auto first = jobs->Submit(worker_, "report", "年报", [&](JobContext&) {
    gate.Arrive();
    return gate.WaitOpen() ? Status::Ok() : Status::Internal("gate never opened");
  });
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(gate.WaitArrived(1));
  auto second = jobs->Submit(worker_, "report", "月报", [&](JobContext&) {
    ran = true;
    return Status::Ok();
  });
  ASSERT_TRUE(second.ok());

  auto c = jobs->Cancel(worker_, *second);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->status, JobStatus::kCancelled);  // at once: nothing to wait for
  EXPECT_TRUE(c->finished_at);

  gate.Open();
  ASSERT_TRUE(jobs->Wait(worker_, *first).ok());
  auto j = jobs->Wait(worker_, *second);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->status, JobStatus::kCancelled);
  EXPECT_FALSE(j->started_at);
  jobs.reset();  // joins the worker: had it taken the cancelled job, it would have run by now
  EXPECT_FALSE(ran);
}

TEST_P(JobsTest, ScopeLimitsWhatEachPrincipalSees) {
  auto jobs = Make();
  const Principal county_a = Person(11, "421003");
  const Principal county_b = Person(12, "421002");
  const Principal township = Person(13, "421003001");
  const Principal manager = Person(14, "4210", ScopeKind::kAll);
  const Principal own_only = Person(15, "421003", ScopeKind::kOwn);
  const Principal no_permission = Person(16, "421003", ScopeKind::kDivision, /*job_read=*/false);
  const Principal no_division = Person(17, "");  // division scope without a division: none (data_scope.h)
  auto quick = [](JobContext&) { return Status::Ok(); };
  auto ja = jobs->Submit(county_a, "registry.import", "导入", quick);
  auto jb = jobs->Submit(county_b, "registry.import", "导入", quick);
  auto jc = jobs->Submit(township, "report", "报表", quick);
  ASSERT_TRUE(ja.ok() && jb.ok() && jc.ok());
  ASSERT_TRUE(jobs->Wait(county_a, *ja).ok());
  ASSERT_TRUE(jobs->Wait(county_b, *jb).ok());
  ASSERT_TRUE(jobs->Wait(township, *jc).ok());

  auto ids = [&](const Principal& p, JobQuery q = {}) {
    std::vector<int64_t> out;
    auto r = jobs->List(p, q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return out;
    for (const auto& j : r->first) out.push_back(j.id);
    EXPECT_EQ(r->second, static_cast<int64_t>(out.size()) + (q.page - 1) * q.size);
    return out;
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(ids(county_a), (V{*jc, *ja}));  // its own, and the township's below it; newest first
  EXPECT_EQ(ids(county_b), (V{*jb}));
  EXPECT_EQ(ids(township), (V{*jc}));        // the county's job is above the township
  EXPECT_EQ(ids(manager), (V{*jc, *jb, *ja}));
  EXPECT_EQ(ids(own_only), V{});
  EXPECT_EQ(ids(no_permission), V{});
  EXPECT_EQ(ids(no_division), V{});

  EXPECT_EQ(jobs->Get(county_b, *ja).status().code(), Code::kNotFound);
  EXPECT_EQ(jobs->Get(township, *ja).status().code(), Code::kNotFound);
  EXPECT_EQ(jobs->Get(own_only, *ja).status().code(), Code::kNotFound);
  EXPECT_EQ(jobs->Get(no_permission, *ja).status().code(), Code::kNotFound);
  EXPECT_EQ(jobs->Get(county_a, 999999).status().code(), Code::kNotFound);
  EXPECT_TRUE(jobs->Get(county_a, *jc).ok());
  EXPECT_TRUE(jobs->Get(manager, *jb).ok());
  EXPECT_EQ(jobs->Cancel(county_b, *ja).status().code(), Code::kNotFound);  // not even told it is finished

  JobQuery by_kind;
  by_kind.kind = "registry.import";
  EXPECT_EQ(ids(manager, by_kind), (V{*jb, *ja}));
  JobQuery running;
  running.status = JobStatus::kRunning;
  EXPECT_EQ(ids(manager, running), V{});
  JobQuery second_page;
  second_page.page = 2;
  second_page.size = 2;
  EXPECT_EQ(ids(manager, second_page), (V{*ja}));
  JobQuery bad;
  bad.size = 201;
  EXPECT_EQ(jobs->List(manager, bad).status().code(), Code::kInvalid);
}

TEST_P(JobsTest, RecoverInterruptedFailsWhatAPreviousProcessLeft) {
  const char* insert =
      "INSERT INTO jobs (kind, title, status, created_by, created_by_name, division_code, created_at, updated_at) "
      "VALUES ('report', '年报', $1, 11, '用户11', '421003', '2024-04-30T00:00:00.000Z', '2024-04-30T00:00:00.000Z')";
  ASSERT_TRUE(Exec(insert, {"running"}).ok());
  ASSERT_TRUE(Exec(insert, {"queued"}).ok());
  ASSERT_TRUE(Exec(insert, {"succeeded"}).ok());
  auto jobs = Make();
  auto n = jobs->RecoverInterrupted();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  auto all = jobs->List(worker_, {});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->second, 3);
  // Newest first: the succeeded one, then the queued one, then the running one.
  EXPECT_EQ(all->first[0].status, JobStatus::kSucceeded);
  EXPECT_FALSE(all->first[0].error);
  for (int i : {1, 2}) {
    const Job& j = all->first[i];
    EXPECT_EQ(j.status, JobStatus::kFailed);
    EXPECT_EQ(j.message, "服务重启，任务中断");
    EXPECT_EQ(j.error, "服务重启，任务中断");
    EXPECT_EQ(j.finished_at, "2024-05-01T04:30:00.000Z");
  }
  auto again = jobs->RecoverInterrupted();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_P(JobsTest, AFullQueueRefusesMoreJobs) {
  auto jobs = Make({.workers = 2, .queue_limit = 2});
  Gate gate;
  auto blocked = [&](JobContext&) {
    gate.Arrive();
    return gate.WaitOpen() ? Status::Ok() : Status::Internal("gate never opened");
  };
  std::vector<int64_t> ids;
  for (int i = 0; i < 2; ++i) {
    auto id = jobs->Submit(worker_, "report", "报表", blocked);
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  ASSERT_TRUE(gate.WaitArrived(2));  // both workers busy: the queue is empty again
  for (int i = 0; i < 2; ++i) {
    auto id = jobs->Submit(worker_, "report", "报表", blocked);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(*id);
  }
  auto refused = jobs->Submit(worker_, "report", "报表", blocked);
  EXPECT_EQ(refused.status().code(), Code::kUnavailable);
  EXPECT_EQ(refused.status().error_code(), "job.queue_full");
  auto listed = jobs->List(worker_, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->second, 4);  // the refused job left no row

  gate.Open();
  for (int64_t id : ids) {
    auto j = jobs->Wait(worker_, id);
    ASSERT_TRUE(j.ok());
    EXPECT_EQ(j->status, JobStatus::kSucceeded);
  }
  EXPECT_TRUE(jobs->Submit(worker_, "report", "报表", [](JobContext&) { return Status::Ok(); }).ok());
  EXPECT_EQ(jobs->Submit(worker_, "", "无类型", [](JobContext&) { return Status::Ok(); }).status().code(),
            Code::kInvalid);
}

TEST_P(JobsTest, ShutdownCancelsRunningJobsAndFailsQueuedOnes) {
  auto jobs = Make({.workers = 1});
  Gate gate;
  auto running = jobs->Submit(worker_, "tracing.sweep", "寻亲比对", [&](JobContext& ctx) {
    return LoopUntilCancelled(ctx, &gate);
  });
  auto queued = jobs->Submit(worker_, "report", "年报", [](JobContext&) { return Status::Ok(); });
  ASSERT_TRUE(running.ok() && queued.ok());
  ASSERT_TRUE(gate.WaitArrived(1));
  jobs.reset();

  auto reader = Make();
  auto r = reader->Get(worker_, *running);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, JobStatus::kCancelled);
  EXPECT_EQ(r->message, "服务停止，任务已取消");
  auto q = reader->Get(worker_, *queued);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->status, JobStatus::kFailed);
  EXPECT_EQ(q->error, "服务停止，任务未执行");
  EXPECT_FALSE(q->started_at);
}

TEST(ProgressBar, Line) {
  // 450 of 1000 on 20 cells: 9 filled (450 * 20 / 1000), 11 empty, 45 %.
  EXPECT_EQ(ProgressBarLine(450, 1000, "导入", 20), "导入 [#########-----------]  45% 450/1000");
  EXPECT_EQ(ProgressBarLine(10, 10, "x", 4), "x [####] 100% 10/10");
  EXPECT_EQ(ProgressBarLine(0, 3, "x", 3), "x [---]   0% 0/3");
  EXPECT_EQ(ProgressBarLine(7, 0, "扫描"), "扫描 7");
}

TEST(ProgressBar, PrintsInPlaceAndEndsTheLineWhenDone) {
  std::ostringstream out;
  PrintProgressBar(out, 1, 2, "x");
  PrintProgressBar(out, 2, 2, "x");
  EXPECT_EQ(out.str(), "\r" + ProgressBarLine(1, 2, "x") + "\r" + ProgressBarLine(2, 2, "x") + "\n");
}

TEST(ProgressBar, QuietWhenStdoutIsNotATerminal) {
  ::testing::internal::CaptureStdout();  // stdout becomes a file
  PrintProgressBar(std::cout, 1, 2, "x");
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
}

DOUDI_PLATFORM_DIALECTS(JobsTest);

}  // namespace
}  // namespace doudi::platform
