# Install rules and the Debian package (CPack DEB): `make deb` / `make deb ARCH=arm64|armhf`.
# Package fickle-server: /usr/bin/fickle-server, /etc/fickle/fickle.conf (a conffile), the
# systemd unit, and maintainer scripts that create user `fickle` and /var/lib/fickle.
set(pkg_dir ${PROJECT_SOURCE_DIR}/packaging)
install(TARGETS fickle-server RUNTIME DESTINATION bin)
# Absolute destinations: these paths do not follow the install prefix on Debian.
install(FILES ${pkg_dir}/fickle.conf DESTINATION /etc/fickle)
install(FILES ${pkg_dir}/fickle-server.service DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/configuration.md
        DESTINATION share/doc/fickle-server)

# The Debian architecture: the toolchain file names it for cross builds, dpkg for native ones.
if(NOT FICKLE_DEB_ARCH)
  execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE FICKLE_DEB_ARCH
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME fickle-server)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Fickle developers <fickle@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Redis-compatible in-memory key-value server")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${FICKLE_DEB_ARCH})
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library packages by name rather than dpkg-shlibdeps, which a cross build cannot always run;
# these are the DT_NEEDED entries of fickle-server on Debian 12 (bookworm).
set(deps "libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1, libuv1 (>= 1.44), liblua5.1-0, lua-cjson, lua-bitop, adduser")
if(FICKLE_MIMALLOC)
  string(APPEND deps ", libmimalloc2.0")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${deps}")
# dpkg keeps a changed fickle.conf across upgrades only if it is listed as a conffile.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${pkg_dir}/conffiles ${pkg_dir}/postinst ${pkg_dir}/prerm
    ${pkg_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Fickle speaks the Redis protocol (RESP2/RESP3), reads redis.conf syntax and moves RDB and AOF files to and from Redis 7.0. This package runs it as the systemd service fickle-server under user fickle, with data in /var/lib/fickle.")
include(CPack)
