/* app/devices.c: `flitz devices` (app/devices.h). Owns only its listing;
 * must not open the audio output or start MIDI input. */
#include "app/devices.h"

#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "app/config.h"
#include "app/options.h"
#include "engine/result.h"
#include "platform/audio_output.h"
#include "platform/input.h"
#include "platform/midi.h"

static void flz_devices_print_audio(void *user, const char *driver, const char *name)
{
  (void)user;
  printf("audio %s \"%s\"\n", driver, name);
}

static void flz_devices_print_midi(void *user, int32_t device, const char *address,
                                   const char *name, int hardware)
{
  (void)user;
  (void)device;
  printf("midi %s \"%s\" %s\n", address, name, hardware ? "read" : "not-read");
}

static void flz_devices_print_controller(void *user, int32_t device, const char *name)
{
  (void)user;
  printf("controller %d \"%s\"\n", device, name);
}

static void flz_devices_rule(const flz_config *c, const char *name, flz_config_rule rule)
{
  if (rule.action == FLZ_CONFIG_NONE)
    return;
  char text[FLZ_CONFIG_RULE_TEXT];
  flz_config_rule_text(c, rule, text, sizeof text);
  printf(" %s=%s", name, text);
}

static void flz_devices_print_mapping(const flz_config *c)
{
  char name[64];
  printf("map midi channel=");
  if (c->channel == 0)
    printf("all");
  else
    printf("%u", c->channel);
  printf(" program=%s", c->program_bank ? "bank" : "none");
  for (int i = 0; i < 128; i++) {
    snprintf(name, sizeof name, "%d", i);
    flz_devices_rule(c, name, c->notes[i]);
  }
  for (int i = 0; i < 128; i++) {
    snprintf(name, sizeof name, "cc:%d", i);
    flz_devices_rule(c, name, c->cc[i]);
  }
  printf("\nmap controller velocity=%g", (double)c->velocity);
  for (int i = 0; i < FLZ_CONFIG_CONTROLS; i++)
    flz_devices_rule(c, flz_config_control_name(i), c->buttons[i]);
  for (uint32_t i = 0; i < c->combo_count; i++) {
    snprintf(name, sizeof name, "%s+%s", flz_config_control_name(c->combos[i].modifier),
             flz_config_control_name(c->combos[i].button));
    flz_devices_rule(c, name, c->combos[i].rule);
  }
  printf("\nmap keys");
  for (int32_t i = 1; i < FLZ_CONFIG_KEYS; i++) {
    if (c->keys[i].action == FLZ_CONFIG_NONE)
      continue;
    const char *key = flz_input_key_name(i);
    if (key[0] != '\0' && strchr(key, ' ') == NULL)
      snprintf(name, sizeof name, "%s", key);
    else
      snprintf(name, sizeof name, "usage%d", i);
    flz_devices_rule(c, name, c->keys[i]);
  }
  printf("\nmap banks size=%u banks=%u\n", c->bank_size, flz_config_banks(c));
}

int flz_devices_main(int argc, char **argv)
{
  flz_options options;
  flz_options_init(&options);
  int index = 1;
  char why[256];
  if (flz_options_parse(argc, argv, &index, &options, why, sizeof why) != FLZ_OK) {
    fprintf(stderr, "flitz devices: %s\n", why);
    return 2;
  }
  if (index < argc) {
    fprintf(stderr, "flitz devices: unexpected argument %s\n", argv[index]);
    return 2;
  }
  char default_path[4096];
  if (options.config_path == NULL &&
      flz_config_default_path(default_path, sizeof default_path) == FLZ_OK)
    options.config_path = default_path;
  flz_config config;
  if (flz_config_resolve(&options, &config, stderr) != FLZ_OK)
    return 2;

  int audio = flz_audio_output_list_devices(flz_devices_print_audio, NULL);
  if (audio == FLZ_ERR_NO_AUDIO_DEVICE)
    printf("audio: %s\n", flz_result_message(FLZ_ERR_NO_AUDIO_DEVICE));
  else if (audio == 0)
    printf("audio: no output device listed\n");
  char detail[256] = "";
  int ports = flz_midi_list_ports(flz_devices_print_midi, NULL, detail, sizeof detail);
  if (ports < 0)
    printf("midi: %s\n", detail);
  else if (ports == 0)
    printf("midi: no ports\n");
  glob_t raw;
  memset(&raw, 0, sizeof raw);
  if (glob("/dev/snd/midiC*D*", 0, NULL, &raw) == 0)
    for (size_t i = 0; i < raw.gl_pathc; i++)
      printf("midi-raw %s\n", raw.gl_pathv[i]);
  globfree(&raw);
  if (flz_input_open(detail, sizeof detail) != FLZ_OK) {
    fprintf(stderr, "flitz devices: game controllers: %s\n", detail);
    return 1;
  }
  if (flz_input_list_controllers(flz_devices_print_controller, NULL) == 0)
    printf("controllers: none connected\n");
  flz_input_close();
  flz_devices_print_mapping(&config);
  return 0;
}
