#include "platform/audit_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace doudi::platform {
namespace {

constexpr size_t kHeader = 8;
// No real event comes near this; a larger length can only be a torn or corrupt header.
constexpr uint32_t kMaxPayload = 16u << 20;

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetLe(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
void PutField(std::string& out, std::string_view f) {
  out += std::to_string(f.size());
  out += ':';
  out += f;
  out += ',';
}
// Reads one netstring at `pos`; false when the payload is malformed.
bool GetField(std::string_view payload, size_t& pos, std::string& out) {
  size_t colon = payload.find(':', pos);
  if (colon == std::string_view::npos || colon == pos || colon - pos > 10) return false;
  uint64_t n = 0;
  for (size_t i = pos; i < colon; ++i) {
    if (payload[i] < '0' || payload[i] > '9') return false;
    n = n * 10 + static_cast<uint64_t>(payload[i] - '0');
  }
  if (colon + 1 + n + 1 > payload.size() || payload[colon + 1 + n] != ',') return false;
  out.assign(payload.substr(colon + 1, n));
  pos = colon + 1 + n + 1;
  return true;
}
uint32_t Crc(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}
Status IoError(const std::string& what, const std::string& path) {
  return Status::Unavailable("audit.journal_io", "审计暂存文件" + what + "失败：" + path + "：" + std::strerror(errno));
}

bool DecodePayload(std::string_view p, JournalRecord& r) {
  if (p.size() < 8) return false;
  r.seq = GetLe(p.data(), 8);
  size_t pos = 8;
  std::string user_id;
  AuditEvent& e = r.event;
  for (std::string* f : {&r.at, &user_id, &e.username, &e.role, &e.ip, &e.action, &e.object_type, &e.object_id,
                         &e.outcome, &e.detail, &e.request_id}) {
    if (!GetField(p, pos, *f)) return false;
  }
  if (pos != p.size() || user_id.empty()) return false;
  try {
    e.user_id = std::stoll(user_id);
  } catch (...) {
    return false;
  }
  return true;
}

}  // namespace

std::string AuditJournal::Encode(const JournalRecord& r) {
  std::string payload;
  payload.reserve(160 + r.event.detail.size());
  PutU64(payload, r.seq);
  const AuditEvent& e = r.event;
  PutField(payload, r.at);
  PutField(payload, std::to_string(e.user_id));
  for (const std::string* f : {&e.username, &e.role, &e.ip, &e.action, &e.object_type, &e.object_id, &e.outcome,
                               &e.detail, &e.request_id}) {
    PutField(payload, *f);
  }
  std::string out;
  out.reserve(kHeader + payload.size());
  PutU32(out, static_cast<uint32_t>(payload.size()));
  PutU32(out, Crc(payload));
  out += payload;
  return out;
}

Result<std::unique_ptr<AuditJournal>> AuditJournal::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("打开", path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::Unavailable("audit.journal_locked", "审计暂存文件已被另一个 doudi 进程使用：" + path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = IoError("读取状态", path);
    ::close(fd);
    return s;
  }
  return std::unique_ptr<AuditJournal>(new AuditJournal(path, fd, static_cast<uint64_t>(st.st_size)));
}

AuditJournal::~AuditJournal() { ::close(fd_); }

Result<JournalContents> AuditJournal::ReadAll() const {
  std::string data(size_, '\0');
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::pread(fd_, data.data() + got, data.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("读取", path_);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  JournalContents out;
  size_t pos = 0;
  while (pos + kHeader <= data.size()) {
    uint64_t len = GetLe(data.data() + pos, 4);
    uint32_t crc = static_cast<uint32_t>(GetLe(data.data() + pos + 4, 4));
    if (len > kMaxPayload || pos + kHeader + len > data.size()) break;
    std::string_view payload(data.data() + pos + kHeader, len);
    JournalRecord r;
    if (Crc(payload) != crc || !DecodePayload(payload, r)) break;
    out.records.push_back(std::move(r));
    pos += kHeader + len;
  }
  out.valid_bytes = pos;
  out.torn_bytes = data.size() - pos;
  return out;
}

Status AuditJournal::Append(const JournalRecord& r) {
  std::string bytes = Encode(r);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // A partial record would end the readable part of the file for every record after it: cut it off.
      if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) return IoError("截断", path_);
      return IoError("写入", path_);
    }
    done += static_cast<size_t>(n);
  }
  size_ += bytes.size();
  return Status::Ok();
}

Status AuditJournal::Truncate() {
  if (::ftruncate(fd_, 0) != 0) return IoError("清空", path_);
  size_ = 0;
  return Status::Ok();
}

}  // namespace doudi::platform
