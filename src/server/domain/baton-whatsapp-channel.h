/* baton-whatsapp-channel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-store.h"

G_BEGIN_DECLS

#define BATON_WHATSAPP_GRAPH_DEFAULT_BASE_URL "https://graph.facebook.com/v25.0"

/* One business phone number (REFERENCE.md §7) as stored: the public part in channels.config,
 * the three secrets in channels.secrets, which nothing returns or logs. */
typedef struct {
  char *id;
  char *name;
  char *phone_number_id;
  char *display_phone_number;
  char *waba_id;
  char *graph_base_url;
  char *access_token;
  char *app_secret;
  char *verify_token;
  /* why sending is paused (the token was refused), NULL when it is not */
  char *paused_reason;
} BatonWhatsappChannel;

void                  baton_whatsapp_channel_free        (BatonWhatsappChannel *channel);
BatonWhatsappChannel *baton_whatsapp_channel_load        (BatonStore           *store,
                                                          const char           *id,
                                                          GError              **error);
BatonWhatsappChannel *baton_whatsapp_channel_find_number (BatonStore           *store,
                                                          const char           *phone_number_id,
                                                          GError              **error);
GPtrArray            *baton_whatsapp_channel_list        (BatonStore           *store,
                                                          GError              **error);

/* Reads and checks the WhatsApp members of a create (all required secrets present) or an
 * update (absent members stay) body into channel, then writes them to the row channel->id. */
gboolean              baton_whatsapp_channel_read        (BatonWhatsappChannel *channel,
                                                          JsonObject           *body,
                                                          gboolean              creating,
                                                          GError              **error);
gboolean              baton_whatsapp_channel_save        (BatonWhatsappChannel *channel,
                                                          BatonStore           *store,
                                                          GError              **error);
/* the public members of a channel's JSON (never a secret) */
void                  baton_whatsapp_channel_add_public  (BatonStore           *store,
                                                          const char           *id,
                                                          JsonBuilder          *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonWhatsappChannel, baton_whatsapp_channel_free)

G_END_DECLS
