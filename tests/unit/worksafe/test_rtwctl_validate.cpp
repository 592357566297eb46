// rtwctl validate, run as the built binary: every example is valid (exit 0),
// a broken document prints each problem (exit 1), warnings alone pass, and
// usage errors exit 2.

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "example_fixture.h"

using namespace rtw::worksafe::test;

namespace {

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// Runs rtwctl validate from the source directory, so its default
// mappings/worksafe and conf/boards are the real ones.
Run rtwctl(const std::string& arguments) {
  TempDir dir;
  const std::filesystem::path out = dir.path() / "out.txt";
  const std::string command = "cd " + quoted(RTW_SOURCE_DIR) + " && " +
                              quoted(std::string(RTW_BINARY_DIR) + "/bin/rtwctl") + " validate " +
                              arguments + " >" + quoted(out.string()) + " 2>&1";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  return {WEXITSTATUS(status), readText(out)};
}

const std::string kBroken = "tests/data/worksafe/problems/invoice-broken.xml";
const std::string kLate = "tests/data/worksafe/problems/report-late-initial.xml";

}  // namespace

TEST_CASE("rtwctl validate accepts every example (exit 0, no output)", "[rtwctl]") {
  std::string files;
  for (const auto& name : exampleNames()) {
    files += " tests/data/worksafe/" + name;
  }
  const Run run = rtwctl("--today 2025-06-30" + files);
  CHECK(run.output.empty());
  CHECK(run.exit_code == 0);
}

TEST_CASE("rtwctl validate prints every problem of a broken document (exit 1)", "[rtwctl]") {
  const Run run = rtwctl(kBroken + " --today 2025-06-30");
  CHECK(run.exit_code == 1);
  CHECK(run.output ==
        "ERROR line[1]/side: [facet 'enumeration'] The value is not an element of the set {'L', "
        "'R', 'B', 'N'}.\n"
        "ERROR gstNumber: the GST number check digit is wrong\n"
        "ERROR line[2]/amount: must be units x unitPrice (within 0.01)\n"
        "ERROR subtotal: must be the sum of the line amounts\n"
        "ERROR total: must be the sum of the line amounts and the tax amounts\n");
}

TEST_CASE("rtwctl validate passes a document with warnings only (exit 0)", "[rtwctl]") {
  const Run run = rtwctl(kLate);
  CHECK(run.exit_code == 0);
  CHECK(run.output ==
        "WARNING reportDate: an INITIAL report is due within 5 working days of the "
        "assessmentDate\n"
        "WARNING consideration[1]: use abilities-focused wording: 'considerations' instead of "
        "'limitations'\n");
}

TEST_CASE("rtwctl validate names each file when given several", "[rtwctl]") {
  const Run run = rtwctl("--today 2025-06-30 tests/data/worksafe/invoice-wsbc-crrtw.xml " + kLate +
                         " --board WSIB");
  CHECK(run.exit_code == 1);
  CHECK(run.output ==
        "tests/data/worksafe/invoice-wsbc-crrtw.xml: ERROR header/program: not a program of the "
        "WSIB profile\n" +
            kLate + ": ERROR header/program: not a program of the WSIB profile\n" + kLate +
            ": WARNING reportDate: an INITIAL report is due within 3 working days of the "
            "assessmentDate\n");
}

TEST_CASE("rtwctl validate --board overrides the header's board", "[rtwctl]") {
  const Run run = rtwctl("tests/data/worksafe/referral-wsbc-crrtw.xml --board WSIB");
  CHECK(run.exit_code == 1);
  CHECK(run.output == "ERROR header/program: not a program of the WSIB profile\n");
}

TEST_CASE("rtwctl validate takes --schemas and --boards", "[rtwctl]") {
  TempDir dir;
  const std::string file = (dataDir() / "referral-wsbc-crrtw.xml").string();
  const Run run = rtwctl("--schemas " + quoted(std::string(RTW_SOURCE_DIR) + "/mappings/worksafe") +
                         " --boards " + quoted(boardsDir().string()) + " " + quoted(file));
  CHECK(run.exit_code == 0);
  const Run missing = rtwctl("--boards " + quoted(dir.path().string()) + " " + quoted(file));
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("no board profile (*.json)"));
}

TEST_CASE("rtwctl validate: a file that cannot be read is an error (exit 1)", "[rtwctl]") {
  const Run run = rtwctl("tests/data/worksafe/no-such-file.xml");
  CHECK(run.exit_code == 1);
  CHECK(run.output == "ERROR: cannot read tests/data/worksafe/no-such-file.xml\n");
}

TEST_CASE("rtwctl validate: usage errors exit 2", "[rtwctl]") {
  CHECK(rtwctl("").exit_code == 2);
  const Run board = rtwctl(kLate + " --board WCB");
  CHECK(board.exit_code == 2);
  CHECK_THAT(board.output, Catch::Contains("--board WCB has no profile (known: WSBC, WSIB)"));
  CHECK(rtwctl(kLate + " --today 2025-13-01").exit_code == 2);
  CHECK(rtwctl(kLate + " --board").exit_code == 2);
  CHECK(rtwctl(kLate + " --strict").exit_code == 2);
}
