// Photos in family search (docs/rescue.md "Photos"): the photos of a person in the station's care (a case: the
// intake photo and later ones) and of a missing person (a family's report), stored with what the face engine
// (tracing/face) found in them.
//
// - Upload: the file is checked like every photo of the module (CheckPhotoFile: JPEG, PNG or WebP by its magic
//   bytes, at most kMaxPhotoBytes), decoded by the face engine's loader (EXIF orientation, pixel limits) and
//   searched for faces. Every face is kept with its box and 128-number descriptor; the largest one is taken as
//   the person's until the caseworker picks another (SelectFace). A photo without a face, or one the engine
//   cannot read (WebP) or without the models installed, is kept without a descriptor, and the answer says so.
// - Links: the first active photo of a case becomes the case's and its notices' `photo` key ("photo:<id>"); a
//   report lists its photos' keys in `photos`. A withdrawn photo's key is replaced by the next active photo's.
// - Scope and permissions are those of the owner: a case photo needs rescue.read / rescue.write, a report photo
//   tracing.read / tracing.write; outside the user's scope it is 404. Views and uploads are audited
//   (rescue.photo.upload, .view, .withdraw, .select_face). Nothing is deleted: a photo is withdrawn with a reason.
// - Descriptors never leave the server; matching (face_evidence.h) and repeat visits read them through
//   CaseFaceEmbeddings / FaceEmbeddingsIn.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "registry/service.h"
#include "rescue/model.h"

namespace doudi::face {
class FaceEngine;
}

namespace doudi::rescue {

using registry::Actor;

// Limits of every photo of the module (inspection photos too).
inline constexpr int64_t kMaxPhotoBytes = 5 << 20;
inline constexpr int kMaxPhotosPerOwner = 20;

// A checked upload: the type its magic bytes announce and a file name without a path.
struct PhotoFile {
  std::string file_name;
  std::string content_type;  // image/jpeg | image/png | image/webp
};
// Refuses an empty file, one over kMaxPhotoBytes (413), one that is not JPEG/PNG/WebP by its first bytes, a
// declared type other than the sniffed one, and a file name with a path or over 200 bytes.
Result<PhotoFile> CheckPhotoFile(const std::string& file_name, const std::string& content_type,
                                 const std::string& bytes);

using FaceEmbedding = std::array<float, 128>;

struct PhotoFace {
  double score = 0;
  double x = 0, y = 0, width = 0, height = 0;  // the detection, in pixels of the upright image
};

struct Photo {
  int64_t id = 0;
  std::string owner_type;  // case | report
  int64_t owner_id = 0;
  std::string file_name, content_type, sha256, caption;
  int64_t size_bytes = 0;
  int width = 0, height = 0;
  std::string face_status;  // one | several | none | unsupported | unavailable
  std::vector<PhotoFace> faces;
  std::vector<FaceEmbedding> descriptors;  // in the order of faces
  std::optional<int> selected_face;
  std::string status;  // active | withdrawn
  std::string withdrawn_reason, withdrawn_at;
  std::optional<int64_t> withdrawn_by;
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string updated_at;
  int64_t updated_by = 0;

  std::string Key() const { return "photo:" + std::to_string(id); }
};

// The stored-photo key of a case, notice or report ("photo:<id>"), or nullopt for any other text.
std::optional<int64_t> PhotoIdOfKey(const std::string& key);

// The descriptors of the selected faces of the owners' active photos (owner id -> one per photo with a face).
// owner_type: case | report. For use inside a transaction.
Result<std::map<int64_t, std::vector<FaceEmbedding>>> FaceEmbeddingsIn(db::Conn& c, const std::string& owner_type,
                                                                       const std::vector<int64_t>& owner_ids);
// The same for cases, in its own read (repeat visits by face).
Result<std::map<int64_t, std::vector<FaceEmbedding>>> CaseFaceEmbeddings(db::Database& db,
                                                                         const std::vector<int64_t>& case_ids);

// The face engine used at upload; nullptr when its models cannot be loaded (the photo is kept without faces).
using FaceEngineSource = std::function<const face::FaceEngine*()>;
// Loads the engine from face::DefaultModelDir() once, on first use.
const face::FaceEngine* DefaultFaceEngine();

struct PhotoUpload {
  std::string file_name, content_type, caption;
  std::string bytes;
};

class PhotoService {
 public:
  // Called after a photo of an owner was added, withdrawn or its face changed, to re-match (missing_reports.h).
  using Rematch = std::function<Status(const Actor&, const std::string& owner_type, int64_t owner_id)>;

  PhotoService(db::Database& db, platform::AuditLog& audit, bool public_minor_photos = false,
               FaceEngineSource engine = DefaultFaceEngine, platform::Clock clock = platform::SystemClock());
  void SetRematch(Rematch rematch) { rematch_ = std::move(rematch); }

  // owner_type: case (in station, rescue.write) | report (tracing.write).
  Result<Photo> Add(const Actor& actor, const std::string& owner_type, int64_t owner_id, const PhotoUpload& upload);
  // The owner's photos, withdrawn ones included, oldest first (no bytes).
  Result<std::vector<Photo>> List(const Actor& actor, const std::string& owner_type, int64_t owner_id);
  // The photo and its bytes; audited rescue.photo.view.
  Result<std::pair<Photo, std::string>> Get(const Actor& actor, int64_t photo_id);
  Result<Photo> Withdraw(const Actor& actor, int64_t photo_id, int64_t version, const std::string& reason);
  // The face (index into faces) that is the person.
  Result<Photo> SelectFace(const Actor& actor, int64_t photo_id, int64_t version, int face);
  // The photo of a notice for the public page (the notice as RescueService::PublicNotice found it: published,
  // the person in station); 404 for a minor unless the city's policy allows it, or without a stored photo.
  Result<std::pair<Photo, std::string>> PublicNoticePhoto(const Notice& notice);

  // The photo as the API lists it: boxes, face status and its Chinese explanation, never descriptors.
  static nlohmann::json ToJson(const Photo& p);

 private:
  struct Owner {
    std::string division;
    int64_t created_by = 0;
  };
  // The owner if it exists, is in scope and the user may write (write = true) or read it.
  Result<Owner> LoadOwner(db::Conn& c, const Actor& actor, const std::string& owner_type, int64_t owner_id,
                          bool write) const;
  // Points the owner's photo keys at its active photos after an upload or a withdrawal.
  Status Relink(db::Conn& c, const Actor& actor, const std::string& owner_type, int64_t owner_id,
                const std::string& now);
  Result<Photo> ChangePhoto(const Actor& actor, int64_t photo_id, int64_t version, const std::string& action,
                            const std::function<Status(Photo&)>& change, const std::string& detail);
  platform::AuditEvent Event(const Actor& actor, std::string action, int64_t photo_id, std::string detail) const;
  std::string NowText() const;

  db::Database& db_;
  platform::AuditLog& audit_;
  bool public_minor_photos_;
  FaceEngineSource engine_;
  platform::Clock clock_;
  Rematch rematch_;
};

}  // namespace doudi::rescue
