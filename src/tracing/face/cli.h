// `doudi face ...`: the face engine from the command line (the integrator wires the subcommands in app/main.cc).
//
//   doudi face embed IMAGE... [--out FILE]        JSON: per image its faces with box, 68 landmarks, the aligned box
//                                                 and the 128-number descriptor; or its error
//   doudi face index --index DIR IMAGE... [--kind flat|hnsw]   adds every face of the images to the index in DIR
//   doudi face search --index DIR --image IMAGE [--top 10]     the most similar faces in the index, best first
//   doudi face decode IMAGE --out FILE.ppm        the pixels the engine sees (EXIF orientation applied), for the
//                                                 golden-vector script
//
// Messages are in Chinese; the search output says that face similarity only ranks candidates and never identifies
// a person alone. Exit status: 0 success, 2 done but some images were rejected or had no face, 1 could not run.
#pragma once

#include <string>
#include <vector>

namespace doudi::face {

struct FaceCliOptions {
  std::vector<std::string> images;
  std::string image;       // search
  std::string index_dir;   // index, search
  std::string kind = "flat";
  std::string out_path;    // embed (default stdout), decode
  std::string model_dir;   // empty: DefaultModelDir()
  int top = 10;
};

int RunFaceEmbed(const FaceCliOptions& options);
int RunFaceIndex(const FaceCliOptions& options);
int RunFaceSearch(const FaceCliOptions& options);
int RunFaceDecode(const FaceCliOptions& options);

// The caution printed with every search result.
extern const char kFaceSimilarityNotice[];

}  // namespace doudi::face
