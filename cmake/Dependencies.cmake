# Every dependency comes from a Debian 12 package (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(LibXml2 REQUIRED)
# libpq: the PostgreSQL journal talks to the server through it directly.
find_package(PostgreSQL REQUIRED)
# The journal prepares its SQLite statements itself (gateway/store/src/sql.h).
find_package(SQLite3 REQUIRED)
find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Util Net NetSSL Crypto Data DataSQLite)
find_package(Boost 1.74 REQUIRED)
find_package(RapidJSON REQUIRED)
find_package(Catch2 2.13 REQUIRED)
# RE2 ships a pkg-config file only (Debian 12: 20220601).
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# cctz (Debian 12: libcctz-dev 2.3) ships neither a pkg-config file nor a CMake
# config: its headers and libcctz.so, found here and wrapped in a target.
find_path(RTW_CCTZ_INCLUDE_DIR cctz/time_zone.h REQUIRED)
find_library(RTW_CCTZ_LIBRARY cctz REQUIRED)
if(NOT TARGET cctz::cctz)
  add_library(cctz::cctz UNKNOWN IMPORTED)
  set_target_properties(cctz::cctz PROPERTIES
    IMPORTED_LOCATION "${RTW_CCTZ_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${RTW_CCTZ_INCLUDE_DIR}")
endif()

# Debian's RapidJSON config defines no target, only RAPIDJSON_INCLUDE_DIRS.
if(NOT TARGET RapidJSON::RapidJSON)
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  set_target_properties(RapidJSON::RapidJSON PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${RAPIDJSON_INCLUDE_DIRS}")
endif()
# RapidJSON 1.1's member iterators compare through non-const operators, which
# clang in C++20 reports as ambiguous with the reversed candidates (the fuzz
# build, tests/fuzz); GCC does not.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set_property(TARGET RapidJSON::RapidJSON APPEND PROPERTY
    INTERFACE_COMPILE_OPTIONS -Wno-ambiguous-reversed-operator)
endif()

# Boost.DLL on std::filesystem, so neither host nor plugins need Boost.Filesystem.
add_library(rtw_boost_dll INTERFACE)
target_link_libraries(rtw_boost_dll INTERFACE Boost::headers ${CMAKE_DL_LIBS})
target_compile_definitions(rtw_boost_dll INTERFACE BOOST_DLL_USE_STD_FS)

# The two servers allocate through gperftools' tcmalloc (minimal: no
# profiler): with glibc's malloc, allocation was ≈ 12 % of the gateway's CPU
# (malloc_consolidate, unlink_chunk among it); with tcmalloc the gateway used
# ≈ 12 % less CPU per message over its life (BENCHMARKS.md). Not under the
# sanitizers, which bring their own allocator.
add_library(rtw_allocator INTERFACE)
if(NOT RTW_SANITIZE AND NOT RTW_FUZZ)
  find_library(RTW_TCMALLOC_MINIMAL tcmalloc_minimal REQUIRED)
  # Nothing calls it by name: keep it linked even under --as-needed.
  target_link_libraries(rtw_allocator INTERFACE
    "-Wl,--push-state,--no-as-needed" ${RTW_TCMALLOC_MINIMAL} "-Wl,--pop-state")
endif()
