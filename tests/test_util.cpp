#include "test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace eie::test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/eie_test_XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  for (const std::string& name : list_dir(path_)) std::remove((path_ + "/" + name).c_str());
  rmdir(path_.c_str());
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
  }
  return names;
}

FifoFeeder::FifoFeeder(const std::string& path, std::vector<uint8_t> head, bool endless) {
  std::signal(SIGPIPE, SIG_IGN);
  EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0) << path;
  thread_ = std::thread([path, head = std::move(head), endless] {
    int fd = -1;
    for (int i = 0; i < 1000 && fd < 0; ++i) {
      fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (fd < 0) return;
    ::fcntl(fd, F_SETFL, 0);
    bool open = ::write(fd, head.data(), head.size()) == static_cast<ssize_t>(head.size());
    const std::vector<char> zeros(1 << 16, 0);
    while (open && endless) open = ::write(fd, zeros.data(), zeros.size()) > 0;
    ::close(fd);
  });
}

FifoFeeder::~FifoFeeder() { thread_.join(); }

CliResult run_cli(const std::string& args, long memory_kb) {
  // Braces: redirections inside args apply to the command, the outer 2>&1 to what is left.
  std::string cmd = "{ " + std::string(EIE_CLI_PATH) + " " + args + "; } 2>&1";
  if (memory_kb > 0) cmd = "ulimit -v " + std::to_string(memory_kb) + "; " + cmd;
  FILE* pipe = popen(cmd.c_str(), "r");
  CliResult r{-1, ""};
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

CodeMatrix random_code_matrix(uint32_t rows, uint32_t cols, double density, std::mt19937_64& rng) {
  std::bernoulli_distribution keep(density);
  std::uniform_int_distribution<int> index(1, 15);
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (auto& v : dense) v = keep(rng) ? static_cast<uint8_t>(index(rng)) : 0;
  return CodeMatrix::from_dense(rows, cols, dense);
}

}  // namespace eie::test
