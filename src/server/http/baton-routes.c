/* baton-routes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-routes"

#include "config.h"

#include "baton-routes.h"


/* Two passes: nothing is allocated until the whole path matches. */
gboolean
baton_route_match (const char  *pattern,
                   const char  *path,
                   char       **params)
{
  g_auto(GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);
  char *found[BATON_ROUTE_MAX_PARAMS] = { NULL, NULL, NULL };
  guint n = 0;

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;
  for (guint i = 0; want[i]; i++)
    if (g_str_equal (want[i], "*") ? have[i][0] == '\0' : !g_str_equal (want[i], have[i]))
      return FALSE;
  for (guint i = 0; want[i] && n < BATON_ROUTE_MAX_PARAMS; i++)
    {
      if (!g_str_equal (want[i], "*"))
        continue;
      found[n] = g_uri_unescape_string (have[i], NULL);
      if (found[n] == NULL)
        {
          for (guint p = 0; p < n; p++)
            g_free (found[p]);
          return FALSE;
        }
      n++;
    }
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
