# Builds the seed folders of the fuzz targets, run by the fuzz:seeds test
# (cmake -DSOURCE_DIR=... -DCORPUS_DIR=... -DOUT=... -P seeds.cmake):
# OUT/seeds/<target>/ gets copies of the project's own samples (tests/,
# conf/, mappings/) and of the shared corpus (never changed in place), one
# file each, named after where it came from. OUT/corpus/<target>/ is where
# libFuzzer keeps what it finds; it is kept from run to run.

set(targets mllp er7 escape charset ack mapping_load mapping_eval partners board_profile csv
            untrusted_xml fhirpath fhir_json fhir_xml)

set(hl7 "tests/golden/*/*.hl7" "tests/data/hl7/*.hl7" "corpus:hl7v2/*.hl7")
set(seeds_mllp ${hl7} "tests/fuzz/seeds/mllp/*")
set(seeds_er7 ${hl7} "tests/fuzz/seeds/er7/*")
set(seeds_escape ${hl7} "tests/fuzz/seeds/escape/*")
set(seeds_charset "tests/fuzz/seeds/charset/*" "tests/data/hl7/*.hl7" "corpus:college/*.xml"
                  "corpus:fhir/*korean*")
set(seeds_ack ${hl7})
set(seeds_mapping_load "mappings/*/*.json" "mappings/*/tables/*.json")
set(seeds_mapping_eval "tests/golden/*/*.hl7" "tests/data/hl7/*.hl7" "corpus:hl7v2/*.hl7")
set(seeds_partners "conf/partners/*.json")
set(seeds_board_profile "conf/boards/*.json")
set(seeds_csv "tests/golden/*/*.csv" "tests/fuzz/seeds/csv/*" "corpus:college/*/*.csv")
set(seeds_untrusted_xml "tests/data/worksafe/*.xml" "tests/data/worksafe/problems/*.xml"
                        "tests/golden/*/*.expected.xml" "corpus:fhir/*.xml" "corpus:college/*.xml")
set(seeds_fhirpath "tests/fuzz/seeds/fhirpath/*")
set(seeds_fhir_json "tests/golden/westcoast-fhir/*.json" "tests/data/fhir/*.json" "corpus:fhir/*.json")
set(seeds_fhir_xml "tests/data/fhir/*.xml" "corpus:fhir/*.xml" "tests/fuzz/seeds/fhir_xml/*"
                   "tests/golden/westcoast-fhir/*.json" "corpus:fhir/*.json")

if(NOT IS_DIRECTORY "${CORPUS_DIR}")
  message(STATUS "fuzz seeds: no shared corpus at ${CORPUS_DIR}; the project's own samples only")
endif()

string(ASCII 11 vt)
string(ASCII 28 fs)
string(ASCII 13 cr)

foreach(target IN LISTS targets)
  set(dir "${OUT}/seeds/${target}")
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${dir}" "${OUT}/corpus/${target}")
  foreach(pattern IN LISTS seeds_${target})
    if(pattern MATCHES "^corpus:(.*)")
      set(base "${CORPUS_DIR}")
      set(glob "${CMAKE_MATCH_1}")
    else()
      set(base "${SOURCE_DIR}")
      set(glob "${pattern}")
    endif()
    file(GLOB files RELATIVE "${base}" "${base}/${glob}")
    foreach(file IN LISTS files)
      string(REPLACE "/" "_" name "${file}")
      file(COPY_FILE "${base}/${file}" "${dir}/${name}")
      # The framer also gets each message as one MLLP frame.
      if(target STREQUAL "mllp")
        file(READ "${base}/${file}" text)
        file(WRITE "${dir}/${name}.mllp" "${vt}${text}${fs}${cr}")
      endif()
    endforeach()
  endforeach()
endforeach()

# Every FHIRPath the partners' mappings hold, one seed each.
file(GLOB mappings "${SOURCE_DIR}/mappings/*/*.json")
set(n 0)
foreach(file IN LISTS mappings)
  file(READ "${file}" text)
  string(REGEX MATCHALL "\"(fhirpath|each)\": *\"[A-Z][A-Za-z]*[.][^\"]*\"" found "${text}")
  foreach(rule IN LISTS found)
    string(REGEX REPLACE "^\"[a-z]+\": *\"(.*)\"$" "\\1" expression "${rule}")
    math(EXPR n "${n} + 1")
    file(WRITE "${OUT}/seeds/fhirpath/mapping-${n}.txt" "${expression}")
  endforeach()
endforeach()
