/* engine/result.c: messages and names of the codes in engine/result.h. */
#include "engine/result.h"

const char *flz_result_message(int result)
{
  switch (result) {
#define FLZ_RESULT_CASE(name, value, message)                                                      \
  case value:                                                                                      \
    return message;
    FLZ_RESULT_LIST(FLZ_RESULT_CASE)
#undef FLZ_RESULT_CASE
  default:
    return "unknown error";
  }
}

const char *flz_result_name(int result)
{
  switch (result) {
#define FLZ_RESULT_CASE(name, value, message)                                                      \
  case value:                                                                                      \
    return #name;
    FLZ_RESULT_LIST(FLZ_RESULT_CASE)
#undef FLZ_RESULT_CASE
  default:
    return "FLZ_ERR_UNKNOWN";
  }
}
