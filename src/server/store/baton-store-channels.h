/* baton-store-channels.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Channels: where conversations come from (api, whatsapp). The WhatsApp part is a number id,
 * a public config and the secrets, as JSON texts. */
typedef struct {
  char *id;
  char *kind;
  char *name;
  char *default_team_id;
  char *default_user_id;
  /* api: the SHA-256 of the inbound secret */
  char *inbound_secret_hash;
  char *phone_number_id;
  char *config;
  /* wiped when the row is freed */
  char *secrets;
  char *paused_reason;
  gint64 created_at;
  gint64 updated_at;
} BatonChannelRow;

void             baton_channel_row_free                  (BatonChannelRow  *row);

/* NULL without an error: no such channel */
BatonChannelRow *baton_store_channels_get                (BatonStore       *store,
                                                          const char       *id,
                                                          GError          **error);
/* the WhatsApp channel of a business number; NULL without an error when none */
BatonChannelRow *baton_store_channels_find_number        (BatonStore       *store,
                                                          const char       *phone_number_id,
                                                          GError          **error);
/* the channels of a kind (all when kind is NULL), oldest first */
GPtrArray       *baton_store_channels_list               (BatonStore       *store,
                                                          const char       *kind,
                                                          GError          **error);
/* id, kind, name, defaults, inbound_secret_hash and the times */
gboolean         baton_store_channels_insert             (BatonStore       *store,
                                                          const BatonChannelRow *row,
                                                          GError          **error);
/* name NULL keeps the name; a default changes only when its set_ flag is TRUE */
gboolean         baton_store_channels_update             (BatonStore       *store,
                                                          const char       *id,
                                                          const char       *name,
                                                          gboolean          set_team,
                                                          const char       *default_team_id,
                                                          gboolean          set_user,
                                                          const char       *default_user_id,
                                                          gint64            updated_at,
                                                          GError          **error);
/* phone_number_id, config, secrets and paused_reason of row->id; CONFLICT when another
 * channel has the number */
gboolean         baton_store_channels_set_whatsapp       (BatonStore       *store,
                                                          const BatonChannelRow *row,
                                                          GError          **error);
/* why sending is paused, or NULL: it is not */
gboolean         baton_store_channels_set_paused_reason  (BatonStore       *store,
                                                          const char       *id,
                                                          const char       *reason,
                                                          GError          **error);
/* the channels whose default team was team_id lose it; their ids */
GStrv            baton_store_channels_clear_default_team (BatonStore       *store,
                                                          const char       *team_id,
                                                          GError          **error);
gboolean         baton_store_channels_delete             (BatonStore       *store,
                                                          const char       *id,
                                                          GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonChannelRow, baton_channel_row_free)

/* the channel's kind ("whatsapp", ...), or NULL without error: no such channel */
char     *baton_store_channels_get_kind          (BatonStore   *store,
                                                  const char   *id,
                                                  GError      **error);

G_END_DECLS
