/* app/main.c: the flitz command's entry: picks the subcommand.
 *   flitz [OPTIONS] [KIT]                         play (app/run.h)
 *   flitz render [OPTIONS] KIT EVENTS OUT.wav     offline render (app/render.h)
 *   flitz check KIT|FILE...                       decode and describe (app/check.h)
 *   flitz devices                                 list outputs and controllers
 *   flitz bench [--jitter | --latency | --load DIR]
 *                                                 benchmarks (tools/bench/bench.h)
 * The composition root: the only app/ file that reaches tools/ (flitz_bench).
 */
#include <string.h>

#include "app/check.h"
#include "app/devices.h"
#include "app/render.h"
#include "app/run.h"
#include "tools/bench/bench.h"

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
