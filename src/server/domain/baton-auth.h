/* baton-auth.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  baton_auth_init            (void);
char     *baton_auth_hash_password   (const char *password);
gboolean  baton_auth_verify_password (const char *hash,
                                      const char *password);
char     *baton_auth_new_secret      (void);
char     *baton_auth_new_password    (void);
char     *baton_auth_hash_secret     (const char *secret);
gboolean  baton_auth_secret_matches  (const char *hash,
                                      const char *secret);


/* The same, off the main loop and bounded (see baton-auth.c). */
void      baton_auth_set_limits      (guint       max_checks,
                                      guint       max_waiting);
guint     baton_auth_get_in_flight   (void);
guint     baton_auth_get_queued      (void);
guint     baton_auth_retry_after     (void);
void      baton_auth_verify_password_async  (const char          *hash,
                                             const char          *password,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  baton_auth_verify_password_finish (GAsyncResult        *result,
                                             GError             **error);
void      baton_auth_hash_password_async    (const char          *password,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char     *baton_auth_hash_password_finish   (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
