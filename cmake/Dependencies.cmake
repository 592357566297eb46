# Every dependency comes from a Debian 12 package (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(LibXml2 REQUIRED)
# Debian's POCO DataPostgreSQL config links "PostgreSQL::client" but does not
# define it: it is libpq, which CMake's own module finds.
find_package(PostgreSQL REQUIRED)
# The journal prepares its SQLite statements itself (gateway/store/src/sql.h).
find_package(SQLite3 REQUIRED)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()
find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Util Net NetSSL Crypto Data DataSQLite DataPostgreSQL)
find_package(Boost 1.74 REQUIRED)
find_package(RapidJSON REQUIRED)
find_package(Catch2 2.13 REQUIRED)

# Debian's RapidJSON config defines no target, only RAPIDJSON_INCLUDE_DIRS.
if(NOT TARGET RapidJSON::RapidJSON)
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  set_target_properties(RapidJSON::RapidJSON PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${RAPIDJSON_INCLUDE_DIRS}")
endif()

# Boost.DLL on std::filesystem, so neither host nor plugins need Boost.Filesystem.
add_library(rtw_boost_dll INTERFACE)
target_link_libraries(rtw_boost_dll INTERFACE Boost::headers ${CMAKE_DL_LIBS})
target_compile_definitions(rtw_boost_dll INTERFACE BOOST_DLL_USE_STD_FS)
