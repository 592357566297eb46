# One warning set for every target of the project (STYLE.md, "CMake").
add_library(rtw_warnings INTERFACE)
target_compile_options(rtw_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual)
# GCC 12 reports -Wrestrict falsely for `"literal" + std::string` at -O2/-O3
# (GCC bug 105329, fixed in 13); with warnings as errors it would fail the build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(rtw_warnings INTERFACE -Wno-restrict)
endif()
