#include "tracing/dna/profile.h"

#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "common/csv.h"
#include "common/text.h"

namespace doudi::dna {

Result<Relation> ParseRelation(std::string_view text) {
  static const struct {
    std::string_view name;
    Relation relation;
  } kNames[] = {
      {"self", Relation::kSelf},       {"本人", Relation::kSelf},       {"father", Relation::kFather},
      {"父亲", Relation::kFather},     {"父", Relation::kFather},       {"mother", Relation::kMother},
      {"母亲", Relation::kMother},     {"母", Relation::kMother},       {"parent", Relation::kParent},
      {"父母", Relation::kParent},     {"sibling", Relation::kSibling}, {"兄弟姐妹", Relation::kSibling},
      {"同胞", Relation::kSibling},    {"兄弟", Relation::kSibling},    {"姐妹", Relation::kSibling},
      {"child", Relation::kChild},     {"子女", Relation::kChild},      {"儿子", Relation::kChild},
      {"女儿", Relation::kChild},
  };
  std::string_view t = Trim(text);
  for (const auto& n : kNames) {
    if (t == n.name) return n.relation;
  }
  return Status::InvalidField("relation", "dna.profile.relation",
                              fmt::format("亲属关系“{}”无效：应为 father、mother、parent、sibling、child 或 self", t));
}

std::string_view RelationName(Relation relation) {
  switch (relation) {
    case Relation::kSelf: return "self";
    case Relation::kFather: return "father";
    case Relation::kMother: return "mother";
    case Relation::kParent: return "parent";
    case Relation::kSibling: return "sibling";
    case Relation::kChild: return "child";
  }
  return "self";
}

int Profile::typed_loci() const {
  int n = 0;
  for (Genotype g : genotypes) n += g.typed();
  return n;
}

namespace {

// A cell "a/b" as two allele designations in tenths; false with *why set when malformed.
bool ParseCell(std::string_view cell, int* x, int* y, std::string* why) {
  size_t slash = cell.find('/');
  if (slash == std::string_view::npos || cell.find('/', slash + 1) != std::string_view::npos) {
    *why = fmt::format("“{}”应写成“等位基因/等位基因”（纯合子写两遍，如 15/15）", cell);
    return false;
  }
  auto a = ParseAllele(cell.substr(0, slash));
  auto b = ParseAllele(cell.substr(slash + 1));
  if (!a.ok() || !b.ok()) {
    *why = (a.ok() ? b : a).status().message();
    return false;
  }
  *x = *a;
  *y = *b;
  return true;
}

}  // namespace

Result<ProfileSet> ParseProfiles(std::string_view csv, ProfileKind kind, AlleleFrequencies* frequencies) {
  CsvReader reader(csv, {.require_equal_width = false});
  std::vector<std::string> header;
  DOUDI_ASSIGN_OR_RETURN(bool has_header, reader.Next(&header));
  if (!has_header || (header.size() == 1 && Trim(header[0]).empty())) {
    return Status::Invalid("dna.csv.empty", "DNA 分型文件为空：缺少表头行 profile_id,family_id,relation,<基因座>...");
  }
  if (header.size() < 4 || Trim(header[0]) != "profile_id" || Trim(header[1]) != "family_id" ||
      Trim(header[2]) != "relation") {
    return Status::Invalid("dna.csv.header",
                           "DNA 分型文件第 1 行：表头应以 profile_id,family_id,relation 开头，其后是各基因座列");
  }
  ProfileSet out;
  std::vector<int> column_locus(header.size(), -1);  // -1: ignored column
  std::vector<int> seen(frequencies->num_loci(), 0);  // column of each locus + 1
  for (size_t c = 3; c < header.size(); ++c) {
    std::string_view name = Trim(header[c]);
    int locus = frequencies->FindLocus(name);
    if (locus < 0) {
      out.rejected.push_back({reader.line(), std::string(name), "dna.csv.unknown_locus",
                              fmt::format("第 {} 行第 {} 列：等位基因频率表中没有基因座“{}”，该列已忽略",
                                          reader.line(), c + 1, name)});
    } else if (seen[locus]) {
      out.rejected.push_back({reader.line(), std::string(name), "dna.csv.duplicate_locus",
                              fmt::format("第 {} 行第 {} 列：基因座“{}”与第 {} 列重复，该列已忽略", reader.line(), c + 1,
                                          name, seen[locus])});
    } else {
      seen[locus] = static_cast<int>(c + 1);
      column_locus[c] = locus;
      out.loci.push_back(locus);
    }
  }
  if (out.loci.empty()) {
    return Status::Invalid("dna.csv.no_loci", "DNA 分型文件第 1 行：表头中没有一个已知的基因座列");
  }

  std::unordered_set<std::string> ids;
  struct FamilyParents {
    int father = 0, mother = 0, count = 0;  // lines of the father and mother rows, number of parents
  };
  std::unordered_map<std::string, FamilyParents> parents;
  std::vector<std::string> fields;
  std::vector<std::pair<int, int>> cells;  // per column: parsed designations (tenths), or {0, 0}
  for (;;) {
    DOUDI_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    const int line = reader.line();
    auto reject = [&](std::string field, std::string code, std::string why) {
      out.rejected.push_back({line, field, std::move(code), fmt::format("第 {} 行 {} 列：{}", line, field, why)});
    };
    if (fields.size() != header.size()) {
      reject("-", "dna.csv.ragged_row", fmt::format("有 {} 列，与表头的 {} 列不一致，整行未导入", fields.size(), header.size()));
      continue;
    }
    Profile p;
    p.line = line;
    p.id = std::string(Trim(fields[0]));
    p.family_id = std::string(Trim(fields[1]));
    if (p.id.empty()) {
      reject("profile_id", "dna.profile.id", "样本编号为空");
      continue;
    }
    if (kind == ProfileKind::kReference && p.family_id.empty()) {
      reject("family_id", "dna.profile.family", "参比样本必须填写家系编号（family_id）");
      continue;
    }
    std::string_view relation = Trim(fields[2]);
    if (!relation.empty() || kind == ProfileKind::kReference) {
      auto r = ParseRelation(relation);
      if (!r.ok()) {
        reject("relation", r.status().error_code(), r.status().message());
        continue;
      }
      p.relation = *r;
    }
    // Parse every cell before touching the allele table, so that a rejected row adds no alleles.
    bool ok = true;
    cells.assign(header.size(), {0, 0});
    std::vector<int> new_alleles(frequencies->num_loci(), 0);
    for (size_t c = 3; c < header.size() && ok; ++c) {
      if (column_locus[c] < 0) continue;
      std::string_view cell = Trim(fields[c]);
      if (cell.empty()) continue;
      std::string why;
      if (!ParseCell(cell, &cells[c].first, &cells[c].second, &why)) {
        reject(header[c], "dna.profile.genotype", why);
        ok = false;
        break;
      }
      const int l = column_locus[c];
      new_alleles[l] += frequencies->Find(l, cells[c].first) == 0;
      new_alleles[l] += cells[c].second != cells[c].first && frequencies->Find(l, cells[c].second) == 0;
      if (frequencies->locus(l).size() + new_alleles[l] > kMaxAllelesPerLocus) {
        reject(header[c], "dna.allele.too_many",
               fmt::format("基因座 {} 的等位基因种类将超过 {} 个", frequencies->locus(l).name, kMaxAllelesPerLocus));
        ok = false;
      }
    }
    if (!ok) continue;
    int typed = 0;
    for (size_t c = 3; c < header.size(); ++c) typed += cells[c].first != 0;
    if (typed == 0) {
      reject("-", "dna.profile.no_loci", fmt::format("样本“{}”没有任何已分型的基因座，本行未导入", p.id));
      continue;
    }
    if (ids.contains(p.id)) {
      reject("profile_id", "dna.profile.duplicate", fmt::format("样本编号“{}”重复，本行未导入", p.id));
      continue;
    }
    // A family has at most one father, one mother and two parents in all; checked here, before the row's
    // alleles enter the table, so that a row the database could not use leaves no trace.
    if (kind == ProfileKind::kReference &&
        (p.relation == Relation::kFather || p.relation == Relation::kMother || p.relation == Relation::kParent)) {
      FamilyParents& fp = parents[p.family_id];
      std::string why;
      if (p.relation == Relation::kFather && fp.father) {
        why = fmt::format("已有父亲样本（第 {} 行）", fp.father);
      } else if (p.relation == Relation::kMother && fp.mother) {
        why = fmt::format("已有母亲样本（第 {} 行）", fp.mother);
      } else if (fp.count >= 2) {
        why = "已有两名父母样本";
      }
      if (!why.empty()) {
        reject("relation", "dna.family.parents", fmt::format("家系“{}”{}，本行未导入", p.family_id, why));
        continue;
      }
      if (p.relation == Relation::kFather) fp.father = line;
      if (p.relation == Relation::kMother) fp.mother = line;
      fp.count++;
    }
    ids.insert(p.id);
    p.genotypes.assign(frequencies->num_loci(), Genotype{});
    for (size_t c = 3; c < header.size(); ++c) {
      if (cells[c].first == 0) continue;
      const int l = column_locus[c];
      // Cannot fail: the room for new alleles was checked above.
      int x = frequencies->Intern(l, cells[c].first).value();
      int y = frequencies->Intern(l, cells[c].second).value();
      p.genotypes[l] = Genotype::Of(x, y);
    }
    out.profiles.push_back(std::move(p));
  }
  return out;
}

}  // namespace doudi::dna
