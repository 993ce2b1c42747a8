/* baton-routes.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-request.h"

G_BEGIN_DECLS

/* Routing by a table (the API's is baton_api_routes ()): which handler answers a method and
 * path, who may call it, and the path's parameters. Pure: no server, no store, so it is
 * unit-tested and fuzzed alone. */

#define BATON_ROUTE_MAX_PARAMS 3

typedef enum {
  BATON_ACCESS_NONE,
  BATON_ACCESS_AGENT,
  BATON_ACCESS_MANAGER,
} BatonAccess;

typedef struct {
  const char *method;
  /* "*" matches one non-empty path segment, which becomes a parameter */
  const char *pattern;
  BatonAccess access;
  BatonHandler handler;
  /* served only by a batond started with the test clock */
  gboolean test_clock;
} BatonRoute;

typedef enum {
  BATON_ROUTE_FOUND,
  /* 404: no route has this path */
  BATON_ROUTE_NOT_FOUND,
  /* 405: the path is known, not with this method */
  BATON_ROUTE_METHOD_NOT_ALLOWED,
} BatonRouteResult;

/* Matches path against pattern; on a match only, params[] receives the unescaped "*"
 * segments (free them with g_free), the others are left alone. A segment that does not
 * unescape (a %00, a broken %-escape) matches nothing. */
gboolean          baton_route_match  (const char        *pattern,
                                      const char        *path,
                                      char             **params);

/* The route of routes[n_routes] for method and path; *route and params[] are set when found
 * only. */
BatonRouteResult  baton_routes_find  (const BatonRoute  *routes,
                                      guint              n_routes,
                                      const char        *method,
                                      const char        *path,
                                      const BatonRoute **route,
                                      char              *params[BATON_ROUTE_MAX_PARAMS]);

G_END_DECLS
