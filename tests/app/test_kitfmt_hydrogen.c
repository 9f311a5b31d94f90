/* tests/app/test_kitfmt_hydrogen.c: the Hydrogen drumkit reader
 * (app/kitfmt/hydrogen.h) on the real kits of Debian's hydrogen-data and
 * hydrogen-drumkits (tools/setup test installs both under
 * FLZ_HYDROGEN_KITS), and on broken drumkit.xml files written here.
 * The expected values were read from the XML with python3's
 * xml.etree.ElementTree, not with this reader.
 * Owns: only its temporary folder under /tmp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/kitfmt/hydrogen.h"
#include "engine/result.h"

static char why[512];

static void read_kit(const char *folder, flz_hydrogen_kit *kit)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", FLZ_HYDROGEN_KITS, folder);
  int result = flz_hydrogen_read(path, kit, why, sizeof why);
  if (result != FLZ_OK)
    fail_msg("%s", why);
}

static void gmrockkit_has_its_instruments_layers_and_notes(void **state)
{
  (void)state;
  flz_hydrogen_kit kit;
  read_kit("GMRockKit", &kit);
  assert_string_equal(kit.name, "GMRockKit");
  assert_int_equal(kit.instrument_count, 18);
  const flz_hydrogen_instrument *kick = &kit.instruments[0];
  assert_int_equal(kick->id, 0);
  assert_string_equal(kick->name, "Kick");
  assert_float_equal(kick->volume, 1.0f, 0.0f);
  assert_float_equal(kick->release, 1000.0f, 0.0f);
  assert_float_equal(kick->sustain, 1.0f, 0.0f);
  assert_int_equal(kick->mute_group, -1);
  assert_int_equal(kick->selection, FLZ_HYDROGEN_VELOCITY);
  assert_int_equal(kick->midi_out_note, 36);
  assert_int_equal(kick->note, 36);
  assert_int_equal(kick->layer_count, 5);
  static const char *files[5] = {"Kick-Softest.wav", "Kick-Soft.wav", "Kick-Med.wav",
                                 "Kick-Hard.wav", "Kick-Hardest.wav"};
  static const float bounds[6] = {0.0f, 0.202899f, 0.369565f, 0.731884f, 0.865942f, 1.0f};
  /* MIDI v is in a layer when min <= v / 127 <= max: 0.202899 * 127 =
   * 25.77, 0.369565 * 127 = 46.93, 0.731884 * 127 = 92.95, 0.865942 * 127 =
   * 109.97. */
  static const uint8_t lovel[5] = {1, 26, 47, 93, 110}, hivel[5] = {25, 46, 92, 109, 127};
  for (int i = 0; i < 5; i++) {
    const flz_hydrogen_layer *layer = &kick->layers[i];
    char path[512];
    snprintf(path, sizeof path, "%s/GMRockKit/%s", FLZ_HYDROGEN_KITS, files[i]);
    assert_string_equal(layer->path, path);
    assert_float_equal(layer->min, bounds[i], 0.0f);
    assert_float_equal(layer->max, bounds[i + 1], 0.0f);
    assert_int_equal(layer->lovel, lovel[i]);
    assert_int_equal(layer->hivel, hivel[i]);
    assert_float_equal(layer->gain, 1.0f, 0.0f);
    assert_float_equal(layer->pitch, 0.0f, 0.0f);
    assert_int_equal(layer->component_id, 0);
  }
  /* Stick: <pan>-0.3</pan>, so the left side stays at 1. */
  const flz_hydrogen_instrument *stick = &kit.instruments[1];
  assert_string_equal(stick->name, "Stick");
  assert_float_equal(stick->volume, 0.99569f, 0.0f);
  assert_float_equal(stick->pan, -0.3f, 0.0f);
  assert_float_equal(stick->pan_l, 1.0f, 0.0f);
  assert_float_equal(stick->pan_r, 0.7f, 1e-6f);
  /* Ride 2 lists its layers loudest first: 0.8..1 is 102..127. */
  const flz_hydrogen_instrument *ride = &kit.instruments[14];
  assert_string_equal(ride->name, "Ride 2");
  assert_float_equal(ride->layers[0].min, 0.8f, 0.0f);
  assert_int_equal(ride->layers[0].lovel, 102);
  assert_int_equal(ride->layers[0].hivel, 127);
  assert_int_equal(ride->layers[1].lovel, 77);
  assert_int_equal(ride->layers[1].hivel, 101);
  /* Notes 36 upward in order; <midiOutNote> of Ride is 51, not its note. */
  for (uint32_t i = 0; i < kit.instrument_count; i++)
    assert_int_equal(kit.instruments[i].note, 36 + (int)i);
  assert_int_equal(kit.instruments[12].midi_out_note, 51);
  flz_hydrogen_free(&kit);
  assert_null(kit.instruments);
}

/* Every instrument of GMRockKit with five layers covers each MIDI velocity
 * 1..127 with exactly one of them. */
static void gmrockkit_layers_cover_every_velocity_once(void **state)
{
  (void)state;
  flz_hydrogen_kit kit;
  read_kit("GMRockKit", &kit);
  uint32_t five = 0;
  for (uint32_t i = 0; i < kit.instrument_count; i++) {
    const flz_hydrogen_instrument *instrument = &kit.instruments[i];
    if (instrument->layer_count != 5)
      continue;
    five++;
    for (int v = 1; v <= 127; v++) {
      int holders = 0;
      for (uint32_t j = 0; j < 5; j++)
        holders += instrument->layers[j].lovel <= v && v <= instrument->layers[j].hivel;
      if (holders != 1)
        fail_msg("%s: velocity %d is in %d layers", instrument->name, v, holders);
    }
  }
  assert_int_equal(five, 17); /* all but Hand Clap */
  flz_hydrogen_free(&kit);
}

/* Every kit of both packages reads, with the name, instrument and layer
 * counts python3 counted (layers: <layer> in instruments and their
 * components, plus the oldest kits' single <filename>), and every sample
 * path names a file that is there, but the 17 that Millo_MultiLayered2
 * names and Debian does not ship (misc_Cowbell.flac, emptySample.flac 16
 * times): the reader gives them, the loader is the one to refuse them. */
static void every_debian_kit_reads_with_its_counts(void **state)
{
  (void)state;
  static const struct {
    const char *folder, *name;
    uint32_t instruments, layers, missing;
  } kits[] = {
    {"Audiophob", "Audiophob", 14, 14, 0},
    {"BJA_Pacific", "BJA_Pacific", 32, 86, 0},
    {"ColomboAcousticDrumkit", "ColomboAcousticDrumkit", 32, 31, 0},
    {"ElectricEmpireKit", "ElectricEmpireKit", 32, 32, 0},
    {"ForzeeStereo", "Forzee Stereo Drumkit", 27, 124, 0},
    {"GMRockKit", "GMRockKit", 18, 86, 0},
    {"Gimme A Hand 1.0", "Gimme A Hand 1.0", 14, 70, 0},
    {"HardElectro1", "HardElectro1", 16, 16, 0},
    {"Millo-Drums_v.1", "Millo-Drums_v.1", 32, 32, 0},
    {"Millo_MultiLayered2", "Millo_MultiLayered2", 32, 83, 17},
    {"Millo_MultiLayered3", "Millo_MultiLayered3", 32, 40, 0},
    {"TR808EmulationKit", "TR808EmulationKit", 16, 16, 0},
    {"The Black Pearl 1.0", "The Black Pearl 1.0", 22, 106, 0},
    {"VariBreaks", "VariBreaks", 16, 16, 0},
    {"circAfrique v4", "circAfrique v4", 32, 27, 0},
    {"rumpf_kit_z01_h2", "rumpf_kit_z01_gm", 82, 82, 0},
  };
  for (size_t k = 0; k < sizeof kits / sizeof kits[0]; k++) {
    flz_hydrogen_kit kit;
    read_kit(kits[k].folder, &kit);
    assert_string_equal(kit.name, kits[k].name);
    assert_int_equal(kit.instrument_count, kits[k].instruments);
    uint32_t layers = 0, missing = 0;
    for (uint32_t i = 0; i < kit.instrument_count; i++) {
      for (uint32_t j = 0; j < kit.instruments[i].layer_count; j++)
        missing += access(kit.instruments[i].layers[j].path, R_OK) != 0;
      layers += kit.instruments[i].layer_count;
    }
    assert_int_equal(layers, kits[k].layers);
    assert_int_equal(missing, kits[k].missing);
    flz_hydrogen_free(&kit);
  }
}

static void old_layouts_read_as_layers(void **state)
{
  (void)state;
  flz_hydrogen_kit kit;
  /* The oldest layout: one <filename> in the instrument, pan_L/pan_R. */
  read_kit("Millo-Drums_v.1/drumkit.xml", &kit);
  const flz_hydrogen_instrument *kick = &kit.instruments[0];
  assert_string_equal(kick->name, "Kick");
  assert_int_equal(kick->layer_count, 1);
  assert_string_equal(kick->layers[0].path, FLZ_HYDROGEN_KITS "/Millo-Drums_v.1/bd1.flac");
  assert_float_equal(kick->layers[0].min, 0.0f, 0.0f);
  assert_float_equal(kick->layers[0].max, 1.0f, 0.0f);
  assert_int_equal(kick->layers[0].lovel, 1);
  assert_int_equal(kick->layers[0].hivel, 127);
  /* pan_L 1, pan_R 0.88: Hydrogen's pan is 0.88 / 1 - 1. */
  assert_float_equal(kick->pan_l, 1.0f, 0.0f);
  assert_float_equal(kick->pan_r, 0.88f, 0.0f);
  assert_float_equal(kick->pan, -0.12f, 1e-6f);
  assert_int_equal(kick->midi_out_note, -1);
  assert_float_equal(kit.instruments[1].volume, 0.69f, 0.0f);
  flz_hydrogen_free(&kit);
  /* <layer>s straight in the instrument, loudest first: 0.875..1 and
   * 0.75..0.875 are 112..127 and 96..111 (0.875 * 127 = 111.1). */
  read_kit("BJA_Pacific", &kit);
  const flz_hydrogen_instrument *bass = &kit.instruments[0];
  assert_string_equal(bass->name, "BassDrum");
  assert_int_equal(bass->layer_count, 8);
  assert_string_equal(bass->layers[0].path, FLZ_HYDROGEN_KITS "/BJA_Pacific/BD_08.aiff");
  assert_int_equal(bass->layers[0].lovel, 112);
  assert_int_equal(bass->layers[0].hivel, 127);
  assert_int_equal(bass->layers[1].lovel, 96);
  assert_int_equal(bass->layers[1].hivel, 111);
  assert_float_equal(kit.instruments[1].volume, 0.84f, 0.0f);
  flz_hydrogen_free(&kit);
}

static void a_kit_with_midi_in_notes_uses_them(void **state)
{
  (void)state;
  flz_hydrogen_kit kit;
  read_kit("ForzeeStereo", &kit);
  /* <midiInNote>s in file order: 35 41 45 50 ...; Release 4000. */
  static const int32_t notes[4] = {35, 41, 45, 50};
  for (int i = 0; i < 4; i++)
    assert_int_equal(kit.instruments[i].note, notes[i]);
  assert_float_equal(kit.instruments[0].release, 4000.0f, 0.0f);
  assert_int_equal(kit.instruments[0].layer_count, 5);
  assert_float_equal(kit.instruments[0].layers[0].max, 0.2f, 0.0f);
  assert_int_equal(kit.instruments[0].layers[0].hivel, 25); /* 0.2 * 127 = 25.4 */
  flz_hydrogen_free(&kit);
  /* The newer layout with <instrumentComponent>. */
  read_kit("TR808EmulationKit", &kit);
  assert_int_equal(kit.instruments[0].layer_count, 1);
  assert_string_equal(kit.instruments[0].layers[0].path,
                      FLZ_HYDROGEN_KITS "/TR808EmulationKit/808_Kick_Long.flac");
  assert_int_equal(kit.instruments[0].midi_out_note, 35);
  assert_int_equal(kit.instruments[0].note, 36);
  flz_hydrogen_free(&kit);
}

static char folder[64];

static int parse_text(const char *text, flz_hydrogen_kit *kit)
{
  snprintf(folder, sizeof folder, "/tmp/flitz-hydrogen-XXXXXX");
  assert_non_null(mkdtemp(folder));
  char file[128];
  snprintf(file, sizeof file, "%s/drumkit.xml", folder);
  FILE *out = fopen(file, "w");
  assert_non_null(out);
  fputs(text, out);
  fclose(out);
  int result = flz_hydrogen_read(folder, kit, why, sizeof why);
  remove(file);
  rmdir(folder);
  return result;
}

static void expect_error(const char *text, int code, int line, const char *reason)
{
  flz_hydrogen_kit kit;
  assert_int_equal(parse_text(text, &kit), code);
  char expected[512];
  if (line > 0)
    snprintf(expected, sizeof expected, "%s/drumkit.xml:%d: %s", folder, line, reason);
  else
    snprintf(expected, sizeof expected, "%s/drumkit.xml: %s", folder, reason);
  assert_string_equal(why, expected);
  assert_null(kit.instruments);
  assert_null(kit.name);
}

static void a_broken_file_is_one_line_naming_file_line_and_reason(void **state)
{
  (void)state;
  expect_error("<drumkit_info>\n<name>x</name>\n<instrumentList><instrument>\n<id>0</id>\n",
               FLZ_ERR_SYNTAX, 5, "no element found");
  expect_error("<drumkit_info>\n<instrumentList>\n<instrument><id>0</id><layer>\n"
               "<filename>a.wav</filename>\n<min>loud</min></layer></instrument>"
               "</instrumentList></drumkit_info>\n",
               FLZ_ERR_SYNTAX, 5, "<min> is not a number: 'loud'");
  expect_error("<song><name>x</name></song>\n", FLZ_ERR_SYNTAX, 1,
               "the root element is <song>, not <drumkit_info>");
  expect_error("<drumkit_info><instrumentList><instrument>\n<layer><min>0</min>\n</layer>"
               "</instrument></instrumentList></drumkit_info>\n",
               FLZ_ERR_SYNTAX, 3, "<layer> without <filename>");
  expect_error("<drumkit_info><instrumentList><instrument>\n<sampleSelectionAlgo>LOUDEST"
               "</sampleSelectionAlgo></instrument></instrumentList></drumkit_info>\n",
               FLZ_ERR_SYNTAX, 2,
               "<sampleSelectionAlgo> must be VELOCITY, ROUND_ROBIN or RANDOM, not 'LOUDEST'");
  expect_error("<drumkit_info><instrumentList><instrument><muteGroup>99999999999"
               "</muteGroup></instrument></instrumentList></drumkit_info>",
               FLZ_ERR_SYNTAX, 1, "<muteGroup> is not an integer: '99999999999'");
  expect_error("", FLZ_ERR_SYNTAX, 1, "no element found");

  flz_hydrogen_kit kit;
  assert_int_equal(flz_hydrogen_read("/nonexistent/kit", &kit, why, sizeof why), FLZ_ERR_NOT_FOUND);
  assert_string_equal(why, "/nonexistent/kit: No such file or directory");
  snprintf(folder, sizeof folder, "/tmp/flitz-hydrogen-XXXXXX");
  assert_non_null(mkdtemp(folder));
  assert_int_equal(flz_hydrogen_read(folder, &kit, why, sizeof why), FLZ_ERR_NOT_FOUND);
  char expected[128];
  snprintf(expected, sizeof expected, "%s/drumkit.xml: No such file or directory", folder);
  assert_string_equal(why, expected);
  rmdir(folder);
}

/* A minimal kit: defaults where elements are absent, absolute paths kept,
 * <pan> past -1..1 clamped, components' ids and gains on their layers, and
 * an instrument with no layer. */
static void absent_elements_take_hydrogens_defaults(void **state)
{
  (void)state;
  flz_hydrogen_kit kit;
  assert_int_equal(parse_text("<drumkit_info><instrumentList>"
                              "<instrument><layer><filename>/abs/a.wav</filename></layer>"
                              "<pan>-3</pan></instrument>"
                              "<instrument><instrumentComponent><layer><filename>b.wav</filename>"
                              "<min>0.5</min></layer><component_id>2</component_id>"
                              "<gain>0.5</gain></instrumentComponent><muteGroup>3</muteGroup>"
                              "<sampleSelectionAlgo>ROUND_ROBIN</sampleSelectionAlgo>"
                              "</instrument><instrument/></instrumentList></drumkit_info>",
                              &kit),
                   FLZ_OK);
  assert_string_equal(kit.name, "");
  assert_int_equal(kit.instrument_count, 3);
  const flz_hydrogen_instrument *a = &kit.instruments[0];
  assert_string_equal(a->name, "");
  assert_string_equal(a->layers[0].path, "/abs/a.wav");
  assert_float_equal(a->volume, 1.0f, 0.0f);
  assert_float_equal(a->pan, -1.0f, 0.0f);
  assert_float_equal(a->pan_l, 1.0f, 0.0f);
  assert_float_equal(a->pan_r, 0.0f, 0.0f);
  assert_float_equal(a->attack, 0.0f, 0.0f);
  assert_float_equal(a->release, 1000.0f, 0.0f);
  assert_int_equal(a->mute_group, -1);
  assert_int_equal(a->midi_in_note, -1);
  assert_int_equal(a->layers[0].lovel, 1);
  assert_int_equal(a->layers[0].hivel, 127);
  const flz_hydrogen_instrument *b = &kit.instruments[1];
  char path[128];
  snprintf(path, sizeof path, "%s/b.wav", folder);
  assert_string_equal(b->layers[0].path, path);
  assert_int_equal(b->layers[0].component_id, 2);
  assert_float_equal(b->layers[0].component_gain, 0.5f, 0.0f);
  assert_int_equal(b->layers[0].lovel, 64); /* 64 / 127 = 0.504 */
  assert_int_equal(b->mute_group, 3);
  assert_int_equal(b->selection, FLZ_HYDROGEN_ROUND_ROBIN);
  assert_int_equal(b->note, 37);
  assert_int_equal(kit.instruments[2].layer_count, 0);
  assert_int_equal(kit.instruments[2].note, 38);
  flz_hydrogen_free(&kit);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(gmrockkit_has_its_instruments_layers_and_notes),
    cmocka_unit_test(gmrockkit_layers_cover_every_velocity_once),
    cmocka_unit_test(every_debian_kit_reads_with_its_counts),
    cmocka_unit_test(old_layouts_read_as_layers),
    cmocka_unit_test(a_kit_with_midi_in_notes_uses_them),
    cmocka_unit_test(a_broken_file_is_one_line_naming_file_line_and_reason),
    cmocka_unit_test(absent_elements_take_hydrogens_defaults),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
