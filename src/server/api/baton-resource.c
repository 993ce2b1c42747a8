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

/* Saves a validated object, then answers 201 or 200 with it as saved. */
void
baton_resource_save_and_reply (const BatonResource *resource,
                               BatonRequest        *request,
                               gpointer             object,
                               gboolean             creating)
{
  g_autoptr(GError) error = NULL;
  gpointer saved = resource->save (request->workspace, object, creating, &error);

  if (saved == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply (request, creating ? 201 : 200, resource->to_json (saved));
  resource->unref (saved);
}

/* DELETE /<objects>/{id}: 404 when unknown, else 204. */
void
baton_resource_delete_and_reply (const BatonResource *resource,
                                 BatonRequest        *request)
{
  g_autoptr(GError) error = NULL;

  if (!resource->remove (request->workspace, baton_request_param (request, 0), &error))
    baton_request_reply_error (request, error);
  else
    baton_request_reply_empty (request, 204);
}
