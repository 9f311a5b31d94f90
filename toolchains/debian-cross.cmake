# toolchains/debian-cross.cmake: the part the ARM toolchain files share; they
# set FLZ_CROSS_TRIPLET (compiler prefix and multiarch folder),
# FLZ_CROSS_PROCESSOR, FLZ_CROSS_DEBIAN_ARCH and FLZ_CROSS_QEMU, then include
# this file. Not a toolchain file by itself.
# Owns: the Debian cross compiler, the sysroot (cache variable FLZ_SYSROOT,
# default build/sysroot-<debian arch> in the source tree, made by
# tools/mksysroot), pkg-config's view of the sysroot, and the emulator that
# runs target programs at build and test time. Sets no compiler flags: the
# toolchain file that includes this one may (ABI choices of its target).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${FLZ_CROSS_PROCESSOR})

set(FLZ_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build/sysroot-${FLZ_CROSS_DEBIAN_ARCH}"
  CACHE PATH "Target root filesystem to build against (tools/mksysroot ${FLZ_CROSS_DEBIAN_ARCH} makes it)")
get_filename_component(FLZ_SYSROOT_ABS "${FLZ_SYSROOT}" ABSOLUTE)
if(NOT EXISTS "${FLZ_SYSROOT_ABS}/usr/lib/${FLZ_CROSS_TRIPLET}/pkgconfig/sdl2.pc")
  message(FATAL_ERROR "No ${FLZ_CROSS_DEBIAN_ARCH} sysroot at ${FLZ_SYSROOT_ABS}: "
    "run tools/mksysroot ${FLZ_CROSS_DEBIAN_ARCH} (or set FLZ_SYSROOT)")
endif()

set(CMAKE_C_COMPILER ${FLZ_CROSS_TRIPLET}-gcc)
set(CMAKE_SYSROOT "${FLZ_SYSROOT_ABS}")
set(CMAKE_FIND_ROOT_PATH "${FLZ_SYSROOT_ABS}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The host's pkg-config reads only the sysroot's .pc files and prefixes the
# paths they name with the sysroot, so SDL2, stb, ALSA and cmocka come from
# the target's packages.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${FLZ_SYSROOT_ABS}")
set(ENV{PKG_CONFIG_LIBDIR}
  "${FLZ_SYSROOT_ABS}/usr/lib/${FLZ_CROSS_TRIPLET}/pkgconfig:${FLZ_SYSROOT_ABS}/usr/share/pkgconfig")
unset(ENV{PKG_CONFIG_PATH})

# The target's dynamic loader and libraries come from the sysroot (-L), so
# ctest and the build-time tools run the ARM programs on this machine.
set(CMAKE_CROSSCOMPILING_EMULATOR ${FLZ_CROSS_QEMU} -L "${FLZ_SYSROOT_ABS}")
