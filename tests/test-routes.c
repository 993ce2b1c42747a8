/* test-routes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-api.h"
#include "baton-routes.h"

/* The route table and its matching, and the query's paging readers, without a server. */

typedef struct {
  const BatonRoute *route;
  char *params[BATON_ROUTE_MAX_PARAMS];
} Found;

static void
found_clear (Found *found)
{
  for (guint i = 0; i < BATON_ROUTE_MAX_PARAMS; i++)
    g_clear_pointer (&found->params[i], g_free);
  found->route = NULL;
}

static BatonRouteResult
find (Found      *found,
      const char *method,
      const char *path)
{
  const BatonRoute *routes;
  guint n_routes;

  found_clear (found);
  routes = baton_api_routes (&n_routes);
  return baton_routes_find (routes, n_routes, method, path, &found->route, found->params);
}

/* Every route is reached by its own method and path, with one parameter per "*". */
static void
test_table (void)
{
  guint n_routes = 0;
  const BatonRoute *routes = baton_api_routes (&n_routes);
  Found found = { 0 };

  g_assert_cmpuint (n_routes, >, 0);
  for (guint i = 0; i < n_routes; i++)
    {
      g_auto(GStrv) segments = g_strsplit (routes[i].pattern, "/", -1);
      g_autofree char *path = NULL;
      guint stars = 0;

      for (guint s = 0; segments[s]; s++)
        if (g_str_equal (segments[s], "*"))
          {
            g_free (segments[s]);
            segments[s] = g_strdup_printf ("p%u", stars++);
          }
      g_assert_cmpuint (stars, <=, BATON_ROUTE_MAX_PARAMS);
      path = g_strjoinv ("/", segments);
      g_assert_cmpint (find (&found, routes[i].method, path), ==, BATON_ROUTE_FOUND);
      g_assert_true (found.route == &routes[i]);
      for (guint p = 0; p < BATON_ROUTE_MAX_PARAMS; p++)
        {
          g_autofree char *want = p < stars ? g_strdup_printf ("p%u", p) : NULL;

          g_assert_cmpstr (found.params[p], ==, want);
        }
    }
  found_clear (&found);
}

static void
test_params_unescaped (void)
{
  Found found = { 0 };

  g_assert_cmpint (find (&found, "PUT", "/api/v1/contacts/ctc%2Fa%20b%C3%A9/owners"), ==,
                   BATON_ROUTE_FOUND);
  g_assert_true (found.route->handler == baton_api_set_contact_owners);
  g_assert_cmpint (found.route->access, ==, BATON_ACCESS_AGENT);
  g_assert_cmpstr (found.params[0], ==, "ctc/a b\xc3\xa9");
  g_assert_null (found.params[1]);
  found_clear (&found);
}

/* 404 for a path no route has, 405 for a known path with another method. */
static void
test_not_found_or_not_allowed (void)
{
  static const struct {
    const char *method;
    const char *path;
    BatonRouteResult result;
  } cases[] = {
    { "GET", "/api/v1/nothing", BATON_ROUTE_NOT_FOUND },
    { "GET", "/", BATON_ROUTE_NOT_FOUND },
    { "GET", "", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/agents/", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/agents//", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/agents/a/b", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/agents/%00", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/agents/%zz", BATON_ROUTE_NOT_FOUND },
    { "GET", "/API/v1/agents", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1//agents", BATON_ROUTE_NOT_FOUND },
    { "GET", "//api/v1/agents", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/agentsX", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/agent", BATON_ROUTE_NOT_FOUND },
    { "POST", "/api/v1/channels/chn_x/outbound", BATON_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/auth/login", BATON_ROUTE_METHOD_NOT_ALLOWED },
    { "DELETE", "/api/v1/settings", BATON_ROUTE_METHOD_NOT_ALLOWED },
    { "get", "/api/v1/agents", BATON_ROUTE_METHOD_NOT_ALLOWED },
    { "GET", "/api/v1/channels/chn_x/inbound", BATON_ROUTE_METHOD_NOT_ALLOWED },
    { "POST", "/healthz", BATON_ROUTE_METHOD_NOT_ALLOWED },
  };
  Found found = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s %s", cases[i].method, cases[i].path);
      g_assert_cmpint (find (&found, cases[i].method, cases[i].path), ==, cases[i].result);
      g_assert_null (found.route);
      for (guint p = 0; p < BATON_ROUTE_MAX_PARAMS; p++)
        g_assert_null (found.params[p]);
    }
}

/* A path that matches a pattern up to a later segment gives out nothing: the "*" segment
 * before it was once unescaped into params and lost (a leak any caller could trigger with
 * an 8 KB segment per request). */
static void
test_partial_match_keeps_nothing (void)
{
  g_autofree char *segment = g_strnfill (8192, 'a');
  g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s/outbound", segment);
  g_autofree char *inbound = g_strdup_printf ("/api/v1/channels/%s/inbound", segment);
  char sentinel[] = "untouched";
  char *params[BATON_ROUTE_MAX_PARAMS] = { sentinel, sentinel, sentinel };
  Found found = { 0 };

  g_assert_false (baton_route_match ("/api/v1/channels/*/inbound", path, params));
  g_assert_false (baton_route_match ("/api/v1/contacts/*/owners", "/api/v1/contacts/%00/owners",
                                     params));
  for (guint p = 0; p < BATON_ROUTE_MAX_PARAMS; p++)
    g_assert_true (params[p] == sentinel);

  g_assert_cmpint (find (&found, "POST", inbound), ==, BATON_ROUTE_FOUND);
  g_assert_true (found.route->handler == baton_api_channel_inbound);
  g_assert_cmpint (found.route->access, ==, BATON_ACCESS_NONE);
  g_assert_cmpstr (found.params[0], ==, segment);
  found_clear (&found);
}

static GHashTable *
query_of (const char *text)
{
  return g_uri_parse_params (text, -1, "&", G_URI_PARAMS_NONE, NULL);
}

static void
test_query_limit (void)
{
  static const struct {
    const char *query;
    gboolean read;
    guint limit;
  } cases[] = {
    { "", TRUE, 50 }, { "limit=1", TRUE, 1 }, { "limit=500", TRUE, 500 },
    { "limit=0", FALSE, 50 }, { "limit=501", FALSE, 50 }, { "limit=-1", FALSE, 50 },
    { "limit=+5", FALSE, 50 }, { "limit=5x", FALSE, 50 }, { "limit=", FALSE, 50 },
    { "limit=18446744073709551617", FALSE, 50 }, { "limit= 5", FALSE, 50 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) query = query_of (cases[i].query);
      g_autoptr(GError) error = NULL;
      guint limit = 7;

      g_test_message ("%s", cases[i].query);
      g_assert_cmpint (baton_query_read_limit (query, &limit, &error), ==, cases[i].read);
      g_assert_cmpuint (limit, ==, cases[i].limit);
      if (cases[i].read)
        g_assert_no_error (error);
      else
        g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
    }
  g_assert_true (baton_query_read_limit (NULL, &(guint) { 0 }, NULL));
}

static void
test_query_cursors (void)
{
  g_autoptr(GHashTable) none = query_of ("limit=3");
  g_autoptr(GHashTable) offset = query_of ("cursor=42");
  g_autoptr(GHashTable) position = query_of ("cursor=1773841200000.cnv_01.x");
  g_autoptr(GHashTable) no_dot = query_of ("cursor=1773841200000");
  g_autoptr(GHashTable) negative = query_of ("cursor=-1.cnv");
  g_autoptr(GError) error = NULL;
  guint64 n = 9;
  gint64 at = 9;
  const char *id = "x";

  g_assert_true (baton_query_read_offset (none, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (baton_query_read_offset (offset, &n, &error));
  g_assert_cmpuint (n, ==, 42);
  g_assert_false (baton_query_read_offset (position, &n, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  g_assert_true (baton_query_read_position (none, &at, &id, &error));
  g_assert_cmpint (at, ==, 0);
  g_assert_null (id);
  g_assert_true (baton_query_read_position (position, &at, &id, &error));
  g_assert_cmpint (at, ==, 1773841200000);
  g_assert_cmpstr (id, ==, "cnv_01.x");
  g_assert_false (baton_query_read_position (no_dot, &at, &id, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_false (baton_query_read_position (negative, &at, &id, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
  g_assert_null (id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/routes/table", test_table);
  g_test_add_func ("/routes/params-unescaped", test_params_unescaped);
  g_test_add_func ("/routes/not-found-or-not-allowed", test_not_found_or_not_allowed);
  g_test_add_func ("/routes/partial-match-keeps-nothing", test_partial_match_keeps_nothing);
  g_test_add_func ("/query/limit", test_query_limit);
  g_test_add_func ("/query/cursors", test_query_cursors);

  return g_test_run ();
}
