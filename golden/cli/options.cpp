#include "options.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "eie/error.h"
#include "eie/file_io.h"

namespace eie::cli {

int64_t int_option(const po::variables_map& vm, const std::string& name, int64_t lo, int64_t hi) {
  const int64_t v = vm[name].as<int64_t>();
  if (v < lo || v > hi) {
    throw UsageError(fmt::format("--{} {}: must lie in {}..{}", name, v, lo, hi));
  }
  return v;
}

double real_option(const po::variables_map& vm, const std::string& name, double lo, double hi,
                   Bounds bounds) {
  const double v = vm[name].as<double>();
  const bool lo_open = bounds == Bounds::kLowerOpen, hi_open = bounds == Bounds::kUpperOpen;
  if (!std::isfinite(v) || v < lo || v > hi || (lo_open && v == lo) || (hi_open && v == hi)) {
    throw UsageError(fmt::format("--{} {}: must be a number in {}{}, {}{}", name, v,
                                 lo_open ? "(" : "[", lo, hi, hi_open ? ")" : "]"));
  }
  return v;
}

std::vector<std::string> split_list(const std::string& list, const std::string& what,
                                    char separator) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t comma = list.find(separator, start);
    std::string item = list.substr(start, comma == std::string::npos ? comma : comma - start);
    if (item.empty()) throw UsageError(fmt::format("{}: empty item in list '{}'", what, list));
    items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::vector<double> parse_number_list(const std::string& list, const std::string& what) {
  std::vector<double> out;
  for (const std::string& item : split_list(list, what)) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || !std::isfinite(v)) {
      throw UsageError(fmt::format("{}: '{}' is not a finite number", what, item));
    }
    out.push_back(v);
  }
  return out;
}

std::vector<unsigned> parse_size_list(const std::string& list, const std::string& what,
                                      unsigned max) {
  std::vector<unsigned> out;
  for (const std::string& item : split_list(list, what)) {
    size_t used = 0;
    unsigned long v = 0;
    try {
      v = item[0] == '-' || item[0] == '+' ? 0 : std::stoul(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || v == 0 || v > max) {
      throw UsageError(fmt::format("{}: '{}' is not an integer in 1..{}", what, item, max));
    }
    out.push_back(static_cast<unsigned>(v));
  }
  return out;
}

namespace {

// Where a regular output will land: its folder's real path and its name, so that two spellings
// of one new file compare equal.
std::string landing_path(const std::string& path) {
  const std::string target = resolve_symlinks(path);
  const std::string folder = parent_folder(target);
  char real[PATH_MAX];
  const std::string name =
      target.substr(target.rfind('/') == std::string::npos ? 0 : target.rfind('/') + 1);
  return (::realpath(folder.c_str(), real) != nullptr ? std::string(real) : folder) + "/" + name;
}

}  // namespace

void check_outputs(const std::vector<PathArg>& outputs, const std::vector<PathArg>& inputs,
                   bool force) {
  std::vector<const PathArg*> given;
  for (const PathArg& o : outputs) {
    if (!o.option.empty()) given.push_back(&o);
  }
  for (size_t i = 0; i < given.size(); ++i) {
    const PathArg& o = *given[i];
    if (o.path.empty()) throw UsageError(fmt::format("{}: the path is empty", o.option));
    const bool through = written_through(o.path);
    if (o.regular_only && through) {
      throw UsageError(
          fmt::format("{} {}: must be a regular file (it is written in place, not streamed)",
                      o.option, o.path));
    }
    for (size_t j = 0; j < i; ++j) {
      const PathArg& p = *given[j];
      const int fd = stream_descriptor(o.path);
      const bool same =
          through ? fd >= 0 && fd == stream_descriptor(p.path)
                  : !written_through(p.path) &&
                        (same_file(p.path, o.path) || landing_path(p.path) == landing_path(o.path));
      if (same) {
        throw UsageError(
            fmt::format("{} {} and {} {} name the same file", p.option, p.path, o.option, o.path));
      }
    }
    if (through) continue;
    for (const PathArg& in : inputs) {
      if (!force && same_file(o.path, in.path)) {
        throw UsageError(fmt::format(
            "{} {} is the same file as the input {} {}: refusing to overwrite an input (--force "
            "to allow it)",
            o.option, o.path, in.option, in.path));
      }
    }
    const std::string target = resolve_symlinks(o.path);
    struct stat st {};
    require(::stat(target.c_str(), &st) != 0 || !S_ISDIR(st.st_mode),
            "{} {}: is a folder, not a file", o.option, o.path);
    const std::string folder = parent_folder(target);
    struct stat dir {};
    require(::stat(folder.c_str(), &dir) == 0 && S_ISDIR(dir.st_mode),
            "{} {}: cannot create it: the folder {} does not exist", o.option, o.path, folder);
    require(::access(folder.c_str(), W_OK) == 0, "{} {}: cannot create it in {}: {}", o.option,
            o.path, folder, std::strerror(errno));
  }
}

std::FILE* info_stream(const std::vector<std::string>& outputs) {
  for (const std::string& o : outputs) {
    if (stream_descriptor(o) == 1) return stderr;
  }
  return stdout;
}

namespace {
std::string& stage() {
  static std::string s = "starting";
  return s;
}
}  // namespace

void set_stage(const std::string& what) { stage() = what; }

int guarded_main(const std::string& tool, const std::function<int()>& body,
                 const std::string& usage_hint) {
  try {
    return body();
  } catch (const UsageError& e) {
    std::fflush(stdout);
    fmt::print(stderr, "{}: {}\n{}", tool, e.what(), usage_hint);
    return kExitUsage;
  } catch (const Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "{}: error: {}\n", tool, e.what());
    return kExitError;
  } catch (const std::bad_alloc&) {
    std::fflush(stdout);
    fmt::print(stderr, "{}: error: out of memory while {}\n", tool, stage());
    return kExitError;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "{}: error while {}: {}\n", tool, stage(), e.what());
    return kExitError;
  } catch (...) {
    std::fflush(stdout);
    fmt::print(stderr, "{}: error while {}: unknown exception\n", tool, stage());
    return kExitError;
  }
}

}  // namespace eie::cli
