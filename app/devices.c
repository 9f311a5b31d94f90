/* app/devices.c: `flitz devices` (app/devices.h). */
#include "app/devices.h"

#include <stdio.h>

#include "engine/result.h"
#include "platform/audio_output.h"
#include "platform/input.h"

static void flz_devices_print_audio(void *user, const char *driver, const char *name)
{
  (void)user;
  printf("audio %s \"%s\"\n", driver, name);
}

static void flz_devices_print_controller(void *user, int32_t device, const char *name)
{
  (void)user;
  printf("controller %d \"%s\"\n", device, name);
}

int flz_devices_main(int argc, char **argv)
{
  if (argc > 1) {
    fprintf(stderr, "flitz devices: unexpected argument %s\n", argv[1]);
    return 2;
  }
  int audio = flz_audio_output_list_devices(flz_devices_print_audio, NULL);
  if (audio == FLZ_ERR_NO_AUDIO_DEVICE)
    printf("audio: %s\n", flz_result_message(FLZ_ERR_NO_AUDIO_DEVICE));
  else if (audio == 0)
    printf("audio: no output device listed\n");
  char detail[256] = "";
  if (flz_input_init(detail, sizeof detail) != FLZ_OK) {
    fprintf(stderr, "flitz devices: game controllers: %s\n", detail);
    return 1;
  }
  if (flz_input_list_controllers(flz_devices_print_controller, NULL) == 0)
    printf("controllers: none connected\n");
  flz_input_quit();
  return 0;
}
