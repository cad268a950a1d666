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

// The most bytes a file may hold given its first bytes `head` (the format's own size fields),
// called before every read. While the size is not known yet it returns the reader's limit; once
// the head shows something the parser will reject (a bad magic, an unknown version) it returns a
// fixed size at or below what has been read, which ends the read there. It may throw eie::Error
// when the head declares more than the reader takes (the path is prefixed to the message).
using SizeBound = std::function<uint64_t(const std::vector<uint8_t>& head)>;

// Reads a file (regular, pipe or device) up to one byte past bound(head), so that the parser
// sees any trailing byte and an endless input such as /dev/zero costs one read of at most
// 64 KiB. Throws eie::Error naming the path when it cannot be opened or read, is a folder, or
// holds more than `limit` bytes (`what` names the format in that message).
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

// A regular file written under a temporary name in the target's folder (open as fd(), or by
// name for writers such as Verilator's trace and coverage), moved into place by commit() with
// the target's permissions (an existing file's, or what the umask allows), removed if never
// committed. The target must be new or a regular file (symlinks followed).
class TempOutput {
 public:
  explicit TempOutput(const std::string& path);
  ~TempOutput();
  TempOutput(const TempOutput&) = delete;
  TempOutput& operator=(const TempOutput&) = delete;
  int fd() const { return fd_; }
  const std::string& temp_path() const { return temp_; }
  // fsyncs, sets the mode, closes and renames over the target; throws eie::Error naming the
  // step that failed (the temporary is removed).
  void commit();

 private:
  std::string path_, target_, temp_;
  int fd_ = -1;
  unsigned mode_ = 0;
  bool committed_ = false;
};

// The file a path names after following symlinks (its final component may not exist yet). A
// chain that reaches /proc (the /dev/stdout, /dev/fd/N magic links) stops there: those links
// name open descriptors, not paths to replace.
std::string resolve_symlinks(const std::string& path);
// True for paths write_output writes through rather than replaces: standard streams, /proc
// links, and existing FIFOs, devices and sockets (after following symlinks).
bool written_through(const std::string& path);
// The folder a path's last component lives in ("." for a bare name).
std::string parent_folder(const std::string& path);
// The descriptor a path names when it is a standard stream ("-" = 1, /dev/stdout, /dev/stderr,
// /dev/fd/N, /proc/self/fd/N), else -1.
int stream_descriptor(const std::string& path);
// True when both paths exist and are the same file (device and inode, whatever the spelling).
bool same_file(const std::string& a, const std::string& b);

}  // namespace eie
