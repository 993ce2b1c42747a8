/* fuzz-routes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "baton-api.h"

/* Fuzz target for what any caller controls before a handler runs: the method and path against
 * the route table (404, 405 or a route with its unescaped parameters), the query string as
 * libsoup decodes it for handlers and as GLib parses it for the event stream's access_token,
 * and the paging readers (limit, cursors) over both. The input is a method (chosen by the
 * first byte), then "path?query". Beyond "no crash, no leak", it checks what the router and
 * the readers promise. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char * const methods[] = {
  "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "",
};

static guint
count_stars (const char *pattern)
{
  guint stars = 0;

  for (const char *p = strchr (pattern, '*'); p; p = strchr (p + 1, '*'))
    stars++;
  return stars;
}

static void
check_route (const char *method,
             const char *path)
{
  char *params[BATON_ROUTE_MAX_PARAMS] = { NULL, NULL, NULL };
  char *again[BATON_ROUTE_MAX_PARAMS] = { NULL, NULL, NULL };
  const BatonRoute *route = NULL;
  guint n_routes = 0;
  const BatonRoute *routes = baton_api_routes (&n_routes);
  BatonRouteResult result = baton_routes_find (routes, n_routes, method, path, &route, params);
  guint stars = 0;

  if (result != BATON_ROUTE_FOUND)
    {
      if (route || params[0] || params[1] || params[2])
        abort ();
      return;
    }
  stars = count_stars (route->pattern);
  if (!g_str_equal (route->method, method) || stars > BATON_ROUTE_MAX_PARAMS
      || !baton_route_match (route->pattern, path, again))
    abort ();
  for (guint i = 0; i < BATON_ROUTE_MAX_PARAMS; i++)
    {
      /* one parameter per "*", as the path has it once unescaped */
      if ((i < stars) != (params[i] != NULL) || g_strcmp0 (params[i], again[i]) != 0)
        abort ();
      g_free (params[i]);
      g_free (again[i]);
    }
}

static void
check_paging (GHashTable *query)
{
  g_autoptr(GError) limit_error = NULL;
  g_autoptr(GError) offset_error = NULL;
  g_autoptr(GError) position_error = NULL;
  guint limit = 0;
  guint64 offset = 0;
  gint64 at = 0;
  const char *id = NULL;

  if (baton_query_read_limit (query, &limit, &limit_error))
    {
      if (limit < 1 || limit > 500 || limit_error)
        abort ();
    }
  else if (!g_error_matches (limit_error, BATON_ERROR, BATON_ERROR_BAD_REQUEST))
    {
      abort ();
    }
  if (baton_query_read_offset (query, &offset, &offset_error))
    {
      if (offset > G_MAXINT32 || offset_error)
        abort ();
    }
  else if (!g_error_matches (offset_error, BATON_ERROR, BATON_ERROR_BAD_REQUEST) || offset != 0)
    {
      abort ();
    }
  if (baton_query_read_position (query, &at, &id, &position_error))
    {
      if (at < 0 || position_error
          || (id == NULL) != (query == NULL || !g_hash_table_contains (query, "cursor")))
        abort ();
    }
  else if (!g_error_matches (position_error, BATON_ERROR, BATON_ERROR_BAD_REQUEST)
           || id != NULL)
    {
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *target = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *method = NULL;
  const char *query = NULL;

  if (size == 0)
    return 0;
  method = methods[data[0] % G_N_ELEMENTS (methods)];
  /* a request target holds no NUL: libsoup stops at one too */
  target = g_strndup ((const char *) data + 1, size - 1);
  query = strchr (target, '?');
  path = query ? g_strndup (target, query - target) : g_strdup (target);

  check_route (method, path);
  if (query == NULL)
    {
      check_paging (NULL);
      return 0;
    }
  query++;
  /* what handlers get, then what the event stream reads its access_token from */
  form = soup_form_decode (query);
  check_paging (form);
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  check_paging (params);
  return 0;
}
