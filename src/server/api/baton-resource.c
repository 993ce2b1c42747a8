/* baton-resource.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-resource"

#include "config.h"

#include "baton-resource.h"

void
baton_resource_reply (const BatonResource *resource,
                      BatonRequest        *request,
                      guint                status,
                      const char          *id)
{
  g_autoptr(GError) error = NULL;
  gpointer object = resource->load (request->workspace, id, &error);

  if (object == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply (request, status, resource->to_json (object));
  resource->unref (object);
}

void
baton_resource_reply_list (const BatonResource *resource,
                           BatonRequest        *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = resource->list (request->workspace, &error);
  GPtrArray *items = NULL;

  if (objects == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < objects->len; i++)
    g_ptr_array_add (items, resource->to_json (objects->pdata[i]));
  baton_request_reply_list (request, items, NULL);
}

/* "<name>.<change>" with the object as it now is, inside the caller's transaction. */
gboolean
baton_resource_emit (const BatonResource  *resource,
                     BatonWorkspace       *workspace,
                     const char           *change,
                     const char           *id,
                     GError              **error)
{
  g_autofree char *type = g_strdup_printf ("%s.%s", resource->name, change);
  gpointer object = resource->load (workspace, id, error);
  gboolean ok = FALSE;

  if (object == NULL)
    return FALSE;
  ok = baton_workspace_emit (workspace, type, NULL, resource->to_json (object), error);
  resource->unref (object);
  return ok;
}

/* Saves a validated object with its event in one transaction, then answers 201 or 200. */
void
baton_resource_save_and_reply (const BatonResource *resource,
                               BatonRequest        *request,
                               BatonResourceSave    save,
                               gpointer             object,
                               const char          *id,
                               gboolean             creating)
{
  BatonWorkspace *workspace = request->workspace;
  g_autoptr(GError) error = NULL;

  if (!baton_workspace_begin (workspace, &error)
      || !save (workspace, object, creating, &error)
      || !baton_resource_emit (resource, workspace, creating ? "created" : "updated", id, &error)
      || !baton_workspace_commit (workspace, &error))
    {
      baton_workspace_rollback (workspace);
      baton_request_reply_error (request, error);
      return;
    }
  baton_resource_reply (resource, request, creating ? 201 : 200, id);
}

/* DELETE /<table>/{id}: 404 when unknown; otherwise the row goes with a <name>.deleted {id}
 * event, and the hooks' work, in one transaction; 204. */
void
baton_resource_delete_and_reply (const BatonResource *resource,
                                 BatonRequest        *request,
                                 BatonResourceHook    before,
                                 BatonResourceHook    after)
{
  BatonWorkspace *workspace = request->workspace;
  const char *id = baton_request_param (request, 0);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", resource->table);
  g_autofree char *type = g_strdup_printf ("%s.deleted", resource->name);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GError) error = NULL;
  gpointer object = resource->load (workspace, id, &error);

  if (object == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  resource->unref (object);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_end_object (builder);

  if (!baton_workspace_begin (workspace, &error)
      || (before && !before (workspace, id, &error))
      || baton_store_exec (baton_workspace_get_store (workspace), &error, sql, "s", id) < 0
      || (after && !after (workspace, id, &error))
      || !baton_workspace_emit (workspace, type, NULL, json_builder_get_root (builder), &error)
      || !baton_workspace_commit (workspace, &error))
    {
      baton_workspace_rollback (workspace);
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply_empty (request, 204);
}
