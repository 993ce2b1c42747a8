/* baton-secret-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Tokens live in the user's keyring (libsecret), keyed by server and account, never in
 * settings or files. */

void      baton_secret_store_save_async   (const char          *server_url,
                                           const char          *email,
                                           const char          *token,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  baton_secret_store_save_finish  (GAsyncResult        *result,
                                           GError             **error);
void      baton_secret_store_load_async   (const char          *server_url,
                                           const char          *email,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* The token, or NULL (and no error) when none is stored. */
char     *baton_secret_store_load_finish  (GAsyncResult        *result,
                                           GError             **error);
void      baton_secret_store_clear_async  (const char          *server_url,
                                           const char          *email,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  baton_secret_store_clear_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
