#pragma once
#include <filesystem>
#include <map>
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
// A file of KEY=VALUE lines (shell-style: `#` comments, blank lines, an optional `export `,
// values optionally in matching quotes). A line that is none of these is a HarnessError
// naming the file and the line.
std::map<std::string, std::string> read_key_values(const std::filesystem::path& path);

// This user's cache of what the harness fetched and prepared (jars, tools, templates):
// $XDG_CACHE_HOME/cdc-harness, or ~/.cache/cdc-harness.
std::filesystem::path harness_cache_dir();

// The last `lines` lines of a log, for the error that says why a component did not start.
std::string tail_of_file(const std::filesystem::path& path, int lines = 25);

}  // namespace cdc
