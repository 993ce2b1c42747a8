/* bench-pattern.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <regex.h>
#include <stdio.h>

#include "baton-pattern.h"

/* The time flow patterns take: the pattern that made regexec take tens of seconds,
 * ((a+)+$ on 99,000 "a" and a "b"), the largest program on the longest text a flow reads
 * (the bound of one condition), and an ordinary keyword pattern on ordinary messages.
 * --posix also times glibc's regexec on the first (slow: that is the point). */

typedef struct {
  const char *name;
  const char *pattern;
  char *text;
  /* matched through baton_pattern_match (the flows' cut) or over the whole text */
  gboolean whole;
  guint repeats;
} Case;

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static void
run_case (const Case *c)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(BatonPattern) pattern = baton_pattern_new (c->pattern, &error);
  double compile = seconds_since (start);
  guint64 steps = 0;
  gboolean matched = FALSE;
  double elapsed = 0;

  if (pattern == NULL)
    g_error ("%s: %s", c->pattern, error->message);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < c->repeats; i++)
    matched = c->whole ? baton_pattern_match_counted (pattern, c->text, -1, &steps)
                       : baton_pattern_match (pattern, c->text, -1);
  elapsed = seconds_since (start) / c->repeats;
  printf ("| %s | %u | %zu | %s | %.3f ms | %.3f ms |", c->name,
          baton_pattern_get_size (pattern), strlen (c->text), matched ? "yes" : "no",
          compile * 1000, elapsed * 1000);
  if (c->whole)
    printf (" %" G_GUINT64_FORMAT " steps", steps);
  printf ("\n");
}

static void
run_posix (const Case *c)
{
  regex_t regex;
  gint64 start = 0;
  gboolean matched = FALSE;

  setlocale (LC_ALL, "C.UTF-8");
  if (regcomp (&regex, c->pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
    g_error ("regcomp %s", c->pattern);
  start = g_get_monotonic_time ();
  matched = regexec (&regex, c->text, 0, NULL, 0) == 0;
  printf ("| %s, regexec | | %zu | %s | | %.3f ms |\n", c->name, strlen (c->text),
          matched ? "yes" : "no", seconds_since (start) * 1000);
  regfree (&regex);
}

int
main (int   argc,
      char *argv[])
{
  gboolean posix = argc > 1 && g_str_equal (argv[1], "--posix");
  g_autofree char *as = g_strnfill (99000, 'a');
  g_autofree char *letters = g_strnfill (BATON_PATTERN_MAX_TEXT, 'q');
  Case cases[] = {
    { "(a+)+$ on 99,000 a + b", "(a+)+$", g_strconcat (as, "b", NULL), TRUE, 10 },
    { "largest program, 4096 characters", "[a-z]{0,4999}x",
      g_strdup (letters), FALSE, 3 },
    { "keywords, a message", "\\b(refund|return|cancel|order #?[0-9]+)\\b",
      g_strdup ("Hello, I would like to know where my order #12345 is, thanks"), FALSE,
      100000 },
  };

  printf ("| case | instructions | text bytes | match | compile | match time |\n");
  printf ("| --- | ---: | ---: | --- | ---: | ---: |\n");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i]);
  if (posix)
    run_posix (&cases[0]);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_free (cases[i].text);
  return 0;
}
