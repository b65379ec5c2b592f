#include "tracing/linkage/pinyin.h"

#include <random>

#include <gtest/gtest.h>

#include "tracing/linkage/jaro_winkler.h"

namespace doudi::linkage {
namespace {

using V = std::vector<std::string>;

TEST(Pinyin, CharactersReadTonelessFromUnihan) {
  EXPECT_EQ(CharPinyin(U'张'), "zhang");
  EXPECT_EQ(CharPinyin(U'吕'), "lv");   // ü written v
  EXPECT_EQ(CharPinyin(U'女'), "nv");
  EXPECT_EQ(CharPinyin(U'張'), "zhang");  // a traditional character has its own reading
  EXPECT_EQ(CharPinyin(U'a'), "");
  EXPECT_EQ(NamePinyin("张小明"), (V{"zhang", "xiao", "ming"}));
}

TEST(Pinyin, SurnamesWithSpecialReadings) {
  // As ordinary characters Unihan reads them dan, ceng, jie, cha, chou, qu, pu; as surnames they are read:
  EXPECT_EQ(CharPinyin(U'单'), "dan");
  EXPECT_EQ(NamePinyin("单田芳"), (V{"shan", "tian", "fang"}));
  EXPECT_EQ(CharPinyin(U'曾'), "ceng");
  EXPECT_EQ(NamePinyin("曾国藩"), (V{"zeng", "guo", "fan"}));
  EXPECT_EQ(NamePinyin("解缙"), (V{"xie", "jin"}));
  EXPECT_EQ(NamePinyin("查良镛"), (V{"zha", "liang", "yong"}));
  EXPECT_EQ(NamePinyin("仇英"), (V{"qiu", "ying"}));
  EXPECT_EQ(NamePinyin("区小红"), (V{"ou", "xiao", "hong"}));
  EXPECT_EQ(NamePinyin("朴槿惠"), (V{"piao", "jin", "hui"}));
  // Only the first character is a surname: 单 inside a given name keeps its ordinary reading.
  EXPECT_EQ(NamePinyin("王单"), (V{"wang", "dan"}));
  // The traditional surname too (單 → 单).
  EXPECT_EQ(NamePinyin("單田芳"), (V{"shan", "tian", "fang"}));
}

TEST(Pinyin, FuzzyFolding) {
  EXPECT_EQ(FuzzyFold("zhang"), "zan");  // zh→z and ang→an
  EXPECT_EQ(FuzzyFold("zan"), "zan");
  EXPECT_EQ(FuzzyFold("chen"), "cen");
  EXPECT_EQ(FuzzyFold("cheng"), "cen");
  EXPECT_EQ(FuzzyFold("shi"), "si");
  EXPECT_EQ(FuzzyFold("niu"), "liu");  // n→l
  EXPECT_EQ(FuzzyFold("liu"), "liu");
  EXPECT_EQ(FuzzyFold("hu"), "fu");    // h→f
  EXPECT_EQ(FuzzyFold("fu"), "fu");
  EXPECT_EQ(FuzzyFold("ling"), "lin");
  EXPECT_EQ(FuzzyFold("ning"), "lin");
  EXPECT_EQ(FuzzyFold("heng"), "fen");
  EXPECT_EQ(FuzzyFold("xiang"), "xian");
  EXPECT_EQ(FuzzyFold("n"), "n");  // 嗯: no initial to fold
  EXPECT_NE(FuzzyFold("zhong"), FuzzyFold("zhou"));
}

TEST(Pinyin, TraditionalFoldsToSimplified) {
  EXPECT_EQ(Simplify(U'張'), U'张');
  EXPECT_EQ(Simplify(U'劉'), U'刘');
  EXPECT_EQ(Simplify(U'张'), U'张');
  EXPECT_EQ(SimplifyText("劉德華"), "刘德华");
  EXPECT_EQ(SimplifyText("abc"), "abc");
}

TEST(Pinyin, Utf8RoundTripAndInvalidBytes) {
  EXPECT_EQ(EncodeUtf8(DecodeUtf8("兜底 ok 𠀀")), "兜底 ok 𠀀");
  EXPECT_EQ(DecodeUtf8("\xff" "a"), (std::u32string{0xFFFD, U'a'}));
  EXPECT_EQ(DecodeUtf8("\xe5\x85"), (std::u32string{0xFFFD, 0xFFFD}));  // truncated sequence
}

TEST(JaroWinkler, HandWorkedValues) {
  // MARTHA/MARHTA: m = 6, t = 1 (the H/T swap counts 2 half-transpositions), Jaro = (1 + 1 + 5/6)/3 = 0.9444;
  // prefix MAR (3): 0.9444 + 3·0.1·0.0556 = 0.9611.
  EXPECT_NEAR(Jaro("MARTHA", "MARHTA"), 17.0 / 18.0, 1e-12);
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA"), 0.961111, 1e-6);
  // DWAYNE/DUANE: m = 4, t = 0, Jaro = (4/6 + 4/5 + 1)/3 = 0.8222; prefix D: 0.8222 + 0.1·0.1778 = 0.84.
  EXPECT_NEAR(JaroWinkler("DWAYNE", "DUANE"), 0.84, 1e-9);
  // DIXON/DICKSONX: window 3, m = 4, t = 0, Jaro = (4/5 + 4/8 + 1)/3 = 0.7667; prefix DI: 0.8133.
  EXPECT_NEAR(JaroWinkler("DIXON", "DICKSONX"), 0.813333, 1e-6);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "abc"), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("a", ""), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("zhangwei", "weizhang"), JaroWinkler("weizhang", "zhangwei"));
}

// The bound that lets scoring skip Jaro–Winkler must never be below the exact value (a skipped pair would lose its
// level), and must rule out clearly different names.
TEST(JaroWinkler, BoundIsNeverBelowTheExactValue) {
  auto bound = [](std::string_view a, std::string_view b) {
    return JaroWinklerBound(CountLetters(a), CountLetters(b), a, b);
  };
  // DWAYNE/DUANE: common letters D, A, N, E (4), lengths 6 and 5: (4/5 + 4/6 + 1)/3 + 0.1·(1 − that) = 0.84 exactly
  // as Jaro–Winkler itself (there are no transpositions to lose).
  EXPECT_NEAR(bound("DWAYNE", "DUANE"), 0.84, 1e-8);
  EXPECT_GE(bound("DWAYNE", "DUANE"), JaroWinkler("DWAYNE", "DUANE"));
  // MARTHA/MARHTA: all 6 letters in common, prefix 3: (1 + 1 + 1)/3 = 1 ≥ 0.9611.
  EXPECT_NEAR(bound("MARTHA", "MARHTA"), 1.0, 1e-8);
  // wangwei / lina: common letters a, n, i (3 of 7 and 4): (3/4 + 3/7 + 1)/3 = 0.726 < 0.84, no prefix.
  EXPECT_NEAR(bound("wangwei", "lina"), (3.0 / 4 + 3.0 / 7 + 1) / 3, 1e-8);
  EXPECT_LT(bound("zhangsan", "liuyi"), 0.84);
  EXPECT_GT(bound("", "x"), 1.0);  // empty strings: no bound
  std::mt19937 rng(3);
  const char* kSyllables[] = {"wang", "wei", "li", "na", "zhang", "san", "liu", "yi", "chen", "jing", "huang", "yong",
                              "zhao", "ming", "xiao", "hong", "an", "ang", "en", "eng", "zh", "q", "x"};
  int below = 0;
  for (int k = 0; k < 200000; ++k) {
    std::string a, b;
    for (int n = 1 + static_cast<int>(rng() % 4); n > 0; --n) a += kSyllables[rng() % std::size(kSyllables)];
    for (int n = 1 + static_cast<int>(rng() % 4); n > 0; --n) b += kSyllables[rng() % std::size(kSyllables)];
    const double jw = JaroWinkler(a, b), ub = bound(a, b);
    ASSERT_GE(ub, jw) << a << " / " << b;
    below += ub < 0.84;
  }
  EXPECT_GT(below, 100000);  // most random names are ruled out without computing Jaro–Winkler
}

}  // namespace
}  // namespace doudi::linkage
