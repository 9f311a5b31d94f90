# toolchains/arm-linux-gnueabihf.cmake: cross-compiles Flitz for 32-bit ARM
# Linux with hardware floating point (32-bit Raspberry Pi OS, Debian armhf:
# ARMv7 + VFPv3-D16, so Pi 2 and later) with Debian's gcc-arm-linux-gnueabihf
# against the sysroot tools/mksysroot armhf makes, and runs target programs
# (tests, flitz-mkkit) under qemu-arm.
# Owns: compiler, sysroot, pkg-config and emulator settings; nothing else.
set(FLZ_CROSS_TRIPLET arm-linux-gnueabihf)
set(FLZ_CROSS_PROCESSOR arm)
set(FLZ_CROSS_DEBIAN_ARCH armhf)
set(FLZ_CROSS_QEMU qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
