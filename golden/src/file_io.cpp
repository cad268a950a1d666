#include "eie/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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

}  // namespace

std::vector<uint8_t> read_file(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) fail("{}: cannot open for reading: {}", path, errno_text(errno));
  FdGuard guard(fd);

  struct stat st {};
  if (::fstat(fd, &st) != 0) fail("{}: cannot stat: {}", path, errno_text(errno));
  // Opening a directory read-only succeeds on Linux; say so up front instead of failing in read().
  if (S_ISDIR(st.st_mode)) fail("{}: cannot read: {}", path, errno_text(EISDIR));

  std::vector<uint8_t> bytes;
  if (S_ISREG(st.st_mode) && st.st_size > 0) bytes.reserve(static_cast<size_t>(st.st_size));
  // Read until EOF rather than trusting st_size: pipes and /proc files report 0.
  uint8_t buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("{}: cannot read: {}", path, errno_text(errno));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  return bytes;
}

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
  // Same folder as the target so that rename() is atomic (never crosses a file system).
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());

  int fd;
  do {
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) fail("{}: cannot create temporary file {}: {}", path, tmp, errno_text(errno));

  // Any failure after this point must not leave the temporary behind.
  auto give_up = [&](const char* step, int err) {
    ::unlink(tmp.c_str());
    fail("{}: cannot write ({} failed on {}): {}", path, step, tmp, errno_text(err));
  };

  {
    FdGuard guard(fd);
    const uint8_t* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        guard.close();
        give_up("write", err);
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    // Data must be on disk before the rename makes it visible, or a crash can leave an empty file.
    if (::fsync(fd) != 0) {
      const int err = errno;
      guard.close();
      give_up("fsync", err);
    }
    if (guard.close() != 0) give_up("close", errno);
  }

  if (::rename(tmp.c_str(), path.c_str()) != 0) give_up("rename", errno);
}

}  // namespace eie
