#pragma once
#include <filesystem>
#include <string>

namespace cdc {

std::string read_file(const std::filesystem::path& path);
// Writes atomically (temp file + rename) with the given permissions, so a reader never
// sees half a file and a secret is never world-readable, not even for a moment.
void write_file(const std::filesystem::path& path, const std::string& content,
                std::filesystem::perms perms = std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_write |
                                               std::filesystem::perms::group_read |
                                               std::filesystem::perms::others_read);
// The last `lines` lines of a log, for the error that says why a component did not start.
std::string tail_of_file(const std::filesystem::path& path, int lines = 25);

}  // namespace cdc
