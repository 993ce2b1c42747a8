/* fuzz-pattern.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "baton-error.h"
#include "baton-pattern.h"

/* Fuzz target for flow patterns, which a manager writes: the input's first line is the
 * pattern, the rest the text. Built with libFuzzer under -Dfuzzing=true (clang), and run over
 * tests/fixtures/patterns and deterministic mutations of it by fuzz-driver.c in every build.
 * Beyond "no crash, no leak", it checks what the matcher promises: an error exactly when no
 * pattern, a program within its bound, a number of steps within 4 × size + 1 per character,
 * and the cut at BATON_PATTERN_MAX_TEXT changing nothing on a shorter text. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised = FALSE;
  const uint8_t *newline = memchr (data, '\n', size);
  gsize pattern_length = newline ? (gsize) (newline - data) : size;
  g_autofree char *source = g_strndup ((const char *) data, pattern_length);
  const char *text = newline ? (const char *) newline + 1 : "";
  gsize text_length = newline ? size - pattern_length - 1 : 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonPattern) pattern = NULL;
  guint64 steps = 0;
  gboolean whole = FALSE;

  if (!initialised)
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      initialised = TRUE;
    }

  pattern = baton_pattern_new (source, &error);
  if ((pattern == NULL) == (error == NULL))
    abort ();
  if (pattern == NULL)
    {
      if (!g_error_matches (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE)
          || !g_utf8_validate (error->message, -1, NULL))
        abort ();
      return 0;
    }
  if (baton_pattern_get_size (pattern) < 1
      || baton_pattern_get_size (pattern) > BATON_PATTERN_MAX_PROGRAM)
    abort ();

  /* a text's characters are at most its bytes */
  whole = baton_pattern_match_counted (pattern, text, text_length, &steps);
  if (steps > (4 * (guint64) baton_pattern_get_size (pattern) + 1) * (text_length + 1))
    abort ();
  if (text_length <= BATON_PATTERN_MAX_TEXT
      && baton_pattern_match (pattern, text, text_length) != whole)
    abort ();
  return 0;
}
