// The identifier checks of spec §2 and the calendar arithmetic the rules
// stand on, on their own.

#include <catch2/catch.hpp>

#include "example_fixture.h"
#include "rtw/worksafe/identifiers.h"

using namespace rtw::worksafe;

TEST_CASE("BC PHN: the spec's mod-11 examples and malformed numbers", "[identifiers]") {
  CHECK(checkBcPhn("9698658215") == IdentifierCheck::kValid);
  CHECK(checkBcPhn("9698648215") == IdentifierCheck::kBadCheckDigit);
  CHECK(checkBcPhn("9698658214") == IdentifierCheck::kBadCheckDigit);
  CHECK(checkBcPhn("8698658215") == IdentifierCheck::kBadFormat);  // must start with 9
  CHECK(checkBcPhn("969865821") == IdentifierCheck::kBadFormat);
  CHECK(checkBcPhn("96986582150") == IdentifierCheck::kBadFormat);
  CHECK(checkBcPhn("96986582l5") == IdentifierCheck::kBadFormat);
  CHECK(checkBcPhn("") == IdentifierCheck::kBadFormat);
  // Digits 2-9 of 9000000010 sum to 3 (the 1 weighted 3): check (11-3)%11 = 8.
  CHECK(checkBcPhn("9000000018") == IdentifierCheck::kValid);
  // 9000000100: the 1 is weighted 7, check 4; a check of 10 (sum 1) is never valid.
  CHECK(checkBcPhn("9000000104") == IdentifierCheck::kValid);
}

TEST_CASE("BC PHN: a check digit of 10 makes every last digit invalid", "[identifiers]") {
  // Digit 5 (weight 5) = 9: 45 % 11 = 1, so s = 1 and the check would be 10.
  for (char last = '0'; last <= '9'; ++last) {
    CHECK(checkBcPhn(std::string("900090000") + last) == IdentifierCheck::kBadCheckDigit);
  }
}

TEST_CASE("Ontario health number: Luhn over ten digits, no leading zero", "[identifiers]") {
  CHECK(checkOntarioHcn("1234567897") == IdentifierCheck::kValid);
  CHECK(checkOntarioHcn("1234567898") == IdentifierCheck::kBadCheckDigit);
  CHECK(checkOntarioHcn("0234567897") == IdentifierCheck::kBadFormat);
  CHECK(checkOntarioHcn("123456789") == IdentifierCheck::kBadFormat);
  CHECK(checkOntarioHcn("1234567897AB") == IdentifierCheck::kBadFormat);
  CHECK(isOntarioVersionCode(""));
  CHECK(isOntarioVersionCode("AB"));
  CHECK_FALSE(isOntarioVersionCode("ab"));
  CHECK_FALSE(isOntarioVersionCode("ABC"));
}

TEST_CASE("GST number: shape and Luhn on the first nine digits", "[identifiers]") {
  CHECK(checkGstNumber("123456782RT0001") == IdentifierCheck::kValid);
  CHECK(checkGstNumber("123456783RT0001") == IdentifierCheck::kBadCheckDigit);
  CHECK(checkGstNumber("123456782RC0001") == IdentifierCheck::kBadFormat);
  CHECK(checkGstNumber("123456782RT001") == IdentifierCheck::kBadFormat);
  CHECK(checkGstNumber("12345678RT00011") == IdentifierCheck::kBadFormat);
  CHECK(passesLuhn("79927398713"));
  CHECK_FALSE(passesLuhn("79927398710"));
  CHECK_FALSE(passesLuhn(""));
  CHECK_FALSE(passesLuhn("12a4"));
}

TEST_CASE("Canadian postal codes follow the letter rules", "[identifiers]") {
  for (const char* valid : {"V5K 0A1", "M5H 3T4", "K1A 0B1", "T2P 2V7", "Y1A 6E2"}) {
    INFO(valid);
    CHECK(isCanadianPostalCode(valid));
  }
  for (const char* invalid : {"V5K0A1", "v5k 0a1", "D1A 1A1", "W1A 1A1", "Z1A 1A1", "V5D 0A1",
                              "V5K 0O1", "V5K-0A1", "V5K 0A12", ""}) {
    INFO(invalid);
    CHECK_FALSE(isCanadianPostalCode(invalid));
  }
  CHECK(isCanadianPostalCode("V5W 0A1"));  // W and Z are fine after the first letter
}

TEST_CASE("MTCU codes name the credential by their first digit", "[identifiers]") {
  CHECK(credentialOfMtcuCode("41234") == Credential::kCertificate);
  CHECK(credentialOfMtcuCode("52301") == Credential::kDiploma);
  CHECK(credentialOfMtcuCode("61234") == Credential::kAdvancedDiploma);
  CHECK(credentialOfMtcuCode("71234") == Credential::kGraduateCertificate);
  CHECK(credentialOfMtcuCode("81234") == Credential::kDegree);
  CHECK_FALSE(credentialOfMtcuCode("31234"));
  CHECK_FALSE(credentialOfMtcuCode("91234"));
  CHECK_FALSE(credentialOfMtcuCode("5230"));
  CHECK_FALSE(credentialOfMtcuCode("5230a"));
  CHECK(toString(Credential::kAdvancedDiploma) == "ADVANCED_DIPLOMA");
  CHECK(isApsNumber("04421"));
  CHECK_FALSE(isApsNumber("4421"));
  CHECK_FALSE(isApsNumber("0442a"));
}

TEST_CASE("dates parse as xs:date and count days", "[date]") {
  const auto date = Date::parse("2025-03-01");
  REQUIRE(date);
  CHECK(date->year() == 2025);
  CHECK(date->month() == 3u);
  CHECK(date->day() == 1u);
  CHECK(date->toString() == "2025-03-01");
  CHECK(date->weekday() == 6u);  // a Saturday
  CHECK(Date::parse("2025-03-01Z") == date);
  CHECK(Date::parse("2025-03-01-08:00") == date);
  CHECK(Date::parse("2025-03-01+05:30") == date);
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-3-01", "2025-03-01T10:00:00",
                          "20250301", "", "2025-03-01 ", "2025-03-01-8:00"}) {
    INFO(bad);
    CHECK_FALSE(Date::parse(bad));
  }
  CHECK(Date::parse("2024-02-29"));
  CHECK(Date::parse("1970-01-01")->days() == 0);
  CHECK(date->plusDays(31).toString() == "2025-04-01");
  CHECK(Date::parse("2024-02-29")->plusYears(1).toString() == "2025-02-28");
  CHECK(Date::parse("2025-01-06")->plusYears(3).toString() == "2028-01-06");
  CHECK(*Date::parse("2025-01-01") < *Date::parse("2025-01-02"));
}

TEST_CASE("working days skip weekends and the profile's holidays", "[date][profiles]") {
  const BoardProfile& wsbc = *rtw::worksafe::test::profiles()->find("WSBC");
  const auto day = [](const char* text) { return *Date::parse(text); };
  // Wednesday to the next Wednesday: five working days.
  CHECK(wsbc.workingDaysBetween(day("2025-03-05"), day("2025-03-12")) == 5);
  CHECK(wsbc.workingDaysBetween(day("2025-03-05"), day("2025-03-05")) == 0);
  CHECK(wsbc.workingDaysBetween(day("2025-03-12"), day("2025-03-05")) == 0);
  // Friday to Monday: one.
  CHECK(wsbc.workingDaysBetween(day("2025-03-07"), day("2025-03-10")) == 1);
  // Victoria Day (Monday 2025-05-19) is a BC holiday.
  CHECK(wsbc.workingDaysBetween(day("2025-05-16"), day("2025-05-23")) == 4);
  // Whole years are counted without walking every day.
  CHECK(wsbc.workingDaysBetween(day("0001-01-01"), day("9999-12-31")) > 2000000);
  const Deadline calendar{30, false, Problem::Severity::kWarning};
  CHECK(wsbc.daysBetween(calendar, day("2025-03-07"), day("2025-04-06")) == 30);
}
