/* baton-routes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-routes"

#include "config.h"

#include "baton-routes.h"


/* the end of the path segment that starts at p: its '/' or the end of the string */
static const char *
segment_end (const char *p)
{
  const char *slash = strchr (p, '/');

  return slash ? slash : p + strlen (p);
}

/* Walks pattern and path a segment at a time, in place. Without found, checks that they
 * match; with it, unescapes the "*" segments into found (FALSE when one does not unescape,
 * with nothing left allocated). */
static gboolean
walk (const char  *pattern,
      const char  *path,
      char       **found,
      guint       *n_found)
{
  const char *want = pattern;
  const char *have = path;

  for (;;)
    {
      const char *want_end = segment_end (want);
      const char *have_end = segment_end (have);
      gsize length = want_end - want;
      gboolean any = length == 1 && *want == '*';

      if (found == NULL
          && (any ? have_end == have
                  : length != (gsize) (have_end - have) || memcmp (want, have, length) != 0))
        return FALSE;
      if (found && any && *n_found < BATON_ROUTE_MAX_PARAMS)
        {
          found[*n_found] = g_uri_unescape_segment (have, have_end, NULL);
          if (found[*n_found] == NULL)
            {
              for (guint i = 0; i < *n_found; i++)
                g_clear_pointer (&found[i], g_free);
              return FALSE;
            }
          (*n_found)++;
        }
      if ((*want_end == '\0') != (*have_end == '\0'))
        return FALSE;
      if (*want_end == '\0')
        return TRUE;
      want = want_end + 1;
      have = have_end + 1;
    }
}

/* Two passes, neither splitting the path: nothing is allocated until the whole path
 * matches (every request tries the routes in turn). */
gboolean
baton_route_match (const char  *pattern,
                   const char  *path,
                   char       **params)
{
  char *found[BATON_ROUTE_MAX_PARAMS] = { NULL, NULL, NULL };
  guint n = 0;

  if (!walk (pattern, path, NULL, NULL) || !walk (pattern, path, found, &n))
    return FALSE;
  memcpy (params, found, n * sizeof *found);
  return TRUE;
}

BatonRouteResult
baton_routes_find (const BatonRoute  *routes,
                   guint              n_routes,
                   const char        *method,
                   const char        *path,
                   const BatonRoute **route,
                   char              *params[BATON_ROUTE_MAX_PARAMS])
{
  BatonRouteResult result = BATON_ROUTE_NOT_FOUND;

  for (guint i = 0; i < n_routes; i++)
    {
      char *found[BATON_ROUTE_MAX_PARAMS] = { NULL, NULL, NULL };

      if (!baton_route_match (routes[i].pattern, path, found))
        continue;
      if (g_str_equal (routes[i].method, method))
        {
          *route = &routes[i];
          memcpy (params, found, sizeof found);
          return BATON_ROUTE_FOUND;
        }
      for (guint p = 0; p < G_N_ELEMENTS (found); p++)
        g_free (found[p]);
      result = BATON_ROUTE_METHOD_NOT_ALLOWED;
    }
  return result;
}
