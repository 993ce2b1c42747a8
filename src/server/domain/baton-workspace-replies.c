/* baton-workspace-replies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-store-replies.h"
#include "baton-workspace-private.h"

/* Canned replies (API.md, "Canned replies"): the workspace's, which managers write and
 * everyone sees, and each agent's own, which nobody else sees, not even a manager. A reply
 * an agent may not see does not exist for them (404); one they see but may not write is 403. */

#define BODY_MAX_CHARS 4096

typedef struct {
  const BatonAgent *agent;
  const char *id;
  const BatonCannedReplyEdit *edit;
} ReplyRequest;

static gboolean
visible_to (const BatonCannedReply *reply,
            const BatonAgent       *agent)
{
  return reply->owner_id == NULL || g_strcmp0 (reply->owner_id, agent->id) == 0;
}

static gboolean
check_writable (const BatonCannedReply  *reply,
                const BatonAgent        *agent,
                GError                 **error)
{
  if (reply->owner_id == NULL && agent->role != BATON_ROLE_MANAGER)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_FORBIDDEN,
                   "Only a manager may write the workspace's replies");
      return FALSE;
    }
  return TRUE;
}

/* The reply as the agent may see it: another agent's own is NOT_FOUND. */
static BatonCannedReply *
load_visible (BatonWorkspace    *self,
              const BatonAgent  *agent,
              const char        *id,
              GError           **error)
{
  GError *local_error = NULL;
  g_autoptr(BatonCannedReply) reply = NULL;

  reply = baton_store_replies_get (baton_workspace_get_store (self), id, &local_error);
  if (reply && !visible_to (reply, agent))
    g_clear_pointer (&reply, baton_canned_reply_unref);
  return baton_workspace_found (g_steal_pointer (&reply), local_error, error, "reply", id);
}

/* A shortcut is typed after "/": a tag-like word (letters, digits, _ . : -), compared and
 * kept lower-case. */
static char *
normalize_shortcut (const char  *shortcut,
                    GError     **error)
{
  g_autofree char *normal = baton_tag_normalize ("shortcut", shortcut, NULL);

  if (normal == NULL || g_utf8_strlen (normal, -1) > BATON_CANNED_REPLY_SHORTCUT_MAX)
    {
      baton_set_field_error (error, "shortcut",
                             "shortcut must be 1 to %d letters, digits or _ . : -",
                             BATON_CANNED_REPLY_SHORTCUT_MAX);
      return NULL;
    }
  return g_steal_pointer (&normal);
}

static gboolean
validate_body (const char  *body,
               GError     **error)
{
  glong length = g_utf8_strlen (body, -1);
  g_autofree char *stripped = g_strstrip (g_strdup (body));

  if (length < 1 || length > BODY_MAX_CHARS || stripped[0] == '\0')
    {
      baton_set_field_error (error, "body", "body must be 1 to %d characters",
                             BODY_MAX_CHARS);
      return FALSE;
    }
  return TRUE;
}

/* Applies the members the edit gives to reply, validated. */
static gboolean
apply_edit (BatonCannedReply            *reply,
            const BatonCannedReplyEdit  *edit,
            GError                     **error)
{
  if (edit->shortcut)
    {
      char *shortcut = normalize_shortcut (edit->shortcut, error);

      if (shortcut == NULL)
        return FALSE;
      g_free (reply->shortcut);
      reply->shortcut = shortcut;
    }
  if (edit->title && !baton_validate_name ("title", edit->title, error))
    return FALSE;
  if (edit->body && !validate_body (edit->body, error))
    return FALSE;
  if (edit->title)
    {
      g_free (reply->title);
      reply->title = g_strdup (edit->title);
    }
  if (edit->body)
    {
      g_free (reply->body);
      reply->body = g_strdup (edit->body);
    }
  return TRUE;
}

/* Two replies one agent sees never share a shortcut: "/" and it must name one. */
static gboolean
check_shortcut_free (BatonWorkspace          *self,
                     const BatonCannedReply  *reply,
                     GError                 **error)
{
  gboolean taken = FALSE;

  if (!baton_store_replies_shortcut_taken (baton_workspace_get_store (self), reply->shortcut,
                                           reply->owner_id, reply->id, &taken, error))
    return FALSE;
  if (taken)
    {
      GError *local_error = NULL;

      baton_set_field_error (&local_error, "shortcut", "The shortcut /%s is already used",
                             reply->shortcut);
      local_error->code = BATON_ERROR_CONFLICT;
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* reply.created|updated|deleted, to whoever sees the reply */
static gboolean
emit_reply (BatonWorkspace          *self,
            const char              *verb,
            const BatonCannedReply  *reply,
            JsonNode                *data,
            GError                 **error)
{
  g_autofree char *type = g_strconcat ("reply.", verb, NULL);

  return baton_workspace_emit (self, type, reply->owner_id, data, error);
}

static gpointer
save_change (BatonWorkspace          *self,
             BatonCannedReply        *reply,
             gboolean                 creating,
             GError                 **error)
{
  BatonStore *store = baton_workspace_get_store (self);

  reply->updated_at = baton_workspace_now (self);
  if (creating)
    reply->created_at = reply->updated_at;
  if (!check_shortcut_free (self, reply, error)
      || !(creating ? baton_store_replies_insert (store, reply, error)
                    : baton_store_replies_update (store, reply, error))
      || !emit_reply (self, creating ? "created" : "updated", reply,
                      baton_canned_reply_to_json (reply), error))
    return NULL;
  return baton_canned_reply_ref (reply);
}

static gpointer
create_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const ReplyRequest *request = data;
  g_autoptr(BatonCannedReply) reply = baton_canned_reply_new ();

  const BatonCannedReplyEdit *edit = request->edit;

  if (edit->owner_given && edit->owner_id
      && g_strcmp0 (edit->owner_id, request->agent->id) != 0)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_FORBIDDEN,
                   "An agent's own replies are written by that agent only");
      return NULL;
    }
  reply->id = baton_id_new ("rpl", baton_workspace_now (self));
  reply->owner_id = edit->owner_given && edit->owner_id == NULL
                    ? NULL : g_strdup (request->agent->id);
  if (!check_writable (reply, request->agent, error))
    return NULL;
  if (edit->shortcut == NULL || edit->title == NULL || edit->body == NULL)
    {
      baton_set_field_error (error, edit->shortcut == NULL ? "shortcut"
                                    : edit->title == NULL ? "title" : "body",
                             "shortcut, title and body are required");
      return NULL;
    }
  if (!apply_edit (reply, edit, error))
    return NULL;
  return save_change (self, reply, TRUE, error);
}

static gpointer
update_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const ReplyRequest *request = data;
  g_autoptr(BatonCannedReply) reply = load_visible (self, request->agent, request->id, error);

  if (reply == NULL || !check_writable (reply, request->agent, error))
    return NULL;
  if (request->edit->owner_given && g_strcmp0 (request->edit->owner_id, reply->owner_id) != 0)
    {
      baton_set_field_error (error, "owner_id", "owner_id cannot change");
      return NULL;
    }
  if (!apply_edit (reply, request->edit, error))
    return NULL;
  return save_change (self, reply, FALSE, error);
}

static gpointer
delete_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const ReplyRequest *request = data;
  g_autoptr(BatonCannedReply) reply = load_visible (self, request->agent, request->id, error);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  if (reply == NULL || !check_writable (reply, request->agent, error))
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, reply->id);
  json_builder_end_object (builder);
  if (!baton_store_replies_delete (baton_workspace_get_store (self), reply->id, error)
      || !emit_reply (self, "deleted", reply, json_builder_get_root (builder), error))
    return NULL;
  return self;
}

GPtrArray *
baton_workspace_list_replies (BatonWorkspace    *self,
                              const BatonAgent  *agent,
                              GError           **error)
{
  return baton_store_replies_list (baton_workspace_get_store (self), agent->id, error);
}

BatonCannedReply *
baton_workspace_load_reply (BatonWorkspace    *self,
                            const BatonAgent  *agent,
                            const char        *id,
                            GError           **error)
{
  return load_visible (self, agent, id, error);
}

BatonCannedReply *
baton_workspace_create_reply (BatonWorkspace              *self,
                              const BatonAgent            *agent,
                              const BatonCannedReplyEdit  *edit,
                              GError                     **error)
{
  ReplyRequest request = { agent, NULL, edit };

  return baton_workspace_run (self, create_change, &request,
                              (GDestroyNotify) baton_canned_reply_unref, error);
}

BatonCannedReply *
baton_workspace_update_reply (BatonWorkspace              *self,
                              const BatonAgent            *agent,
                              const char                  *id,
                              const BatonCannedReplyEdit  *edit,
                              GError                     **error)
{
  ReplyRequest request = { agent, id, edit };

  return baton_workspace_run (self, update_change, &request,
                              (GDestroyNotify) baton_canned_reply_unref, error);
}

gboolean
baton_workspace_delete_reply (BatonWorkspace    *self,
                              const BatonAgent  *agent,
                              const char        *id,
                              GError           **error)
{
  ReplyRequest request = { agent, id, NULL };

  return baton_workspace_apply (self, delete_change, &request, NULL, error);
}
