/* baton-canned-reply.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BATON_TYPE_CANNED_REPLY (baton_canned_reply_get_type ())

/* A canned reply (API.md, "Canned replies"): a text an agent inserts in the composer by
 * typing "/" and its shortcut. owner_id NULL: the workspace's, shared by everyone; otherwise
 * one agent's own. The body is kept as written: its {{contact.name}} and {{agent.name}} are
 * filled in by the app when it is inserted (baton_canned_reply_fill). */
typedef struct {
  char *id;
  char *shortcut;
  char *title;
  char *body;
  char *owner_id;
  gint64 created_at;
  gint64 updated_at;
} BatonCannedReply;

/* shortcuts are tag-like words of at most this many characters */
#define BATON_CANNED_REPLY_SHORTCUT_MAX 32

GType             baton_canned_reply_get_type  (void) G_GNUC_CONST;
BatonCannedReply *baton_canned_reply_new       (void);
BatonCannedReply *baton_canned_reply_ref       (BatonCannedReply *reply);
void              baton_canned_reply_unref     (BatonCannedReply *reply);
JsonNode         *baton_canned_reply_to_json   (BatonCannedReply *reply);
/* Reads an object the server sent; NULL when node is not an object with an id. */
BatonCannedReply *baton_canned_reply_from_json (JsonNode         *node);
/* The body with {{contact.name}} and {{agent.name}} replaced (NULL values by ""); any other
 * {{…}} stays as written. */
char             *baton_canned_reply_fill      (const char       *body,
                                                const char       *contact_name,
                                                const char       *agent_name);

/* What the composer's picker lists for what follows "/": the shortcut starts with query, or
 * the title holds it, ignoring case; an empty query matches every reply. */
gboolean          baton_canned_reply_matches   (BatonCannedReply *reply,
                                                const char       *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonCannedReply, baton_canned_reply_unref)

G_END_DECLS
