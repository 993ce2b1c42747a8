/* fuzz-driver.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <stdint.h>

/* A stand-in for libFuzzer's main in builds without it (gcc, -Dfuzzing=false): runs every
 * file named on the command line (directories: every file in them, sorted) through
 * LLVMFuzzerTestOneInput, then deterministic mutations of each (a fixed-seed GRand): half
 * swap a JSON value for a hostile one or another value of the input (the JSON stays valid),
 * the others are bit flips, truncations, insertions of random bytes and of JSON tokens known
 * to hurt, chunk duplication and deletion, splices from another seed. FUZZ_ITERATIONS sets
 * the mutations per seed (2000 by default). */

#define DEFAULT_ITERATIONS 2000
#define RANDOM_SEED 20260318

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char * const tokens[] = {
  "\\u0000", "\\ud83d", "\\udc00", "\\ud83d\\ude00", "\\", "\\\\", "\"", "\"\"",
  "1e400", "-1e400", "123456789012345678901234567890", "9223372036854775808",
  "18446744075483391616", "-0", "0.5", "null", "true", "false", "[]", "{}", "[[[[[[[[",
  "]]]]", "{\"a\":", "}}}}", ",", ":", "\xff", "\xed\xa0\x80", "\xc3", "\xf0\x9f\x98",
  "\"messages\"", "\"statuses\"", "\"errors\"", "\"contacts\"", "\"metadata\"", "\"entry\"",
  "\"changes\"", "\"value\"", "\"field\"", "\"type\"", "\"id\"", "\"from\"",
  "\"timestamp\"", "\"text\"", "\"image\"", "\"location\"", "\"interactive\"",
  "\"nfm_reply\"", "\"response_json\"", "\"reaction\"", "\"system\"", "\"unsupported\"",
  "\"hologram\"", "\"latitude\"", "\"wa_id\"", "\"user_id\"", "\"from_user_id\"",
  "\"referral\"", "\"context\"", "\"whatsapp_business_account\"",
};

static void
add_file (GPtrArray  *seeds,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, &error))
    g_error ("%s: %s", path, error->message);
  g_ptr_array_add (seeds, g_bytes_new_take (data, length));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
add_path (GPtrArray  *seeds,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      add_file (seeds, path);
      return;
    }
  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    g_error ("%s: %s", path, error->message);
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    if (g_file_test (g_ptr_array_index (names, i), G_FILE_TEST_IS_REGULAR))
      add_file (seeds, g_ptr_array_index (names, i));
}

/* JSON values that hurt, for the value swaps */
static const char * const values[] = {
  "0", "1", "-1", "1.5", "1e400", "-1e400", "123456789012345678901234567890",
  "9223372036854775807", "9223372036854775808", "18446744075483391616", "null", "true",
  "false", "{}", "[]", "\"\"", "\"x\"", "\"\\u0000\"", "\"\\ud83d\"", "\"\\udc00x\"",
  "\"1773840000\"", "\"-5\"", "\"text\"", "\"image\"", "\"interactive\"",
  "\"nfm_reply\"", "\"button_reply\"", "\"reaction\"", "\"system\"", "\"messages\"",
  "\"whatsapp_business_account\"", "[1,{\"a\":null}]", "{\"id\":7}", "[[[[[[[[[[]]]]]]]]]]",
  "\"{\\\"a\\\":[1e400,\\\"\\\\u0000\\\"]}\"",
};

typedef struct {
  guint start;
  guint end;
} Span;

static void
add_span (GArray *spans,
          guint   start,
          guint   end)
{
  Span span = { start, end };

  g_array_append_val (spans, span);
}

/* Where the values are (strings that are not keys, numbers, literals, objects, arrays): a
 * forgiving scan, the input may be broken already. */
static GArray *
value_spans (const guint8 *data,
             guint         length)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));
  guint open[64];
  guint depth = 0;
  guint i = 0;

  while (i < length)
    {
      guint8 c = data[i];
      guint start = i;

      if (c == '"')
        {
          guint after = 0;

          for (i++; i < length && data[i] != '"'; i += data[i] == '\\' ? 2 : 1)
            ;
          i = MIN (i + 1, length);
          for (after = i; after < length && g_ascii_isspace (data[after]); after++)
            ;
          if (after >= length || data[after] != ':')
            add_span (spans, start, i);
        }
      else if (c == '{' || c == '[')
        {
          if (depth < G_N_ELEMENTS (open))
            open[depth++] = i;
          i++;
        }
      else if (c == '}' || c == ']')
        {
          if (depth > 0)
            add_span (spans, open[--depth], i + 1);
          i++;
        }
      else if (c == '-' || g_ascii_isalnum (c))
        {
          while (i < length && (g_ascii_isalnum (data[i]) || data[i] == '-' || data[i] == '+'
                                || data[i] == '.'))
            i++;
          add_span (spans, start, i);
        }
      else
        {
          i++;
        }
    }
  return spans;
}

/* One value replaced by a hostile one or by another value of the input: the JSON stays
 * valid, so the parser's walk over the tree is what gets tested. */
static void
swap_value (GRand      *rand,
            GByteArray *input)
{
  g_autoptr(GArray) spans = value_spans (input->data, input->len);
  g_autofree guint8 *replacement = NULL;
  guint replacement_length = 0;
  Span target;

  if (spans->len == 0)
    return;
  target = g_array_index (spans, Span, g_rand_int_range (rand, 0, (gint32) spans->len));
  if (g_rand_boolean (rand))
    {
      const char *value = values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))];

      replacement_length = strlen (value);
      replacement = g_memdup2 (value, replacement_length);
    }
  else
    {
      Span other = g_array_index (spans, Span, g_rand_int_range (rand, 0, (gint32) spans->len));

      replacement_length = other.end - other.start;
      replacement = g_memdup2 (input->data + other.start, replacement_length);
    }
  g_byte_array_remove_range (input, target.start, target.end - target.start);
  g_array_insert_vals ((GArray *) input, target.start, replacement, replacement_length);
}

static void
insert_bytes (GByteArray   *input,
              guint         at,
              const guint8 *bytes,
              guint         length)
{
  g_array_insert_vals ((GArray *) input, at, bytes, length);
}

static guint
position (GRand      *rand,
          GByteArray *input)
{
  return (guint) g_rand_int_range (rand, 0, (gint32) input->len + 1);
}

static void
mutate_once (GRand      *rand,
             GByteArray *input,
             GPtrArray  *seeds)
{
  /* half of the mutations keep the JSON valid */
  if (g_rand_boolean (rand))
    {
      swap_value (rand, input);
      return;
    }
  switch (g_rand_int_range (rand, 0, 7))
    {
    case 0:  /* bit flips */
      for (guint n = g_rand_int_range (rand, 1, 9); n > 0 && input->len > 0; n--)
        input->data[g_rand_int_range (rand, 0, (gint32) input->len)] ^=
          (guint8) (1u << g_rand_int_range (rand, 0, 8));
      break;
    case 1:  /* truncation */
      g_byte_array_set_size (input, position (rand, input));
      break;
    case 2:  /* random bytes */
      {
        guint8 bytes[8];
        guint n = g_rand_int_range (rand, 1, 9);

        for (guint i = 0; i < n; i++)
          bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
        insert_bytes (input, position (rand, input), bytes, n);
      }
      break;
    case 3:  /* a token */
      {
        const char *token = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
        guint at = position (rand, input);
        guint replaced = (guint) g_rand_int_range (rand, 1, 9);

        /* replacing as often as inserting */
        if (g_rand_boolean (rand) && at < input->len)
          g_byte_array_remove_range (input, at, MIN (input->len - at, replaced));
        insert_bytes (input, at, (const guint8 *) token, strlen (token));
      }
      break;
    case 4:  /* a chunk repeated */
      if (input->len > 0)
        {
          guint start = g_rand_int_range (rand, 0, (gint32) input->len);
          guint length = g_rand_int_range (rand, 1, (gint32) MIN (input->len - start, 256) + 1);
          g_autofree guint8 *chunk = g_memdup2 (input->data + start, length);

          for (guint n = g_rand_int_range (rand, 1, 4); n > 0; n--)
            insert_bytes (input, position (rand, input), chunk, length);
        }
      break;
    case 5:  /* a chunk deleted */
      if (input->len > 0)
        {
          guint start = g_rand_int_range (rand, 0, (gint32) input->len);
          guint length = g_rand_int_range (rand, 1, (gint32) MIN (input->len - start, 64) + 1);

          g_byte_array_remove_range (input, start, length);
        }
      break;
    default:  /* a chunk of another seed */
      {
        GBytes *other = g_ptr_array_index (seeds, g_rand_int_range (rand, 0,
                                                                      (gint32) seeds->len));
        gsize other_length = 0;
        const guint8 *other_data = g_bytes_get_data (other, &other_length);

        if (other_length > 0)
          {
            guint start = g_rand_int_range (rand, 0, (gint32) other_length);
            guint length = g_rand_int_range (rand, 1,
                                             (gint32) MIN (other_length - start, 512) + 1);

            insert_bytes (input, position (rand, input), other_data + start, length);
          }
      }
      break;
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED);
  const char *iterations_text = g_getenv ("FUZZ_ITERATIONS");
  guint iterations = iterations_text ? (guint) g_ascii_strtoull (iterations_text, NULL, 10)
                                     : DEFAULT_ITERATIONS;
  gint64 start = g_get_monotonic_time ();
  guint64 runs = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s FILE|DIR…\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    add_path (seeds, argv[i]);

  for (guint i = 0; i < seeds->len; i++)
    {
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (seeds, i), &length);

      LLVMFuzzerTestOneInput (data, length);
      runs++;
    }
  for (guint i = 0; i < seeds->len; i++)
    {
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (seeds, i), &length);

      for (guint n = 0; n < iterations; n++)
        {
          g_autoptr(GByteArray) input = g_byte_array_sized_new (length + 64);

          g_byte_array_append (input, data, length);
          /* stacked mutations, as libFuzzer does; the input stays within a few kB of the seed */
          for (guint m = g_rand_int_range (rand, 1, 5); m > 0; m--)
            mutate_once (rand, input, seeds);
          if (input->len > length + 8192)
            g_byte_array_set_size (input, length + 8192);
          LLVMFuzzerTestOneInput (input->data, input->len);
          runs++;
        }
    }
  g_print ("%u seeds, %" G_GUINT64_FORMAT " runs in %.1f s\n", seeds->len, runs,
           (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  return 0;
}
