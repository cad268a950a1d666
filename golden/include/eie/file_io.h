// Reading inputs with a size bound taken from the format, and writing outputs where the user
// points: a regular file atomically (temporary file in the target's folder, fsync, rename), a
// pipe, device or standard output written through. docs/reliability.md, "Output paths and
// resource limits", states the rules.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace eie {

// The most bytes a file may hold given its first bytes (the format's own size fields). Called
// as the file is read; it may return less than the bytes read so far (the parser then reports
// what is wrong with them), and should return `limit` while the size is not yet known.
using SizeBound = std::function<uint64_t(const std::vector<uint8_t>& head)>;

// Reads a file (regular, pipe or device) up to one byte past bound(head), so an endless input
// such as /dev/zero costs at most the format's bound. Throws eie::Error naming the path when it
// cannot be opened or read, is a folder, or holds more than `limit` bytes (`what` names the
// format in that message).
std::vector<uint8_t> read_file(const std::string& path, uint64_t limit, const std::string& what,
                               const SizeBound& bound = {});

// Writes `bytes` to `path` (docs/reliability.md):
//   "-", /dev/stdout, /dev/stderr, /dev/fd/N: written through to that descriptor;
//   a symlink: followed to its target (created when it does not exist yet);
//   an existing FIFO, character or block device: opened and written through;
//   anything else: a regular file, replaced atomically, keeping an existing file's mode.
// Throws eie::Error naming the path on any failure (a full device included); a failed regular
// write leaves neither a temporary nor a partial file behind.
void write_output(const std::string& path, const std::vector<uint8_t>& bytes);

// A regular file written by someone else (Verilator's trace and coverage writers): created under
// a temporary name in the target's folder, moved into place by commit(), removed if never
// committed. The target must be new or a regular file (symlinks followed).
class TempOutput {
 public:
  explicit TempOutput(const std::string& path);
  ~TempOutput();
  TempOutput(const TempOutput&) = delete;
  TempOutput& operator=(const TempOutput&) = delete;
  const std::string& temp_path() const { return temp_; }
  // Renames the temporary over the target; throws eie::Error if the temporary is missing.
  void commit();

 private:
  std::string path_, target_, temp_;
  bool committed_ = false;
};

// The file a path names after following symlinks (its final component may not exist yet).
std::string resolve_symlinks(const std::string& path);
// The descriptor a path names when it is a standard stream ("-" = 1, /dev/stdout, /dev/stderr,
// /dev/fd/N, /proc/self/fd/N), else -1.
int stream_descriptor(const std::string& path);
// True when both paths exist and are the same file (device and inode, whatever the spelling).
bool same_file(const std::string& a, const std::string& b);

}  // namespace eie
