/* app/main.c: the flitz command's entry: picks the subcommand.
 *   flitz [OPTIONS] [KIT]                      play (app/run.h)
 *   flitz render [OPTIONS] KIT EVENTS OUT.wav  offline render (app/render.h)
 *   flitz check KIT|FILE...                    decode and describe (app/check.h)
 *   flitz devices                              list outputs and controllers
 *   flitz bench [--jitter | --load DIR]        benchmarks (app/bench.h)
 */
#include <string.h>

#include "app/bench.h"
#include "app/check.h"
#include "app/devices.h"
#include "app/render.h"
#include "app/run.h"

int main(int argc, char **argv)
{
  if (argc > 1 && strcmp(argv[1], "render") == 0)
    return flz_render_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "check") == 0)
    return flz_check_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "devices") == 0)
    return flz_devices_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "bench") == 0)
    return flz_bench_main(argc - 1, argv + 1);
  return flz_run_main(argc, argv);
}
