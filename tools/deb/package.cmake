# tools/deb/package.cmake: the Debian package of Flitz, made by CPack
# (`cpack -G DEB` in a build folder; the top-level CMakeLists.txt includes
# this file last). One package, flitz_VERSION_ARCH.deb, for the build's
# architecture: amd64 from a host build, arm64 and armhf from the aarch64 and
# armhf presets (the toolchain files say which).
# Owns: what the package holds beyond the targets' own install rules (the
# binary in bin/ and the default kit in share/flitz/kits/default): the
# example config /etc/flitz/flitz.conf, the unit flitz.service, its wrapper
# /usr/lib/flitz/flitz-service, the service's user
# (/usr/lib/sysusers.d/flitz.conf) and the maintainer scripts. Must not change
# how anything is built.
set(FLZ_DEB_DIR ${CMAKE_CURRENT_LIST_DIR})

install(FILES ${FLZ_DEB_DIR}/flitz.conf DESTINATION /etc/flitz)
install(FILES ${FLZ_DEB_DIR}/flitz.service DESTINATION /lib/systemd/system)
install(PROGRAMS ${FLZ_DEB_DIR}/flitz-service DESTINATION lib/flitz)
install(FILES ${FLZ_DEB_DIR}/flitz.sysusers DESTINATION lib/sysusers.d RENAME flitz.conf)

if(FLZ_CROSS_DEBIAN_ARCH)
  set(FLZ_DEB_ARCH ${FLZ_CROSS_DEBIAN_ARCH})
else()
  execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE FLZ_DEB_ARCH
    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE FLZ_DEB_ARCH_RESULT)
  if(NOT FLZ_DEB_ARCH_RESULT EQUAL 0)
    set(FLZ_DEB_ARCH amd64)
  endif()
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME flitz)
set(CPACK_PACKAGE_VENDOR "Flitz")
set(CPACK_PACKAGE_CONTACT "Flitz maintainers <flitz@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "pad sampler and looper for embedded Linux")
set(CPACK_PACKAGE_DESCRIPTION "Flitz plays a folder of samples from pads: USB pad controllers, \
game controllers, or a keyboard in its window. This package runs it at boot as the \
service flitz.service, headless, on kits from /var/lib/flitz/kits or a USB stick.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${FLZ_DEB_ARCH})
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Listed by hand: dpkg-shlibdeps needs the target's dpkg database, which a
# sysroot unpacked by tools/mksysroot does not have. These are the
# libraries flitz links (readelf -d: NEEDED), by their Debian 12 packages,
# fonts-dejavu-core for the window's text,
# and libsamplerate0, which SDL loads at run time for flitz's sample rate
# conversion; systemd (systemd-sysusers) and init-system-helpers are for the
# maintainer scripts. tools/mkimage puts exactly these in the image.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libc6 (>= 2.34), libsdl2-2.0-0 (>= 2.26.0), libsdl2-ttf-2.0-0 (>= 2.20), fonts-dejavu-core, libasound2 (>= 1.2), libstb0, libflac12 (>= 1.4), libsndfile1 (>= 1.2), \
libinih1 (>= 55), libexpat1 (>= 2.5), libsamplerate0 (>= 0.2), systemd, init-system-helpers (>= 1.54)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${FLZ_DEB_DIR}/conffiles ${FLZ_DEB_DIR}/postinst ${FLZ_DEB_DIR}/prerm ${FLZ_DEB_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
