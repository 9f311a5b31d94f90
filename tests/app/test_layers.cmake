# tests/app/test_layers.cmake: the layers of DESIGN.md, checked on what the
# compiler made and on the sources. Run by ctest as
#   cmake -DNM=... -DOBJECTS=a.o|b.o|... -DSOURCE_DIR=... -P test_layers.cmake
#
# 1. app/ reaches the engine only through platform/sampler.h: no object file
#    of the app library references flz_engine_* or flz_pool_* (the sampler
#    owns the engine and its pool), nor a third-party library that only
#    platform/ may touch (SDL_*, TTF_*, snd_*, FLAC__*, sf_* (libsndfile),
#    stb_vorbis_*, stbi_*, pthread_*).
#    engine/ring.h's flz_ring_* is a plain data structure with no engine
#    state; app/triggers.c keeps its own notice ring with it, so it is not
#    on the list.
# 2. No file in engine/, app/ or tools/bench/ includes pthread.h or an SDL
#    header, and no file in app/ includes platform/'s internal headers
#    (platform/sampler_internal.h, platform/audio/).
cmake_minimum_required(VERSION 3.25)

set(forbidden_symbols "^(flz_engine_|flz_pool_|SDL_|TTF_|snd_|FLAC__|sf_|stb_vorbis_|stbi_|pthread_)")
set(forbidden_includes
  "#[ \t]*include[ \t]*[<\"](pthread\\.h|SDL2/|SDL[A-Za-z0-9_]*\\.h)")
set(internal_includes
  "#[ \t]*include[ \t]*[<\"]platform/(sampler_internal\\.h|audio/)")

string(REPLACE "|" ";" objects "${OBJECTS}")
set(failures "")

list(LENGTH objects object_count)
if(object_count EQUAL 0)
  message(FATAL_ERROR "test_layers: no object files given")
endif()
set(sampler_calls 0)
foreach(object IN LISTS objects)
  # CMake names an object after its source: .../flitz_app.dir/run.c.o
  get_filename_component(source "${object}" NAME)
  string(REGEX REPLACE "\\.(o|obj)$" "" source "${source}")
  execute_process(COMMAND "${NM}" -u "${object}" OUTPUT_VARIABLE out RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "test_layers: ${NM} -u ${object} failed")
  endif()
  string(REGEX MATCHALL "[^\n]+" lines "${out}")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*U[ \t]+" "" symbol "${line}")
    string(REGEX REPLACE "@.*$" "" symbol "${symbol}")
    if(symbol MATCHES "${forbidden_symbols}")
      list(APPEND failures "app/${source} references ${symbol}")
    elseif(symbol MATCHES "^flz_sampler_")
      math(EXPR sampler_calls "${sampler_calls} + 1")
    endif()
  endforeach()
endforeach()
# The app calls the sampler, so nm must have listed those calls: if it
# listed nothing, the check above proved nothing.
if(sampler_calls EQUAL 0)
  list(APPEND failures "nm listed no flz_sampler_* call in the app library")
endif()

file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}"
  "${SOURCE_DIR}/engine/*.[ch]" "${SOURCE_DIR}/app/*.[ch]" "${SOURCE_DIR}/tools/bench/*.[ch]")
foreach(source IN LISTS sources)
  file(STRINGS "${SOURCE_DIR}/${source}" lines REGEX "#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "${forbidden_includes}")
      list(APPEND failures "${source}: ${line}")
    endif()
    if(source MATCHES "^app/" AND line MATCHES "${internal_includes}")
      list(APPEND failures "${source}: ${line}")
    endif()
  endforeach()
endforeach()

if(failures)
  list(JOIN failures "\n  " text)
  message(FATAL_ERROR "test_layers: a layer is crossed:\n  ${text}")
endif()
message(STATUS "test_layers: ${object_count} app objects, ${sampler_calls} sampler calls, "
  "no layer crossed")
