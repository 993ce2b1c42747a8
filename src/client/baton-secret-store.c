/* baton-secret-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-secret-store"

#include "config.h"

#include <libsecret/secret.h>

#include "baton-secret-store.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.baton.Baton.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* "https://baton.example.com/" and "https://baton.example.com" are one server. */
static char *
normalize_server (const char *server_url)
{
  char *copy = g_strdup (server_url);
  gsize length = strlen (copy);

  while (length > 0 && copy[length - 1] == '/')
    copy[--length] = '\0';
  return copy;
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);
  char *token = NULL;

  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The keyring's copy lives in non-pageable memory: hand out an ordinary string. */
  token = g_strdup (secret);
  secret_password_free (secret);
  g_task_return_pointer (task, token, g_free);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
baton_secret_store_save_async (const char          *server_url,
                               const char          *email,
                               const char          *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *server = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (email != NULL);
  g_return_if_fail (token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_secret_store_save_async);
  server = normalize_server (server_url);
  label = g_strdup_printf ("Baton token for %s on %s", email, server);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         stored_cb, g_steal_pointer (&task),
                         "server", server,
                         "account", email,
                         NULL);
}

gboolean
baton_secret_store_save_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_secret_store_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
baton_secret_store_load_async (const char          *server_url,
                               const char          *email,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *server = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (email != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_secret_store_load_async);
  server = normalize_server (server_url);
  secret_password_lookup (get_schema (), cancellable, looked_up_cb, g_steal_pointer (&task),
                          "server", server,
                          "account", email,
                          NULL);
}

char *
baton_secret_store_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_secret_store_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
baton_secret_store_clear_async (const char          *server_url,
                                const char          *email,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *server = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (email != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_secret_store_clear_async);
  server = normalize_server (server_url);
  secret_password_clear (get_schema (), cancellable, cleared_cb, g_steal_pointer (&task),
                         "server", server,
                         "account", email,
                         NULL);
}

gboolean
baton_secret_store_clear_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_secret_store_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
