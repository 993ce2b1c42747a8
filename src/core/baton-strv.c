/* baton-strv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-strv.h"

#include <string.h>

gboolean
baton_strv_is_empty (const char * const *strv)
{
  return strv == NULL || strv[0] == NULL;
}

gboolean
baton_strv_equal_sets (const char * const *a,
                       const char * const *b)
{
  guint na = a ? g_strv_length ((char **) a) : 0;
  guint nb = b ? g_strv_length ((char **) b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

GStrv
baton_strv_with (const char * const *strv,
                 const char         *added)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; strv && strv[i]; i++)
    g_strv_builder_add (builder, strv[i]);
  if (added && !(strv && g_strv_contains (strv, added)))
    g_strv_builder_add (builder, added);
  return g_strv_builder_end (builder);
}

GStrv
baton_strv_without (const char * const *strv,
                    const char         *removed)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; strv && strv[i]; i++)
    if (g_strcmp0 (strv[i], removed) != 0)
      g_strv_builder_add (builder, strv[i]);
  return g_strv_builder_end (builder);
}

GStrv
baton_strv_minus (const char * const *strv,
                  const char * const *removed)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; strv && strv[i]; i++)
    if (!(removed && g_strv_contains (removed, strv[i])))
      g_strv_builder_add (builder, strv[i]);
  return g_strv_builder_end (builder);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

void
baton_strv_sort (const char **strv)
{
  if (strv)
    g_qsort_with_data (strv, g_strv_length ((char **) strv), sizeof (char *), compare_strings,
                       NULL);
}
