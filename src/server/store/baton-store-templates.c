/* baton-store-templates.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-templates"

#include "config.h"

#include "baton-store-templates.h"

void
baton_template_free (BatonTemplate *template)
{
  g_free (template->name);
  g_free (template->language);
  g_free (template->status);
  g_free (template->category);
  g_free (template->components);
  g_free (template);
}

GPtrArray *
baton_store_templates_approved (BatonStore  *store,
                                const char  *channel_id,
                                GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  GPtrArray *templates = NULL;

  rows = baton_store_query (store, error,
                            "SELECT name, language, status, category, components FROM templates"
                            " WHERE channel_id = ? AND status = 'APPROVED'"
                            " ORDER BY name, language", "s", channel_id);
  if (rows == NULL)
    return NULL;
  templates = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_template_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonTemplate *template = g_new0 (BatonTemplate, 1);

      template->name = baton_rows_dup_text (rows, r, 0);
      template->language = baton_rows_dup_text (rows, r, 1);
      template->status = baton_rows_dup_text (rows, r, 2);
      template->category = baton_rows_dup_text (rows, r, 3);
      template->components = baton_rows_dup_text (rows, r, 4);
      g_ptr_array_add (templates, template);
    }
  return templates;
}

char *
baton_store_templates_components (BatonStore  *store,
                                  const char  *channel_id,
                                  const char  *name,
                                  const char  *language,
                                  GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT components FROM templates"
                                                 " WHERE channel_id = ? AND name = ?"
                                                 " AND language = ? AND status = 'APPROVED'",
                                                 "sss", channel_id, name, language);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return baton_rows_dup_text (rows, 0, 0);
}

gboolean
baton_store_templates_clear (BatonStore  *store,
                             const char  *channel_id,
                             GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM templates WHERE channel_id = ?", "s",
                           channel_id) >= 0;
}

gboolean
baton_store_templates_insert (BatonStore  *store,
                              const char  *channel_id,
                              const char  *name,
                              const char  *language,
                              const char  *status,
                              const char  *category,
                              const char  *components,
                              gint64       synced_at,
                              GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO templates (channel_id, name, language, status, category,"
                           " components, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                           " ON CONFLICT (channel_id, name, language) DO NOTHING", "ssssssi",
                           channel_id, name, language, status, category, components,
                           synced_at) >= 0;
}
