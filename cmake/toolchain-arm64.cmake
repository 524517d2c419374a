# Cross build for Debian arm64 with Debian's cross compiler (aarch64-linux-gnu-g++) and multiarch -dev
# packages (libuv1-dev:arm64 ...; `make cross ARCH=arm64` installs them). Libraries and
# pkg-config files come from /usr/lib/aarch64-linux-gnu, so no separate sysroot is needed.
# Test binaries run under qemu-user: ctest and gtest discovery go through
# CMAKE_CROSSCOMPILING_EMULATOR, and the e2e harness puts the same prefix in front of
# fickle-server (tests/CMakeLists.txt), because without binfmt_misc the kernel cannot exec it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# The host's pkg-config, reading only the target's .pc files (no need for pkgconf:arm64).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(FICKLE_DEB_ARCH arm64)

find_program(FICKLE_QEMU NAMES qemu-aarch64-static qemu-aarch64)
if(FICKLE_QEMU)
  # No -L /usr/aarch64-linux-gnu: a process forked under qemu 7.2 with -L dies of SIGSEGV before it can
  # exec (seen with fork+execv and gtest death tests). Without it qemu finds the target's loader
  # and libraries where the multiarch libc6:ARCH package put them.
  set(CMAKE_CROSSCOMPILING_EMULATOR ${FICKLE_QEMU})
  # FICKLE_PAGE_SIZE=16384|65536 runs the tests as on a kernel with 16 KB or 64 KB pages (qemu's
  # -p: the guest's sysconf(_SC_PAGESIZE) and AT_PAGESZ report it, and mmap rounds to it).
  if(FICKLE_PAGE_SIZE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${FICKLE_QEMU} -p ${FICKLE_PAGE_SIZE})
  endif()
endif()
