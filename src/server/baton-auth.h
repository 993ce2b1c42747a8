/* baton-auth.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  baton_auth_init            (void);
char     *baton_auth_hash_password   (const char *password);
gboolean  baton_auth_verify_password (const char *hash,
                                      const char *password);
char     *baton_auth_new_secret      (void);
char     *baton_auth_hash_secret     (const char *secret);
gboolean  baton_auth_secret_matches  (const char *hash,
                                      const char *secret);

G_END_DECLS
