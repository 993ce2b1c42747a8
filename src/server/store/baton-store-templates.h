/* baton-store-templates.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* a WhatsApp message template as the channel's account has it */
typedef struct {
  char *name;
  char *language;
  char *status;
  char *category;
  /* JSON text */
  char *components;
} BatonTemplate;

void        baton_template_free                 (BatonTemplate     *template);

/* the channel's approved templates, by name and language */
GPtrArray  *baton_store_templates_approved      (BatonStore        *store,
                                                 const char        *channel_id,
                                                 GError           **error);
/* the components (JSON text) of one approved template, or NULL without error: none */
char       *baton_store_templates_components    (BatonStore        *store,
                                                 const char        *channel_id,
                                                 const char        *name,
                                                 const char        *language,
                                                 GError           **error);
gboolean    baton_store_templates_clear         (BatonStore        *store,
                                                 const char        *channel_id,
                                                 GError           **error);
/* the first of a name and language stays */
gboolean    baton_store_templates_insert        (BatonStore        *store,
                                                 const char        *channel_id,
                                                 const char        *name,
                                                 const char        *language,
                                                 const char        *status,
                                                 const char        *category,
                                                 const char        *components,
                                                 gint64             synced_at,
                                                 GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonTemplate, baton_template_free)

G_END_DECLS
