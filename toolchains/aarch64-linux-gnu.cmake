# toolchains/aarch64-linux-gnu.cmake: cross-compiles Flitz for 64-bit ARM
# Linux (Raspberry Pi 3, 4, 5, Zero 2 W on a 64-bit OS) with Debian's
# gcc-aarch64-linux-gnu against the sysroot tools/mksysroot arm64 makes, and
# runs target programs (tests, flitz-mkkit) under qemu-aarch64.
# Owns: compiler, sysroot, pkg-config and emulator settings; nothing else.
set(FLZ_CROSS_TRIPLET aarch64-linux-gnu)
set(FLZ_CROSS_PROCESSOR aarch64)
set(FLZ_CROSS_DEBIAN_ARCH arm64)
set(FLZ_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
