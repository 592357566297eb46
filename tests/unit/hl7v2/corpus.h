#pragma once
// The shared corpus of real messages (../shared/corpus/hl7v2), and the
// random damage the robustness tests do to them.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace rtw::hl7v2::test {

inline constexpr std::size_t kCorpusFiles = 139;

struct Sample {
  std::string name;
  std::string bytes;
};

inline std::vector<Sample> loadCorpus() {
  std::vector<Sample> samples;
  std::filesystem::path dir = std::filesystem::path(RTW_CORPUS_DIR) / "hl7v2";
  if (!std::filesystem::is_directory(dir)) {
    return samples;
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    samples.push_back({entry.path().filename().string(), content.str()});
  }
  std::sort(samples.begin(), samples.end(),
            [](const Sample& a, const Sample& b) { return a.name < b.name; });
  return samples;
}

inline const std::vector<Sample>& corpus() {
  static const std::vector<Sample> samples = loadCorpus();
  return samples;
}

// What serialize() must give back: no BOM, every line end a CR, trailing
// blank lines dropped, one CR after the last segment.
inline std::string expectedSerialization(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
    text.erase(0, 3);
  }
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') {
      lines.push_back(line);
      line.clear();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else {
      line.push_back(c);
    }
  }
  lines.push_back(line);
  auto blank = [](const std::string& l) { return l.find_first_not_of(" \t") == std::string::npos; };
  while (!lines.empty() && blank(lines.back())) {
    lines.pop_back();
  }
  std::string out;
  for (const std::string& l : lines) {
    out += l;
    out += '\r';
  }
  return out;
}

// One random damage: flip bytes (often into delimiters or line ends),
// truncate, cut a piece out, or duplicate one.
inline std::string mutate(std::string text, std::mt19937& random) {
  static const std::string kNasty = std::string("|^~\\&#\r\n\x0b\x1c\xEF\xBB\xBF MSH") + '\0';
  auto below = [&](std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  int rounds = 1 + static_cast<int>(below(4));
  for (int r = 0; r < rounds && !text.empty(); ++r) {
    switch (below(5)) {
      case 0:
        text[below(text.size())] = static_cast<char>(below(256));
        break;
      case 1:
        text[below(text.size())] = kNasty[below(kNasty.size())];
        break;
      case 2:
        text.resize(below(text.size() + 1));
        break;
      case 3: {
        std::size_t at = below(text.size());
        text.erase(at, below(64));
        break;
      }
      default: {
        std::size_t at = below(text.size());
        text.insert(below(text.size()), text.substr(at, below(64)));
        break;
      }
    }
  }
  return text;
}

}  // namespace rtw::hl7v2::test
