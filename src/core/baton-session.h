/* baton-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BATON_TYPE_SESSION (baton_session_get_type ())

/* One signed-in session of an agent (a token), as GET /me/sessions lists it: never the
 * token itself. */
typedef struct {
  char *id;
  gint64 created_at;
  gint64 last_used_at;
  /* the client's address and User-Agent at sign-in, or NULL */
  char *address;
  char *user_agent;
  /* the session of the call that listed it */
  gboolean current;
} BatonSession;

GType         baton_session_get_type  (void) G_GNUC_CONST;
BatonSession *baton_session_new       (void);
BatonSession *baton_session_ref       (BatonSession *session);
void          baton_session_unref     (BatonSession *session);
JsonNode     *baton_session_to_json   (BatonSession *session);
/* NULL when node is not an object with an id */
BatonSession *baton_session_from_json (JsonNode     *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonSession, baton_session_unref)

G_END_DECLS
