# One warning set for every target of the project (STYLE.md, "CMake").
add_library(rtw_warnings INTERFACE)
target_compile_options(rtw_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual)
