/* baton-store-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* The workspace's settings: text values by key. */

/* key → value, both strings */
GHashTable *baton_store_settings_list        (BatonStore   *store,
                                              GError      **error);
gboolean    baton_store_settings_set         (BatonStore   *store,
                                              const char   *key,
                                              const char   *value,
                                              GError      **error);
/* sets the value unless the key has one */
gboolean    baton_store_settings_set_default (BatonStore   *store,
                                              const char   *key,
                                              const char   *value,
                                              GError      **error);

G_END_DECLS
