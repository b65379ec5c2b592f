// PhotoService: upload, listing, bytes, withdrawal and face choice of case and report photos (photos.h).
#include "rescue/photos.h"

#include <algorithm>
#include <mutex>

#include "common/text.h"
#include "platform/bytes.h"
#include "registry/actor_event.h"
#include "rescue/internal.h"
#include "rescue/store.h"
#include "tracing/face/image.h"
#include "tracing/face/pipeline.h"
#include "tracing/face/weights.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;

Status PhotoNotFound() { return Status::NotFound("rescue.photo.not_found", "照片不存在或不在您的管辖范围内"); }
Status NoPermission(const std::string& permission) {
  return Status::Forbidden("rescue.photo.forbidden", "您的角色没有该照片所需的权限（" + permission + "）");
}
Status ReportNotFound() { return Status::NotFound("rescue.report.not_found", "寻人登记不存在或不在您的管辖范围内"); }

// The image type a file's first bytes announce, "" if none of the accepted ones.
std::string SniffImage(const std::string& b) {
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF) {
    return "image/jpeg";
  }
  if (b.size() >= 8 && b.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) return "image/png";
  if (b.size() >= 12 && b.compare(0, 4, "RIFF") == 0 && b.compare(8, 4, "WEBP") == 0) return "image/webp";
  return "";
}

constexpr char kColumns[] =
    "id, owner_type, owner_id, file_name, content_type, size_bytes, sha256, caption, width, height, face_status, "
    "faces, descriptors, selected_face, status, withdrawn_reason, withdrawn_at, withdrawn_by, version, created_at, "
    "created_by, updated_at, updated_by";

json FacesJson(const std::vector<PhotoFace>& faces) {
  json a = json::array();
  for (const auto& f : faces) {
    a.push_back({{"score", f.score}, {"box", {{"x", f.x}, {"y", f.y}, {"width", f.width}, {"height", f.height}}}});
  }
  return a;
}

json DescriptorsJson(const std::vector<FaceEmbedding>& d) {
  json a = json::array();
  for (const auto& e : d) a.push_back(json(std::vector<float>(e.begin(), e.end())));
  return a;
}

std::vector<FaceEmbedding> ParseDescriptors(const std::string& text) {
  std::vector<FaceEmbedding> out;
  auto a = json::parse(text, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& d : a) {
    FaceEmbedding e{};
    if (!d.is_array() || d.size() != e.size()) continue;
    for (size_t i = 0; i < e.size(); ++i) e[i] = d[i].get<float>();
    out.push_back(e);
  }
  return out;
}

Photo FromRow(const db::Row& r) {
  Photo p;
  p.id = r.Int(0);
  p.owner_type = r.Text(1);
  p.owner_id = r.Int(2);
  p.file_name = r.Text(3);
  p.content_type = r.Text(4);
  p.size_bytes = r.Int(5);
  p.sha256 = r.Text(6);
  p.caption = r.Text(7);
  p.width = static_cast<int>(r.Int(8));
  p.height = static_cast<int>(r.Int(9));
  p.face_status = r.Text(10);
  auto faces = json::parse(r.Text(11), nullptr, false);
  if (faces.is_array()) {
    for (const auto& f : faces) {
      const auto& b = f.value("box", json::object());
      p.faces.push_back({f.value("score", 0.0), b.value("x", 0.0), b.value("y", 0.0), b.value("width", 0.0),
                         b.value("height", 0.0)});
    }
  }
  p.descriptors = ParseDescriptors(r.Text(12));
  if (!r.IsNull(13)) p.selected_face = static_cast<int>(r.Int(13));
  p.status = r.Text(14);
  p.withdrawn_reason = r.Text(15);
  p.withdrawn_at = r.Text(16);
  if (!r.IsNull(17)) p.withdrawn_by = r.Int(17);
  p.version = r.Int(18);
  p.created_at = r.Text(19);
  p.created_by = r.Int(20);
  p.updated_at = r.Text(21);
  p.updated_by = r.Int(22);
  return p;
}

Result<std::optional<Photo>> LoadPhoto(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kColumns + " FROM rescue_photos WHERE id = $1", {id}));
  if (rows.empty()) return std::optional<Photo>();
  return std::optional<Photo>(FromRow(rows[0]));
}

Result<std::vector<Photo>> PhotosOf(db::Conn& c, const std::string& owner_type, int64_t owner_id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kColumns +
                                                " FROM rescue_photos WHERE owner_type = $1 AND owner_id = $2 ORDER BY id",
                                            {owner_type, owner_id}));
  std::vector<Photo> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

// What the face engine makes of the bytes: faces largest first, the largest selected. A file the decoder
// refuses for its size or as corrupt refuses the upload; WebP (which it cannot read) keeps the photo.
Status Analyse(const face::FaceEngine* engine, const std::string& bytes, const std::string& type, Photo* p) {
  p->face_status = "unsupported";
  if (type == "image/webp") return Status::Ok();
  face::ImageLimits limits;
  limits.max_file_bytes = static_cast<size_t>(kMaxPhotoBytes);
  limits.max_pixels = 40'000'000;
  limits.max_side = 12'000;
  auto image = face::DecodeImage(bytes, limits);
  if (!image.ok()) {
    if (image.status().error_code() == "image_too_large") {
      return Status::InvalidField("data", "rescue.photo.pixels", "照片像素过大（最多 4000 万像素、边长 12000 像素）");
    }
    return Status::InvalidField("data", "rescue.photo.corrupt", "照片无法解码，文件可能已损坏：" + image.status().message());
  }
  p->width = image->width;
  p->height = image->height;
  if (!engine) {
    p->face_status = "unavailable";
    return Status::Ok();
  }
  auto found = engine->Analyse(*image);
  std::stable_sort(found.begin(), found.end(), [](const face::FaceResult& a, const face::FaceResult& b) {
    return a.box.width * a.box.height > b.box.width * b.box.height;
  });
  for (const auto& f : found) {
    p->faces.push_back({f.score, f.box.x, f.box.y, f.box.width, f.box.height});
    p->descriptors.push_back(f.descriptor);
  }
  p->face_status = found.empty() ? "none" : found.size() == 1 ? "one" : "several";
  if (!found.empty()) p->selected_face = 0;
  return Status::Ok();
}

std::string FaceMessage(const Photo& p) {
  if (p.face_status == "one") return "检测到 1 张人脸，已用于寻亲比对";
  if (p.face_status == "several") {
    return "检测到 " + std::to_string(p.faces.size()) + " 张人脸，已默认使用最大的一张（第 " +
           std::to_string(p.selected_face.value_or(0) + 1) + " 张）比对；如不是本人，请选择正确的人脸";
  }
  if (p.face_status == "none") return "未检测到人脸：照片已保存，但不参与人脸比对";
  if (p.face_status == "unavailable") return "人脸模型未安装：照片已保存，暂未做人脸检测";
  return "该格式（WebP）暂不能做人脸检测：照片已保存，但不参与人脸比对；如需比对请上传 JPEG 或 PNG";
}

}  // namespace

Result<PhotoFile> CheckPhotoFile(const std::string& file_name, const std::string& content_type,
                                 const std::string& bytes) {
  if (bytes.empty()) return Status::InvalidField("data", "rescue.photo.empty", "照片文件为空");
  if (static_cast<int64_t>(bytes.size()) > kMaxPhotoBytes) {
    return Status(Code::kTooLarge, "rescue.photo.too_large", "照片不能超过 " + std::to_string(kMaxPhotoBytes >> 20) + " MB");
  }
  PhotoFile f;
  f.content_type = SniffImage(bytes);
  if (f.content_type.empty()) {
    return Status::InvalidField("data", "rescue.photo.type", "只接受 JPEG、PNG 或 WebP 格式的照片");
  }
  if (!content_type.empty() && content_type != f.content_type) {
    return Status::InvalidField("content_type", "rescue.photo.type_mismatch",
                                "文件内容是 " + f.content_type + "，与声明的类型 " + content_type + " 不符");
  }
  f.file_name = std::string(Trim(file_name));
  if (f.file_name.empty()) f.file_name = "photo";
  if (f.file_name.size() > 200 || f.file_name.find('/') != std::string::npos ||
      f.file_name.find('\\') != std::string::npos) {
    return Status::InvalidField("file_name", "rescue.photo.file_name", "文件名不能含路径且不超过 200 字节");
  }
  return f;
}

std::optional<int64_t> PhotoIdOfKey(const std::string& key) {
  if (key.rfind("photo:", 0) != 0 || key.size() == 6 || key.size() > 25) return std::nullopt;
  int64_t id = 0;
  for (size_t i = 6; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9') return std::nullopt;
    id = id * 10 + (key[i] - '0');
  }
  if (id <= 0) return std::nullopt;
  return id;
}

Result<std::map<int64_t, std::vector<FaceEmbedding>>> FaceEmbeddingsIn(db::Conn& c, const std::string& owner_type,
                                                                       const std::vector<int64_t>& owner_ids) {
  std::map<int64_t, std::vector<FaceEmbedding>> out;
  // Hundreds of owners at most per run: chunks keep the statement short on both databases.
  for (size_t from = 0; from < owner_ids.size(); from += 200) {
    std::string in;
    std::vector<db::Value> params = {owner_type};
    for (size_t i = from; i < std::min(owner_ids.size(), from + 200); ++i) {
      params.push_back(owner_ids[i]);
      in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT owner_id, descriptors, selected_face FROM rescue_photos WHERE "
                                              "owner_type = $1 AND status = 'active' AND selected_face IS NOT NULL "
                                              "AND owner_id IN (" + in + ") ORDER BY owner_id, id",
                                              params));
    for (const auto& r : rows) {
      auto d = ParseDescriptors(r.Text(1));
      const int64_t sel = r.Int(2);
      if (sel >= 0 && sel < static_cast<int64_t>(d.size())) out[r.Int(0)].push_back(d[sel]);
    }
  }
  return out;
}

Result<std::map<int64_t, std::vector<FaceEmbedding>>> CaseFaceEmbeddings(db::Database& db,
                                                                         const std::vector<int64_t>& case_ids) {
  std::map<int64_t, std::vector<FaceEmbedding>> out;
  DOUDI_RETURN_IF_ERROR(db.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(out, FaceEmbeddingsIn(c, "case", case_ids));
    return Status::Ok();
  }));
  return out;
}

const face::FaceEngine* DefaultFaceEngine() {
  static std::once_flag once;
  static const face::FaceEngine* engine = nullptr;
  std::call_once(once, [] {
    auto e = face::FaceEngine::Load(face::DefaultModelDir());
    if (e.ok()) engine = new face::FaceEngine(std::move(*e));  // lives as long as the process
  });
  return engine;
}

PhotoService::PhotoService(db::Database& db, platform::AuditLog& audit, bool public_minor_photos,
                           FaceEngineSource engine, platform::Clock clock)
    : db_(db), audit_(audit), public_minor_photos_(public_minor_photos), engine_(std::move(engine)),
      clock_(std::move(clock)) {}

std::string PhotoService::NowText() const { return platform::FormatUtc(clock_()); }

platform::AuditEvent PhotoService::Event(const Actor& actor, std::string action, int64_t photo_id,
                                         std::string detail) const {
  return registry::ActorEvent(actor, std::move(action), "rescue_photo", photo_id, std::move(detail));
}

namespace {

// Concurrent changes of one owner's photos (two uploads at once) serialise on the owner's row: each then relinks
// the keys from what the other committed instead of failing on the owner's version.
Status LockOwner(db::Conn& c, const std::string& owner_type, int64_t owner_id) {
  return c.Exec(owner_type == "case" ? "UPDATE rescue_cases SET version = version WHERE id = $1"
                                     : "UPDATE rescue_missing_reports SET version = version WHERE id = $1",
                {owner_id})
      .status();
}

}  // namespace

Result<PhotoService::Owner> PhotoService::LoadOwner(db::Conn& c, const Actor& actor, const std::string& owner_type,
                                                    int64_t owner_id, bool write) const {
  const auto& who = actor.principal;
  if (owner_type == "case") {
    const std::string need = write ? "rescue.write" : "rescue.read";
    if (!who.Can(need)) return NoPermission(need);
    DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCase(c, owner_id));
    if (!k || !who.InScope(k->station_division, k->created_by)) return internal::CaseNotFound();
    if (write && k->status != "in_station") return internal::CaseClosed();
    return Owner{k->station_division, k->created_by};
  }
  if (owner_type == "report") {
    const std::string need = write ? "tracing.write" : "tracing.read";
    if (!who.Can(need)) return NoPermission(need);
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT division, created_by FROM rescue_missing_reports WHERE id = $1",
                                              {owner_id}));
    if (rows.empty() || !who.InScope(rows[0].Text(0), rows[0].Int(1))) return ReportNotFound();
    return Owner{rows[0].Text(0), rows[0].Int(1)};
  }
  return PhotoNotFound();
}

Status PhotoService::Relink(db::Conn& c, const Actor& actor, const std::string& owner_type, int64_t owner_id,
                            const std::string& now) {
  DOUDI_ASSIGN_OR_RETURN(auto photos, PhotosOf(c, owner_type, owner_id));
  std::vector<std::string> active;
  for (const auto& p : photos) {
    if (p.status == "active") active.push_back(p.Key());
  }
  // A key is kept while it names an active photo; a free-text reference is kept too (entered before uploads).
  auto stale = [&](const std::string& key) {
    return key.empty() || (PhotoIdOfKey(key) && std::find(active.begin(), active.end(), key) == active.end());
  };
  const std::string first = active.empty() ? "" : active.front();
  const int64_t by = actor.principal.user_id;
  if (owner_type == "case") {
    DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCase(c, owner_id));
    if (!k) return internal::CaseNotFound();
    if (stale(k->photo) && k->photo != first) {
      const int64_t v = k->version;
      k->photo = first;
      k->updated_at = now;
      k->updated_by = by;
      DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateCase(c, *k, v));
      if (!ok) return Status::Conflict("rescue.case.version", "该记录已被他人修改，请刷新后重试");
    }
    DOUDI_ASSIGN_OR_RETURN(auto notices, store::NoticesOfCase(c, owner_id));
    for (auto& n : notices) {
      if (n.status == "closed" || !stale(n.photo) || n.photo == first) continue;
      n.photo = first;
      DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateNotice(c, n, n.version, now, by));
      if (!ok) return Status::Conflict("rescue.notice.version", "寻亲公告已被他人修改，请刷新后重试");
    }
    return Status::Ok();
  }
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT photos FROM rescue_missing_reports WHERE id = $1", {owner_id}));
  if (rows.empty()) return ReportNotFound();
  std::vector<std::string> keys;
  auto old = json::parse(rows[0].Text(0), nullptr, false);
  if (old.is_array()) {
    for (const auto& k : old) {
      if (k.is_string() && !stale(k.get<std::string>())) keys.push_back(k.get<std::string>());
    }
  }
  for (const auto& k : active) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  if (json(keys) == old) return Status::Ok();
  return c.Exec("UPDATE rescue_missing_reports SET photos = $1, version = version + 1, updated_at = $2, "
                "updated_by = $3 WHERE id = $4",
                {json(keys).dump(), now, by, owner_id})
      .status();
}

Result<Photo> PhotoService::Add(const Actor& actor, const std::string& owner_type, int64_t owner_id,
                                const PhotoUpload& upload) {
  DOUDI_ASSIGN_OR_RETURN(PhotoFile file, CheckPhotoFile(upload.file_name, upload.content_type, upload.bytes));
  DOUDI_RETURN_IF_ERROR(internal::RequireText("caption", upload.caption, 0, 200, "rescue.photo.caption",
                                              "照片说明不超过 200 字"));
  // The owner is checked before the (slow) face analysis so that nothing is computed for a refused upload.
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status { return LoadOwner(c, actor, owner_type, owner_id, true).status(); }));
  Photo p;
  p.owner_type = owner_type;
  p.owner_id = owner_id;
  p.file_name = file.file_name;
  p.content_type = file.content_type;
  p.size_bytes = static_cast<int64_t>(upload.bytes.size());
  p.sha256 = platform::Sha256Hex(upload.bytes);
  p.caption = std::string(Trim(upload.caption));
  const face::FaceEngine* engine = engine_ && file.content_type != "image/webp" ? engine_() : nullptr;
  DOUDI_RETURN_IF_ERROR(Analyse(engine, upload.bytes, file.content_type, &p));
  p.status = "active";
  p.version = 1;
  p.created_at = p.updated_at = NowText();
  p.created_by = p.updated_by = actor.principal.user_id;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(LockOwner(c, owner_type, owner_id));
    DOUDI_RETURN_IF_ERROR(LoadOwner(c, actor, owner_type, owner_id, true).status());
    DOUDI_ASSIGN_OR_RETURN(auto count, c.Query("SELECT COUNT(*) FROM rescue_photos WHERE owner_type = $1 AND "
                                               "owner_id = $2 AND status = 'active'",
                                               {owner_type, owner_id}));
    if (count[0].Int(0) >= kMaxPhotosPerOwner) {
      return Status::InvalidField("data", "rescue.photo.too_many",
                                  "最多 " + std::to_string(kMaxPhotosPerOwner) + " 张照片，请先撤回不用的照片");
    }
    DOUDI_ASSIGN_OR_RETURN(
        auto rows,
        c.Query("INSERT INTO rescue_photos (owner_type, owner_id, file_name, content_type, size_bytes, sha256, data, "
                "caption, width, height, face_status, faces, descriptors, selected_face, status, version, created_at, "
                "created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                "$14, 'active', 1, $15, $16, $15, $16) RETURNING id",
                {owner_type, owner_id, p.file_name, p.content_type, p.size_bytes, p.sha256,
                 platform::Base64(upload.bytes), p.caption, p.width, p.height, p.face_status,
                 FacesJson(p.faces).dump(), DescriptorsJson(p.descriptors).dump(),
                 p.selected_face ? db::Value(*p.selected_face) : db::Value(), p.created_at, p.created_by}));
    p.id = rows[0].Int(0);
    DOUDI_RETURN_IF_ERROR(Relink(c, actor, owner_type, owner_id, p.created_at));
    return audit_.AppendIn(c, Event(actor, "rescue.photo.upload", p.id,
                                    json{{"owner_type", owner_type}, {"owner_id", owner_id}, {"sha256", p.sha256},
                                         {"size", p.size_bytes}, {"faces", p.faces.size()}}
                                        .dump()));
  }));
  if (rematch_ && p.selected_face) DOUDI_RETURN_IF_ERROR(rematch_(actor, owner_type, owner_id));
  return p;
}

Result<std::vector<Photo>> PhotoService::List(const Actor& actor, const std::string& owner_type, int64_t owner_id) {
  std::vector<Photo> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(LoadOwner(c, actor, owner_type, owner_id, false).status());
    DOUDI_ASSIGN_OR_RETURN(out, PhotosOf(c, owner_type, owner_id));
    return Status::Ok();
  }));
  return out;
}

Result<std::pair<Photo, std::string>> PhotoService::Get(const Actor& actor, int64_t photo_id) {
  std::optional<std::pair<Photo, std::string>> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto p, LoadPhoto(c, photo_id));
    if (!p) return PhotoNotFound();
    auto owner = LoadOwner(c, actor, p->owner_type, p->owner_id, false);
    if (!owner.ok()) return owner.status().code() == Code::kForbidden ? owner.status() : PhotoNotFound();
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT data FROM rescue_photos WHERE id = $1", {photo_id}));
    std::string bytes;
    if (!platform::FromBase64(rows[0].Text(0), &bytes)) return Status::Internal("stored photo is not base64");
    out.emplace(std::move(*p), std::move(bytes));
    return Status::Ok();
  }));
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "rescue.photo.view", photo_id,
                                            json{{"owner_type", out->first.owner_type},
                                                 {"owner_id", out->first.owner_id}}
                                                .dump())));
  return std::move(*out);
}

Result<Photo> PhotoService::ChangePhoto(const Actor& actor, int64_t photo_id, int64_t version,
                                        const std::string& action, const std::function<Status(Photo&)>& change,
                                        const std::string& detail) {
  std::optional<Photo> p;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(p, LoadPhoto(c, photo_id));
    if (!p) return PhotoNotFound();
    DOUDI_RETURN_IF_ERROR(LockOwner(c, p->owner_type, p->owner_id));
    auto owner = LoadOwner(c, actor, p->owner_type, p->owner_id, true);
    if (!owner.ok()) {
      const Code code = owner.status().code();
      return code == Code::kConflict || code == Code::kForbidden ? owner.status() : PhotoNotFound();
    }
    if (p->version != version) return Status::Conflict("rescue.photo.version", "照片记录已被他人修改，请刷新后重试");
    DOUDI_RETURN_IF_ERROR(change(*p));
    p->updated_at = NowText();
    p->updated_by = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(
        int64_t n, c.Exec("UPDATE rescue_photos SET selected_face = $1, status = $2, withdrawn_reason = $3, "
                          "withdrawn_at = $4, withdrawn_by = $5, updated_at = $6, updated_by = $7, "
                          "version = version + 1 WHERE id = $8 AND version = $9",
                          {p->selected_face ? db::Value(*p->selected_face) : db::Value(), p->status,
                           p->withdrawn_reason, p->withdrawn_at,
                           p->withdrawn_by ? db::Value(*p->withdrawn_by) : db::Value(), p->updated_at, p->updated_by,
                           photo_id, version}));
    if (n == 0) return Status::Conflict("rescue.photo.version", "照片记录已被他人修改，请刷新后重试");
    p->version = version + 1;
    DOUDI_RETURN_IF_ERROR(Relink(c, actor, p->owner_type, p->owner_id, p->updated_at));
    return audit_.AppendIn(c, Event(actor, action, photo_id, detail));
  }));
  if (rematch_) DOUDI_RETURN_IF_ERROR(rematch_(actor, p->owner_type, p->owner_id));
  return std::move(*p);
}

Result<Photo> PhotoService::Withdraw(const Actor& actor, int64_t photo_id, int64_t version, const std::string& reason) {
  DOUDI_RETURN_IF_ERROR(
      internal::RequireText("reason", reason, 2, 500, "rescue.photo.reason", "请填写撤回原因（2 到 500 字）"));
  const std::string why(Trim(reason));
  return ChangePhoto(
      actor, photo_id, version, "rescue.photo.withdraw",
      [&](Photo& p) -> Status {
        if (p.status == "withdrawn") return Status::Conflict("rescue.photo.withdrawn", "该照片已撤回");
        p.status = "withdrawn";
        p.withdrawn_reason = why;
        p.withdrawn_at = NowText();
        p.withdrawn_by = actor.principal.user_id;
        return Status::Ok();
      },
      json{{"reason", why}}.dump());
}

Result<Photo> PhotoService::SelectFace(const Actor& actor, int64_t photo_id, int64_t version, int face) {
  return ChangePhoto(
      actor, photo_id, version, "rescue.photo.select_face",
      [&](Photo& p) -> Status {
        if (p.status == "withdrawn") return Status::Conflict("rescue.photo.withdrawn", "该照片已撤回");
        if (face < 0 || face >= static_cast<int>(p.faces.size())) {
          return Status::InvalidField("face", "rescue.photo.face", "照片中没有这张人脸");
        }
        p.selected_face = face;
        return Status::Ok();
      },
      json{{"face", face}}.dump());
}

Result<std::pair<Photo, std::string>> PhotoService::PublicNoticePhoto(const Notice& notice) {
  auto id = PhotoIdOfKey(notice.photo);
  if (!id || (notice.minor && !public_minor_photos_)) return PhotoNotFound();
  std::optional<std::pair<Photo, std::string>> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto p, LoadPhoto(c, *id));
    // Only an active photo of the notice's own case: a key edited to point elsewhere shows nothing.
    if (!p || p->owner_type != "case" || p->owner_id != notice.case_id || p->status != "active") {
      return PhotoNotFound();
    }
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT data FROM rescue_photos WHERE id = $1", {*id}));
    std::string bytes;
    if (!platform::FromBase64(rows[0].Text(0), &bytes)) return Status::Internal("stored photo is not base64");
    out.emplace(std::move(*p), std::move(bytes));
    return Status::Ok();
  }));
  return std::move(*out);
}

json PhotoService::ToJson(const Photo& p) {
  json j = {{"id", p.id},
            {"key", p.Key()},
            {"owner_type", p.owner_type},
            {"owner_id", p.owner_id},
            {"file_name", p.file_name},
            {"content_type", p.content_type},
            {"size_bytes", p.size_bytes},
            {"sha256", p.sha256},
            {"caption", p.caption},
            {"width", p.width},
            {"height", p.height},
            {"url", "/api/v1/rescue/photos/" + std::to_string(p.id)},
            {"face_status", p.face_status},
            {"face_message", FaceMessage(p)},
            {"faces", FacesJson(p.faces)},
            {"selected_face", p.selected_face ? json(*p.selected_face) : json(nullptr)},
            {"status", p.status},
            {"version", p.version},
            {"created_at", p.created_at},
            {"created_by", p.created_by},
            {"updated_at", p.updated_at},
            {"updated_by", p.updated_by}};
  if (p.status == "withdrawn") {
    j["withdrawn"] = {{"reason", p.withdrawn_reason}, {"at", p.withdrawn_at}, {"by", p.withdrawn_by.value_or(0)}};
  }
  return j;
}

}  // namespace doudi::rescue
