/* baton-channel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-enums.h"

G_BEGIN_DECLS

#define BATON_TYPE_CHANNEL (baton_channel_get_type ())

/* A channel as GET /channels lists it (PROTOCOL.md §2, API.md "WhatsApp"), and the body of
 * POST/PATCH /channels: the secrets are write-only, sent when set and never read back. */
typedef struct {
  /* id and name first, as in BatonAgent and BatonTeam */
  char *id;
  char *name;
  BatonChannelKind kind;
  char *default_team_id;
  char *default_user_id;
  /* api channels: the URL integrations post to; the secret only in a creation's answer */
  char *inbound_url;
  char *inbound_secret;
  /* whatsapp channels */
  char *phone_number_id;
  char *display_phone_number;
  char *waba_id;
  /* NULL: the server's default */
  char *graph_base_url;
  gboolean has_access_token;
  gboolean has_app_secret;
  gboolean has_verify_token;
  /* sending paused (state "paused"), and why */
  gboolean paused;
  char *state_message;
  char *webhook_path;
  /* write-only; NULL keeps what the server has */
  char *access_token;
  char *app_secret;
  char *verify_token;
} BatonChannel;

GType         baton_channel_get_type  (void) G_GNUC_CONST;
BatonChannel *baton_channel_new       (void);
BatonChannel *baton_channel_ref       (BatonChannel *channel);
void          baton_channel_unref     (BatonChannel *channel);
/* The body of a POST (with kind) or PATCH (without): what a client may write. */
JsonNode     *baton_channel_to_json   (BatonChannel *channel,
                                       gboolean      with_kind);
BatonChannel *baton_channel_from_json (JsonNode     *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonChannel, baton_channel_unref)

G_END_DECLS
