#include "eie/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "eie/error.h"

namespace eie {
namespace {

// Closes a descriptor on every exit path so that error handling cannot leak it.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the result: close() can report a deferred write error (e.g. NFS).
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

std::string errno_text(int err) { return std::strerror(err); }

int open_retry(const char* path, int flags, mode_t mode = 0) {
  int fd;
  do {
    fd = ::open(path, flags, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Writes everything or returns the errno of the failure (0 on success).
int write_all(int fd, const std::vector<uint8_t>& bytes) {
  const uint8_t* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

// New files get the permissions the user's umask allows, as a shell redirection would.
mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

std::string parent_folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::vector<uint8_t> read_file(const std::string& path, uint64_t limit, const std::string& what,
                               const SizeBound& bound) {
  const int fd = open_retry(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("{}: cannot open for reading: {}", path, errno_text(errno));
  FdGuard guard(fd);

  struct stat st {};
  if (::fstat(fd, &st) != 0) fail("{}: cannot stat: {}", path, errno_text(errno));
  // Opening a directory read-only succeeds on Linux; say so up front instead of failing in read().
  if (S_ISDIR(st.st_mode)) fail("{}: cannot read: {}", path, errno_text(EISDIR));
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > limit) {
    fail("{}: {} bytes; a {} may hold at most {} bytes (docs/reliability.md)", path, st.st_size,
         what, limit);
  }

  std::vector<uint8_t> bytes;
  if (S_ISREG(st.st_mode) && st.st_size > 0) bytes.reserve(static_cast<size_t>(st.st_size));
  // Read until EOF or one byte past the bound rather than trusting st_size: pipes and devices
  // report 0, and /dev/zero never ends.
  uint8_t buffer[1 << 16];
  for (;;) {
    uint64_t allowed = limit;
    if (bound) {
      try {
        allowed = std::min(limit, bound(bytes));
      } catch (const Error& e) {
        fail("{}: {}", path, e.what());
      }
    }
    if (bytes.size() > allowed) {
      if (allowed == limit) {
        fail("{}: more than {} bytes; a {} may hold at most {} bytes (docs/reliability.md)", path,
             limit, what, limit);
      }
      // One byte past what the format allows (a read may have brought more): the parser names
      // the trailing bytes or what it rejects.
      bytes.resize(static_cast<size_t>(allowed) + 1);
      break;
    }
    const uint64_t want = std::min<uint64_t>(sizeof buffer, allowed + 1 - bytes.size());
    const ssize_t n = ::read(fd, buffer, static_cast<size_t>(want));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("{}: cannot read: {}", path, errno_text(errno));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  return bytes;
}

int stream_descriptor(const std::string& path) {
  if (path == "-" || path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    const size_t len = std::strlen(prefix);
    if (path.size() > len && path.compare(0, len, prefix) == 0 &&
        path.find_first_not_of("0123456789", len) == std::string::npos && path.size() - len < 9) {
      return std::atoi(path.c_str() + len);
    }
  }
  return -1;
}

std::string resolve_symlinks(const std::string& path) {
  std::string p = path;
  for (int hop = 0; hop < 40; ++hop) {  // the kernel's own limit (ELOOP after 40)
    if (p.compare(0, 6, "/proc/") == 0) return p;
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno == ENOENT) return p;  // a new file (or a dangling link's target)
      fail("{}: cannot stat {}: {}", path, p, errno_text(errno));
    }
    if (!S_ISLNK(st.st_mode)) return p;
    char target[PATH_MAX];
    const ssize_t n = ::readlink(p.c_str(), target, sizeof target - 1);
    if (n < 0) fail("{}: cannot read the symbolic link {}: {}", path, p, errno_text(errno));
    const std::string t(target, static_cast<size_t>(n));
    if (t.empty() || t[0] != '/') {
      p = parent_folder(p);
      p += '/';
      p += t;
    } else {
      p = t;
    }
  }
  fail("{}: {}", path, errno_text(ELOOP));
}

bool written_through(const std::string& path) {
  if (stream_descriptor(path) >= 0 || resolve_symlinks(path).compare(0, 6, "/proc/") == 0) {
    return true;
  }
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

TempOutput::TempOutput(const std::string& path) : path_(path), target_(resolve_symlinks(path)) {
  struct stat st {};
  const bool exists = ::stat(target_.c_str(), &st) == 0;
  if (target_.compare(0, 6, "/proc/") == 0 || (exists && !S_ISREG(st.st_mode))) {
    fail("{}: not a regular file; this output is written in place and needs one", path);
  }
  mode_ = exists ? st.st_mode & 07777 : new_file_mode();
  // Same folder as the target so that rename() is atomic (never crosses a file system).
  std::string name = target_ + ".tmp.XXXXXX";
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) fail("{}: cannot create a temporary file {}: {}", path, name, errno_text(errno));
  temp_ = name;
}

TempOutput::~TempOutput() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

void TempOutput::commit() {
  const auto give_up = [&](const char* step, int err) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    fail("{}: cannot write ({} failed on {}): {}", path_, step, temp_, errno_text(err));
  };
  // The data must be on disk before the rename makes it visible, or a crash can leave an empty
  // file; the mode is set last so that a read-only target's temporary stays writable until then.
  if (::fsync(fd_) != 0) give_up("fsync", errno);
  if (::fchmod(fd_, static_cast<mode_t>(mode_)) != 0) give_up("chmod", errno);
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) give_up("close", errno);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) give_up("rename", errno);
  committed_ = true;
}

void write_output(const std::string& path, const std::vector<uint8_t>& bytes) {
  require(!path.empty(), "output path is empty");
  // Standard streams: written through, never replaced (a shell redirection may append).
  if (const int fd = stream_descriptor(path); fd >= 0) {
    std::fflush(nullptr);  // what stdio buffered for the stream comes first
    if (const int err = write_all(fd, bytes); err != 0) {
      fail("{}: cannot write: {}", path, errno_text(err));
    }
    return;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    fail("{}: is a folder, not a file", path);
  }
  if (written_through(path)) {
    // A FIFO, device or /proc link (a symlink to /dev/stdout, say): opened by the name given,
    // which the kernel follows; appending keeps a shell's `>>` intact.
    std::fflush(nullptr);
    const int fd = open_retry(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) fail("{}: cannot open for writing: {}", path, errno_text(errno));
    FdGuard guard(fd);
    if (const int err = write_all(fd, bytes); err != 0) {
      fail("{}: cannot write: {}", path, errno_text(err));
    }
    if (guard.close() != 0) fail("{}: cannot write: {}", path, errno_text(errno));
    return;
  }
  TempOutput out(path);
  if (const int err = write_all(out.fd(), bytes); err != 0) {
    fail("{}: cannot write (write failed on {}): {}", path, out.temp_path(), errno_text(err));
  }
  out.commit();
}

}  // namespace eie
