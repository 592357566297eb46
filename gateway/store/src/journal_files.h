#pragma once
// The SQLite journal holds whole messages (patient data): its file and the
// -wal and -shm files beside it are readable by the gateway's user alone.

#include <filesystem>

namespace rtw::store::detail {

/// Before SQLite opens `file`: creates it empty with mode 0600 when missing
/// (SQLite gives -wal and -shm the main file's mode, so they follow), and
/// takes the group and other bits off an existing journal, -wal or -shm
/// that has them, with a warning naming the file. A file it cannot change
/// (not the owner) is left as it is with a warning; SQLite reports any
/// error opening it.
void makeJournalPrivate(const std::filesystem::path& file);

}  // namespace rtw::store::detail
