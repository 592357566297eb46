#pragma once
// Redirects file descriptor 2 into a temporary file for the lifetime of the
// object, so a test can prove that libxml2 printed nothing.

#include <cstdio>
#include <string>

#include <unistd.h>

namespace rtw::worksafe::test {

class StderrCapture {
 public:
  StderrCapture() : file_(std::tmpfile()) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    if (file_ != nullptr) {
      ::dup2(::fileno(file_), 2);
    }
  }
  ~StderrCapture() {
    restore();
    if (file_ != nullptr) {
      std::fclose(file_);
    }
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // What was written so far; restores stderr first.
  std::string text() {
    restore();
    std::string result;
    if (file_ == nullptr) {
      return "(could not capture stderr)";
    }
    std::rewind(file_);
    char buffer[4096];
    std::size_t read = 0;
    while ((read = std::fread(buffer, 1, sizeof buffer, file_)) > 0) {
      result.append(buffer, read);
    }
    return result;
  }

 private:
  void restore() {
    if (saved_ >= 0) {
      std::fflush(stderr);
      ::dup2(saved_, 2);
      ::close(saved_);
      saved_ = -1;
    }
  }

  std::FILE* file_;
  int saved_ = -1;
};

}  // namespace rtw::worksafe::test
