# toolchains/arm-linux-gnueabihf-neon.cmake: the armhf build
# (arm-linux-gnueabihf.cmake: same compiler, sysroot and qemu-arm) for Pi 2
# and later only, with NEON and VFPv4 (-mfpu=neon-vfpv4: Cortex-A7 and up).
# Owns: the FPU flag; everything else is armhf's.
include(${CMAKE_CURRENT_LIST_DIR}/arm-linux-gnueabihf.cmake)
set(CMAKE_C_FLAGS_INIT "-mfpu=neon-vfpv4")
