#include "platform/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace edgefuse::platform {
namespace {

bool Fail(const std::string& path, const std::string& reason, std::string* error) {
  *error = path + ": " + reason;
  return false;
}

}  // namespace

bool ReadFileBytes(const std::string& path, std::vector<uint8_t>* bytes, std::string* error, size_t max_bytes) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(path, std::strerror(errno), error);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int saved = errno;
    close(fd);
    return Fail(path, std::strerror(saved), error);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return Fail(path, "not a regular file", error);
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return Fail(path, "file too large (" + std::to_string(st.st_size) + " bytes)", error);
  }
  bytes->resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < bytes->size()) {
    const ssize_t n = read(fd, bytes->data() + done, bytes->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      close(fd);
      return Fail(path, std::string("read failed: ") + std::strerror(saved), error);
    }
    if (n == 0) break;  // the file shrank while we read it
    done += static_cast<size_t>(n);
  }
  close(fd);
  bytes->resize(done);
  return true;
}

bool WriteFileBytes(const std::string& path, std::span<const uint8_t> bytes, std::string* error) {
  const std::string temporary = path + ".tmp-" + std::to_string(getpid());
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(path, std::string("cannot create: ") + std::strerror(errno), error);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      close(fd);
      unlink(temporary.c_str());
      return Fail(path, std::string("write failed: ") + std::strerror(saved), error);
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0 || rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    unlink(temporary.c_str());
    return Fail(path, std::string("write failed: ") + std::strerror(saved), error);
  }
  return true;
}

bool ListDirectory(const std::string& path, std::vector<std::string>* names, std::string* error) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return Fail(path, std::strerror(errno), error);
  names->clear();
  int saved = 0;
  for (;;) {
    errno = 0;
    const dirent* entry = readdir(dir);
    if (entry == nullptr) {
      saved = errno;  // 0 at the end of the directory
      break;
    }
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names->push_back(name);
  }
  closedir(dir);
  if (saved != 0) return Fail(path, std::string("cannot list: ") + std::strerror(saved), error);
  std::sort(names->begin(), names->end());
  return true;
}

}  // namespace edgefuse::platform
