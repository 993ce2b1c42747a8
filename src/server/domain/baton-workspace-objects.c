/* baton-workspace-objects.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-workspace-private.h"

/* The objects a manager edits (teams, flows, schedules): saved or deleted with their
 * <name>.created|updated|deleted event, in one change. */

typedef struct {
  const BatonObjectKind *kind;
  gpointer object;
  const char *id;
  gboolean creating;
} ObjectChange;

static gpointer
save_change (BatonWorkspace  *self,
             gpointer         data,
             GError         **error)
{
  ObjectChange *change = data;
  const BatonObjectKind *kind = change->kind;
  g_autofree char *type = g_strdup_printf ("%s.%s", kind->name,
                                           change->creating ? "created" : "updated");
  gpointer saved = NULL;

  if (!kind->write (self, change->object, change->creating, error))
    return NULL;
  saved = kind->load (self, change->id, error);
  if (saved == NULL)
    return NULL;
  if (!baton_workspace_emit (self, type, NULL, kind->to_json (saved), error))
    {
      kind->unref (saved);
      return NULL;
    }
  return saved;
}

/* The object as saved, published. */
gpointer
baton_workspace_save_object (BatonWorkspace         *self,
                             const BatonObjectKind  *kind,
                             gpointer                object,
                             const char             *id,
                             gboolean                creating,
                             GError                **error)
{
  ObjectChange change = { kind, object, id, creating };

  return baton_workspace_run (self, save_change, &change, kind->unref, error);
}

static gpointer
delete_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  ObjectChange *change = data;
  const BatonObjectKind *kind = change->kind;
  g_autofree char *type = g_strdup_printf ("%s.deleted", kind->name);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  gpointer object = kind->load (self, change->id, error);

  if (object == NULL)
    return NULL;
  kind->unref (object);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, change->id);
  json_builder_end_object (builder);
  if (!kind->remove (self, change->id, error)
      || !baton_workspace_emit (self, type, NULL, json_builder_get_root (builder), error))
    return NULL;
  return self;
}

/* NOT_FOUND when there is no such object. */
gboolean
baton_workspace_delete_object (BatonWorkspace         *self,
                               const BatonObjectKind  *kind,
                               const char             *id,
                               GError                **error)
{
  ObjectChange change = { kind, NULL, id, FALSE };

  return baton_workspace_apply (self, delete_change, &change, NULL, error);
}
