# tests/arm/host-flitz.cmake: `cmake -P` script behind the host_flitz test
# fixture of a cross build. Configures FLZ_HOST_BUILD_DIR for the host (first
# time only, so an existing host build keeps its own settings) and builds its
# flitz and default kit there, with the host's compiler and pkg-config.
# Owns: nothing but that folder; never touches the cross build.
foreach(variable FLZ_SOURCE_DIR FLZ_HOST_BUILD_DIR)
  if(NOT ${variable})
    message(FATAL_ERROR "host-flitz.cmake: pass -D${variable}=...")
  endif()
endforeach()

# Nothing of a cross environment may leak into the host build.
set(host_env ${CMAKE_COMMAND} -E env --unset=CMAKE_TOOLCHAIN_FILE --unset=CC
  --unset=PKG_CONFIG_LIBDIR --unset=PKG_CONFIG_SYSROOT_DIR --unset=PKG_CONFIG_PATH)
if(NOT EXISTS ${FLZ_HOST_BUILD_DIR}/CMakeCache.txt)
  execute_process(COMMAND ${host_env} ${CMAKE_COMMAND} -S ${FLZ_SOURCE_DIR} -B ${FLZ_HOST_BUILD_DIR}
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLZ_BUILD_TESTS=OFF
    COMMAND_ERROR_IS_FATAL ANY)
endif()
execute_process(COMMAND ${host_env} ${CMAKE_COMMAND} --build ${FLZ_HOST_BUILD_DIR}
    --target flitz default_kit --parallel 2
  COMMAND_ERROR_IS_FATAL ANY)
