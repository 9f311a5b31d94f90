# tests/engine/test_vector_mix.cmake: the mixer's loops hold vector code.
# Disassembles the engine library with the build's objdump (the target's:
# aarch64-linux-gnu-objdump in the ARM builds) and fails if a mix loop
# function (engine/engine.c: the rate-1 copy and the interpolated mix, the
# two paths a voice at constant gain (left and right: the pan) takes, and the
# ramp of fades and gain changes; engine/interpolate.c's block, hermite's
# cubic four values at a time) has no packed float instruction:
# SSE's mulps/addps on x86-64, NEON's fmul/fadd on .4s lanes on arm64,
# NEON's vmul.f32/vadd.f32 on q registers on 32-bit ARM with NEON (the
# armhf-neon build: engine/vector.h; NEON=ON). Baseline armhf has no vector
# unit: nothing to check.
# Usage: cmake -DOBJDUMP=... -DLIBRARY=libflitz_engine.a -DPROCESSOR=...
#   [-DNEON=ON] -P
execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn ${LIBRARY}
  OUTPUT_VARIABLE listing RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "${OBJDUMP} -d ${LIBRARY} failed (${code})")
endif()
if(PROCESSOR MATCHES "x86_64|AMD64")
  set(vector "(mulps|addps)[ \t]")
elseif(PROCESSOR MATCHES "aarch64|arm64")
  set(vector "(fmul|fadd)[ \t]+v[0-9]+\\.4s")
elseif(PROCESSOR MATCHES "^arm" AND NEON)
  set(vector "v(mul|add)\\.f32[ \t]+q[0-9]+")
else()
  message(STATUS "no vector pattern for ${PROCESSOR}: nothing to check")
  return()
endif()
foreach(function flz_engine_mix_copy flz_engine_mix_interpolated flz_engine_mix_ramp
    flz_interpolate_block)
  string(FIND "${listing}" "<${function}>:" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${function}: not in the disassembly of ${LIBRARY}")
  endif()
  string(SUBSTRING "${listing}" ${at} -1 body)
  string(FIND "${body}" "\n\n" end)
  string(SUBSTRING "${body}" 0 ${end} body)
  string(REGEX MATCHALL "${vector}" found "${body}")
  list(LENGTH found count)
  if(count EQUAL 0)
    message(FATAL_ERROR "${function}: no vector instruction (${vector}) in its loops")
  endif()
  message(STATUS "${function}: ${count} vector instructions")
endforeach()
