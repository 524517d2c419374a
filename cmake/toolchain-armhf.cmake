# Cross build for Debian armhf with Debian's cross compiler (arm-linux-gnueabihf-g++) and multiarch -dev
# packages (libuv1-dev:armhf ...; `make cross ARCH=armhf` installs them). Libraries and
# pkg-config files come from /usr/lib/arm-linux-gnueabihf, so no separate sysroot is needed.
# Test binaries run under qemu-user: ctest and gtest discovery go through
# CMAKE_CROSSCOMPILING_EMULATOR, and the e2e harness puts the same prefix in front of
# fickle-server (tests/CMakeLists.txt), because without binfmt_misc the kernel cannot exec it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)
# The host's pkg-config, reading only the target's .pc files (no need for pkgconf:armhf).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/arm-linux-gnueabihf/pkgconfig:/usr/share/pkgconfig)
set(FICKLE_DEB_ARCH armhf)

find_program(FICKLE_QEMU NAMES qemu-arm-static qemu-arm)
if(FICKLE_QEMU)
  # No -L /usr/arm-linux-gnueabihf: a process forked under qemu 7.2 with -L dies of SIGSEGV before it can
  # exec (seen with fork+execv and gtest death tests). Without it qemu finds the target's loader
  # and libraries where the multiarch libc6:ARCH package put them.
  set(CMAKE_CROSSCOMPILING_EMULATOR ${FICKLE_QEMU})
endif()

# GCC notes that the ARM ABI for some argument types changed in GCC 7.1 (-Wpsabi): it concerns
# mixing objects from compilers older than that, never the case here.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
