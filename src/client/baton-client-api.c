/* baton-client-api.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-client"

#include "config.h"

#include "baton-attachment.h"
#include "baton-client-private.h"
#include "baton-json.h"
#include "baton-time.h"

/* The typed calls: each one builds its path and body here, sends them through
 * baton_client_call_async and reads the answer into core objects with a Reader. */

typedef gpointer (*ReadFunc) (JsonNode *node);

typedef struct {
  /* NULL: the answer carries nothing (204), the call finishes with a boolean */
  ReadFunc read;
  GDestroyNotify free;
  /* the answer is a list {items, next_cursor} of what read reads */
  gboolean list;
  /* run on success, before the caller hears of it */
  void (*apply) (BatonClient *self, gpointer value);
} Reader;

/* A list answer. */
typedef struct {
  GPtrArray *items;
  gboolean has_more;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

static void
apply_me (BatonClient *self,
          gpointer     value)
{
  baton_client_update_me (self, value);
}

#define READER(name, type, ...)                                                              \
  static const Reader name = { (ReadFunc) type##_from_json, (GDestroyNotify) type##_unref,   \
                               __VA_ARGS__ }

READER (me_reader, baton_agent, FALSE, apply_me);
READER (agents_reader, baton_agent, TRUE, NULL);
READER (agent_reader, baton_agent, FALSE, NULL);
READER (team_reader, baton_team, FALSE, NULL);
READER (teams_reader, baton_team, TRUE, NULL);
READER (contact_reader, baton_contact, FALSE, NULL);
READER (conversation_reader, baton_conversation, FALSE, NULL);
READER (message_reader, baton_message, FALSE, NULL);
READER (messages_reader, baton_message, TRUE, NULL);
READER (settings_reader, baton_workspace_config, FALSE, NULL);
READER (channel_reader, baton_channel, FALSE, NULL);
READER (channels_reader, baton_channel, TRUE, NULL);
READER (templates_reader, baton_template, TRUE, NULL);
static const Reader empty_reader = { NULL, NULL, FALSE, NULL };
static const Reader seen_reader = { (ReadFunc) baton_seen_from_json,
                                    (GDestroyNotify) baton_seen_free, FALSE, NULL };
static const Reader seens_reader = { (ReadFunc) baton_seen_from_json,
                                     (GDestroyNotify) baton_seen_free, TRUE, NULL };
READER (counts_reader, baton_conversation_counts, FALSE, NULL);
READER (canned_reply_reader, baton_canned_reply, FALSE, NULL);
READER (canned_replies_reader, baton_canned_reply, TRUE, NULL);
READER (attachment_reader, baton_attachment, FALSE, NULL);
READER (schedule_reader, baton_schedule, FALSE, NULL);
READER (schedules_reader, baton_schedule, TRUE, NULL);
READER (flows_reader, baton_flow, TRUE, NULL);
READER (flow_reader, baton_flow, FALSE, NULL);

/* An agent with the password the server chose for it, shown once. */
typedef struct {
  BatonAgent *agent;
  char *password;
} NewPassword;

static void
new_password_free (NewPassword *answer)
{
  g_clear_pointer (&answer->agent, baton_agent_unref);
  g_free (answer->password);
  g_free (answer);
}

static gpointer
new_password_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *password = baton_json_get_string (object, "password");
  NewPassword *answer = NULL;
  BatonAgent *agent = NULL;

  if (*password == '\0' || (agent = baton_agent_from_json (node)) == NULL)
    return NULL;
  answer = g_new0 (NewPassword, 1);
  answer->agent = agent;
  answer->password = g_strdup (password);
  return answer;
}

static const Reader new_password_reader = { new_password_from_json,
                                            (GDestroyNotify) new_password_free, FALSE, NULL };

char *
baton_client_path (const char *collection,
                   const char *id,
                   const char *rest)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat ("/", collection, "/", escaped, rest, NULL);
}

/* NULL when the answer is not a list; items that do not read are left out. */
static Page *
read_page (const Reader *reader,
           JsonNode     *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonArray *items = baton_json_get_array (object, "items");
  Page *page = NULL;

  if (items == NULL)
    return NULL;
  page = g_new0 (Page, 1);
  page->items = g_ptr_array_new_with_free_func (reader->free);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      gpointer item = reader->read (json_array_get_element (items, i));

      if (item)
        g_ptr_array_add (page->items, item);
    }
  page->has_more = *baton_json_get_string (object, "next_cursor") != '\0';
  return page;
}

static void
called_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const Reader *reader = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = baton_client_call_finish (BATON_CLIENT (source), result, &error);
  gpointer value = NULL;

  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (reader->read == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  value = reader->list ? (gpointer) read_page (reader, node) : reader->read (node);
  if (value == NULL)
    {
      g_task_return_new_error (task, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_INVALID_RESPONSE,
                               "The server sent an answer Baton does not understand");
      return;
    }
  if (reader->apply)
    reader->apply (BATON_CLIENT (source), value);
  g_task_return_pointer (task, value,
                         reader->list ? (GDestroyNotify) page_free : reader->free);
}

static void
call (BatonClient         *self,
      gpointer             source_tag,
      const Reader        *reader,
      const char          *method,
      const char          *path,
      JsonNode            *body,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) reader, NULL);
  baton_client_call_async (self, method, path, body, cancellable, called_cb, task);
}

static gboolean
is_task_of (BatonClient  *self,
            GAsyncResult *result,
            gpointer      source_tag)
{
  return g_task_is_valid (result, self) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

static gpointer
finish_value (BatonClient   *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              GError       **error)
{
  g_return_val_if_fail (is_task_of (self, result, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GPtrArray *
finish_list (BatonClient   *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             gboolean      *has_more,
             GError       **error)
{
  Page *page = finish_value (self, result, source_tag, error);
  GPtrArray *items = NULL;

  if (has_more)
    *has_more = page && page->has_more;
  if (page == NULL)
    return NULL;
  items = g_steal_pointer (&page->items);
  page_free (page);
  return items;
}

static gboolean
finish_done (BatonClient   *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (is_task_of (self, result, source_tag), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Bodies */

/* {member: value} */
static JsonNode *
string_body (const char *member,
             const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* {member: [values…]} */
static JsonNode *
strv_body (const char         *member,
           const char * const *values)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char * const none[] = { NULL };

  json_builder_begin_object (builder);
  baton_json_add_strv (builder, member, values ? values : none);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
team_body (BatonTeam *team)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char * const none[] = { NULL };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, team->name ? team->name : "");
  baton_json_add_strv (builder, "member_ids",
                       team->member_ids ? (const char * const *) team->member_ids : none);
  json_builder_set_member_name (builder, "strategy");
  json_builder_add_string_value (builder, baton_strategy_to_string (team->strategy));
  baton_json_add_nullable_string (builder, "default_user_id", team->default_user_id);
  baton_json_add_nullable_string (builder, "backup_user_id", team->backup_user_id);
  json_builder_set_member_name (builder, "only_online");
  json_builder_add_boolean_value (builder, team->only_online);
  baton_json_add_positive_int (builder, "max_active_per_agent", team->max_active_per_agent);
  baton_json_add_positive_int (builder, "reassign_after_minutes", team->reassign_after_minutes);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
template_body (const char         *name,
               const char         *language,
               const char * const *parameters)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char * const none[] = { NULL };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "template");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, language);
  baton_json_add_strv (builder, "parameters", parameters ? parameters : none);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
assignment_body (gboolean            set_team,
                 const char         *team_id,
                 const char * const *assignee_ids,
                 gint64              expected_version)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  if (set_team)
    baton_json_add_nullable_string (builder, "team_id", team_id);
  if (assignee_ids)
    baton_json_add_strv (builder, "assignee_ids", assignee_ids);
  if (expected_version >= 0)
    {
      json_builder_set_member_name (builder, "expected_version");
      json_builder_add_int_value (builder, expected_version);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Self */

void
baton_client_set_availability_async (BatonClient         *self,
                                     BatonAvailability    availability,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));

  body = string_body ("availability", baton_availability_to_string (availability));
  call (self, baton_client_set_availability_async, &me_reader, "PUT", "/me/availability", body,
        cancellable, callback, user_data);
}

BatonAgent *
baton_client_set_availability_finish (BatonClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_value (self, result, baton_client_set_availability_async, error);
}

/* Agents and teams */

void
baton_client_list_agents_async (BatonClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_list_agents_async, &agents_reader, "GET", "/agents", NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_agents_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_list (self, result, baton_client_list_agents_async, NULL, error);
}

void
baton_client_list_teams_async (BatonClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_list_teams_async, &teams_reader, "GET", "/teams", NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_teams_finish (BatonClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_list (self, result, baton_client_list_teams_async, NULL, error);
}

void
baton_client_create_team_async (BatonClient         *self,
                                BatonTeam           *team,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (team != NULL);

  body = team_body (team);
  call (self, baton_client_create_team_async, &team_reader, "POST", "/teams", body,
        cancellable, callback, user_data);
}

BatonTeam *
baton_client_create_team_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_value (self, result, baton_client_create_team_async, error);
}

void
baton_client_update_team_async (BatonClient         *self,
                                BatonTeam           *team,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (team != NULL && team->id != NULL);

  body = team_body (team);
  path = baton_client_path ("teams", team->id, NULL);
  call (self, baton_client_update_team_async, &team_reader, "PATCH", path, body,
        cancellable, callback, user_data);
}

BatonTeam *
baton_client_update_team_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_value (self, result, baton_client_update_team_async, error);
}

void
baton_client_delete_team_async (BatonClient         *self,
                                const char          *team_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (team_id != NULL);

  path = baton_client_path ("teams", team_id, NULL);
  call (self, baton_client_delete_team_async, &empty_reader, "DELETE", path, NULL,
        cancellable, callback, user_data);
}

gboolean
baton_client_delete_team_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_done (self, result, baton_client_delete_team_async, error);
}

/* Agents, written by managers */

void
baton_client_create_agent_async (BatonClient         *self,
                                 const char          *name,
                                 const char          *email,
                                 BatonRole            role,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (name != NULL && email != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, baton_role_to_string (role));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  call (self, baton_client_create_agent_async, &new_password_reader, "POST", "/agents", body,
        cancellable, callback, user_data);
}

static BatonAgent *
finish_new_password (BatonClient   *self,
                     GAsyncResult  *result,
                     gpointer       source_tag,
                     char         **password,
                     GError       **error)
{
  NewPassword *answer = finish_value (self, result, source_tag, error);
  BatonAgent *agent = NULL;

  if (answer == NULL)
    return NULL;
  agent = g_steal_pointer (&answer->agent);
  if (password)
    *password = g_steal_pointer (&answer->password);
  new_password_free (answer);
  return agent;
}

/* password: the one the server chose, which it never shows again */
BatonAgent *
baton_client_create_agent_finish (BatonClient   *self,
                                  GAsyncResult  *result,
                                  char         **password,
                                  GError       **error)
{
  return finish_new_password (self, result, baton_client_create_agent_async, password, error);
}

void
baton_client_set_agent_role_async (BatonClient         *self,
                                   const char          *agent_id,
                                   BatonRole            role,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (agent_id != NULL);

  body = string_body ("role", baton_role_to_string (role));
  path = baton_client_path ("agents", agent_id, NULL);
  call (self, baton_client_set_agent_role_async, &agent_reader, "PATCH", path, body,
        cancellable, callback, user_data);
}

BatonAgent *
baton_client_set_agent_role_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_value (self, result, baton_client_set_agent_role_async, error);
}

void
baton_client_reset_agent_password_async (BatonClient         *self,
                                         const char          *agent_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (agent_id != NULL);

  path = baton_client_path ("agents", agent_id, "/password");
  call (self, baton_client_reset_agent_password_async, &new_password_reader, "POST", path,
        NULL, cancellable, callback, user_data);
}

BatonAgent *
baton_client_reset_agent_password_finish (BatonClient   *self,
                                          GAsyncResult  *result,
                                          char         **password,
                                          GError       **error)
{
  return finish_new_password (self, result, baton_client_reset_agent_password_async, password,
                              error);
}

void
baton_client_delete_agent_async (BatonClient         *self,
                                 const char          *agent_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (agent_id != NULL);

  path = baton_client_path ("agents", agent_id, NULL);
  call (self, baton_client_delete_agent_async, &empty_reader, "DELETE", path, NULL,
        cancellable, callback, user_data);
}

gboolean
baton_client_delete_agent_finish (BatonClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_done (self, result, baton_client_delete_agent_async, error);
}

/* Contacts */

void
baton_client_get_contact_async (BatonClient         *self,
                                const char          *contact_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (contact_id != NULL);

  path = baton_client_path ("contacts", contact_id, NULL);
  call (self, baton_client_get_contact_async, &contact_reader, "GET", path, NULL,
        cancellable, callback, user_data);
}

BatonContact *
baton_client_get_contact_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_value (self, result, baton_client_get_contact_async, error);
}

void
baton_client_set_contact_tags_async (BatonClient         *self,
                                     const char          *contact_id,
                                     const char * const  *tags,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (contact_id != NULL);

  path = baton_client_path ("contacts", contact_id, NULL);
  body = strv_body ("tags", tags);
  call (self, baton_client_set_contact_tags_async, &contact_reader, "PATCH", path, body,
        cancellable, callback, user_data);
}

BatonContact *
baton_client_set_contact_tags_finish (BatonClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_value (self, result, baton_client_set_contact_tags_async, error);
}

void
baton_client_set_contact_owners_async (BatonClient         *self,
                                       const char          *contact_id,
                                       const char * const  *owner_ids,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (contact_id != NULL);

  path = baton_client_path ("contacts", contact_id, "/owners");
  body = strv_body ("owner_ids", owner_ids);
  call (self, baton_client_set_contact_owners_async, &contact_reader, "PUT", path, body,
        cancellable, callback, user_data);
}

BatonContact *
baton_client_set_contact_owners_finish (BatonClient   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return finish_value (self, result, baton_client_set_contact_owners_async, error);
}

/* {name?, fields?}: fields maps a key to its value, NULL to null (removed) */
static JsonNode *
contact_patch_body (const char *name,
                    GHashTable *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  GHashTableIter iter;
  gpointer key = NULL;
  gpointer value = NULL;

  json_builder_begin_object (builder);
  if (name)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  if (fields)
    {
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_object (builder);
      g_hash_table_iter_init (&iter, fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (builder, key);
          if (value)
            json_builder_add_string_value (builder, value);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
baton_client_update_contact_async (BatonClient         *self,
                                   const char          *contact_id,
                                   const char          *name,
                                   GHashTable          *fields,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (contact_id != NULL);

  path = baton_client_path ("contacts", contact_id, NULL);
  body = contact_patch_body (name, fields);
  call (self, baton_client_update_contact_async, &contact_reader, "PATCH", path, body,
        cancellable, callback, user_data);
}

BatonContact *
baton_client_update_contact_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_value (self, result, baton_client_update_contact_async, error);
}

/* Conversations */

void
baton_client_get_conversation_async (BatonClient         *self,
                                     const char          *conversation_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL);

  path = baton_client_path ("conversations", conversation_id, NULL);
  call (self, baton_client_get_conversation_async, &conversation_reader, "GET", path, NULL,
        cancellable, callback, user_data);
}

BatonConversation *
baton_client_get_conversation_finish (BatonClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_value (self, result, baton_client_get_conversation_async, error);
}

void
baton_client_list_messages_async (BatonClient         *self,
                                  const char          *conversation_id,
                                  const char          *before,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL);
  g_return_if_fail (limit > 0);

  escaped = before ? g_uri_escape_string (before, NULL, FALSE) : NULL;
  query = g_strdup_printf ("/messages?limit=%u%s%s", limit, escaped ? "&before=" : "",
                           escaped ? escaped : "");
  path = baton_client_path ("conversations", conversation_id, query);
  call (self, baton_client_list_messages_async, &messages_reader, "GET", path, NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_messages_finish (BatonClient   *self,
                                   GAsyncResult  *result,
                                   gboolean      *has_more,
                                   GError       **error)
{
  return finish_list (self, result, baton_client_list_messages_async, has_more, error);
}

/* {body?, note?, attachment_ids?, client_id}; a new random client_id when none is given */
static JsonNode *
reply_body (const char         *body,
            gboolean            note,
            const char * const *attachment_ids,
            const char         *client_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *random_id = client_id ? NULL : g_uuid_string_random ();

  json_builder_begin_object (builder);
  if (body)
    {
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, body);
    }
  if (note)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (attachment_ids && attachment_ids[0])
    {
      json_builder_set_member_name (builder, "attachment_ids");
      json_builder_begin_array (builder);
      for (guint i = 0; attachment_ids[i]; i++)
        json_builder_add_string_value (builder, attachment_ids[i]);
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, client_id ? client_id : random_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
baton_client_send_message_async (BatonClient         *self,
                                 const char          *conversation_id,
                                 const char          *body,
                                 gboolean             note,
                                 const char          *client_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonNode) request = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL && body != NULL);

  request = reply_body (body, note, NULL, client_id);
  path = baton_client_path ("conversations", conversation_id, "/messages");
  call (self, baton_client_send_message_async, &message_reader, "POST", path, request,
        cancellable, callback, user_data);
}

BatonMessage *
baton_client_send_message_finish (BatonClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_value (self, result, baton_client_send_message_async, error);
}

void
baton_client_send_reply_async (BatonClient         *self,
                               const char          *conversation_id,
                               const char          *body,
                               gboolean             note,
                               const char * const  *attachment_ids,
                               const char          *client_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonNode) request = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL);
  g_return_if_fail (body != NULL || (attachment_ids && attachment_ids[0]));

  request = reply_body (body, note, attachment_ids, client_id);
  path = baton_client_path ("conversations", conversation_id, "/messages");
  call (self, baton_client_send_reply_async, &message_reader, "POST", path, request,
        cancellable, callback, user_data);
}

BatonMessage *
baton_client_send_reply_finish (BatonClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_value (self, result, baton_client_send_reply_async, error);
}

void
baton_client_upload_attachment_async (BatonClient             *self,
                                      const char              *filename,
                                      const char              *content_type,
                                      GBytes                  *bytes,
                                      BatonClientProgressFunc  progress_func,
                                      gpointer                 progress_data,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GTask *task = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (filename != NULL && content_type != NULL && bytes != NULL);

  escaped = g_uri_escape_string (filename, NULL, FALSE);
  path = g_strconcat ("/attachments?filename=", escaped, NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_upload_attachment_async);
  g_task_set_task_data (task, (gpointer) &attachment_reader, NULL);
  baton_client_post_bytes_async (self, path, content_type, bytes, progress_func, progress_data,
                                 cancellable, called_cb, task);
}

BatonAttachment *
baton_client_upload_attachment_finish (BatonClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return finish_value (self, result, baton_client_upload_attachment_async, error);
}

void
baton_client_send_template_async (BatonClient         *self,
                                  const char          *conversation_id,
                                  const char          *name,
                                  const char          *language,
                                  const char * const  *parameters,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL && name != NULL && language != NULL);

  body = template_body (name, language, parameters);
  path = baton_client_path ("conversations", conversation_id, "/messages");
  call (self, baton_client_send_template_async, &message_reader, "POST", path, body,
        cancellable, callback, user_data);
}

BatonMessage *
baton_client_send_template_finish (BatonClient   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_value (self, result, baton_client_send_template_async, error);
}

void
baton_client_assign_async (BatonClient         *self,
                           const char          *conversation_id,
                           gboolean             set_team,
                           const char          *team_id,
                           const char * const  *assignee_ids,
                           gint64               expected_version,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL);

  body = assignment_body (set_team, team_id, assignee_ids, expected_version);
  path = baton_client_path ("conversations", conversation_id, "/assignment");
  call (self, baton_client_assign_async, &conversation_reader, "PUT", path, body,
        cancellable, callback, user_data);
}

BatonConversation *
baton_client_assign_finish (BatonClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_value (self, result, baton_client_assign_async, error);
}

void
baton_client_act_async (BatonClient             *self,
                        const char              *conversation_id,
                        BatonConversationAction  action,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  static const char *suffixes[] = { "/claim", "/resolve", "/reopen" };
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL);
  g_return_if_fail ((guint) action < G_N_ELEMENTS (suffixes));

  path = baton_client_path ("conversations", conversation_id, suffixes[action]);
  call (self, baton_client_act_async, &conversation_reader, "POST", path, NULL,
        cancellable, callback, user_data);
}

BatonConversation *
baton_client_act_finish (BatonClient   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_value (self, result, baton_client_act_async, error);
}

void
baton_client_mark_read_async (BatonClient         *self,
                              const char          *conversation_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL);

  path = baton_client_path ("conversations", conversation_id, "/read");
  call (self, baton_client_mark_read_async, &empty_reader, "POST", path, NULL,
        cancellable, callback, user_data);
}

gboolean
baton_client_mark_read_finish (BatonClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_done (self, result, baton_client_mark_read_async, error);
}

static void
attachment_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *content_type = NULL;
  g_autoptr(GBytes) bytes = baton_client_fetch_bytes_finish (BATON_CLIENT (source), result,
                                                             &content_type, &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, content_type, g_free);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

void
baton_client_fetch_attachment_async (BatonClient         *self,
                                     const char          *attachment_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (attachment_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_fetch_attachment_async);
  path = baton_client_path ("attachments", attachment_id, NULL);
  baton_client_fetch_bytes_async (self, path, cancellable, attachment_fetched_cb, task);
}

GBytes *
baton_client_fetch_attachment_finish (BatonClient   *self,
                                      GAsyncResult  *result,
                                      char         **content_type,
                                      GError       **error)
{
  GBytes *bytes = finish_value (self, result, baton_client_fetch_attachment_async, error);

  if (content_type)
    *content_type = bytes ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;
  return bytes;
}

/* Workspace */

void
baton_client_get_settings_async (BatonClient         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_get_settings_async, &settings_reader, "GET", "/settings", NULL,
        cancellable, callback, user_data);
}

BatonWorkspaceConfig *
baton_client_get_settings_finish (BatonClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_value (self, result, baton_client_get_settings_async, error);
}

void
baton_client_update_settings_async (BatonClient         *self,
                                    BatonWorkspaceConfig       *settings,
                                    BatonWorkspaceConfigFields  fields,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (settings != NULL);

  body = baton_workspace_config_to_json (settings, fields);
  call (self, baton_client_update_settings_async, &settings_reader, "PATCH", "/settings", body,
        cancellable, callback, user_data);
}

BatonWorkspaceConfig *
baton_client_update_settings_finish (BatonClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_value (self, result, baton_client_update_settings_async, error);
}

void
baton_client_list_channels_async (BatonClient         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_list_channels_async, &channels_reader, "GET", "/channels", NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_channels_finish (BatonClient   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_list (self, result, baton_client_list_channels_async, NULL, error);
}

void
baton_client_create_channel_async (BatonClient         *self,
                                   BatonChannel        *channel,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (channel != NULL);

  body = baton_channel_to_json (channel, TRUE);
  call (self, baton_client_create_channel_async, &channel_reader, "POST", "/channels", body,
        cancellable, callback, user_data);
}

BatonChannel *
baton_client_create_channel_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_value (self, result, baton_client_create_channel_async, error);
}

void
baton_client_update_channel_async (BatonClient         *self,
                                   BatonChannel        *channel,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (channel != NULL && channel->id != NULL);

  body = baton_channel_to_json (channel, FALSE);
  path = baton_client_path ("channels", channel->id, NULL);
  call (self, baton_client_update_channel_async, &channel_reader, "PATCH", path, body,
        cancellable, callback, user_data);
}

BatonChannel *
baton_client_update_channel_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_value (self, result, baton_client_update_channel_async, error);
}

void
baton_client_delete_channel_async (BatonClient         *self,
                                   const char          *channel_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (channel_id != NULL);

  path = baton_client_path ("channels", channel_id, NULL);
  call (self, baton_client_delete_channel_async, &empty_reader, "DELETE", path, NULL,
        cancellable, callback, user_data);
}

gboolean
baton_client_delete_channel_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_done (self, result, baton_client_delete_channel_async, error);
}

void
baton_client_list_templates_async (BatonClient         *self,
                                   const char          *channel_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (channel_id != NULL);

  path = baton_client_path ("channels", channel_id, "/templates");
  call (self, baton_client_list_templates_async, &templates_reader, "GET", path, NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_templates_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_list (self, result, baton_client_list_templates_async, NULL, error);
}

/* Read state */

void
baton_client_mark_seen_async (BatonClient         *self,
                              const char          *conversation_id,
                              const char          *message_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (conversation_id != NULL);
  g_return_if_fail (message_id != NULL);

  path = baton_client_path ("conversations", conversation_id, "/seen");
  body = string_body ("message_id", message_id);
  call (self, baton_client_mark_seen_async, &seen_reader, "POST", path, body, cancellable,
        callback, user_data);
}

BatonSeen *
baton_client_mark_seen_finish (BatonClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_value (self, result, baton_client_mark_seen_async, error);
}

void
baton_client_list_seen_async (BatonClient         *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_list_seen_async, &seens_reader, "GET", "/me/seen", NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_seen_finish (BatonClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_list (self, result, baton_client_list_seen_async, NULL, error);
}

void
baton_client_get_counts_async (BatonClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_get_counts_async, &counts_reader, "GET", "/conversations/counts",
        NULL, cancellable, callback, user_data);
}

BatonConversationCounts *
baton_client_get_counts_finish (BatonClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_value (self, result, baton_client_get_counts_async, error);
}

/* Canned replies */

/* shortcut, title and body; owner_id too for a create (null: the workspace's) */
static JsonNode *
canned_reply_body (BatonCannedReply *reply,
                   gboolean          creating)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shortcut");
  json_builder_add_string_value (builder, reply->shortcut ? reply->shortcut : "");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, reply->title ? reply->title : "");
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, reply->body ? reply->body : "");
  if (creating)
    baton_json_add_nullable_string (builder, "owner_id", reply->owner_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
baton_client_list_replies_async (BatonClient         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_list_replies_async, &canned_replies_reader, "GET", "/replies", NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_replies_finish (BatonClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_list (self, result, baton_client_list_replies_async, NULL, error);
}

void
baton_client_create_reply_async (BatonClient         *self,
                                 BatonCannedReply    *reply,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (reply != NULL);

  body = canned_reply_body (reply, TRUE);
  call (self, baton_client_create_reply_async, &canned_reply_reader, "POST", "/replies", body,
        cancellable, callback, user_data);
}

BatonCannedReply *
baton_client_create_reply_finish (BatonClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_value (self, result, baton_client_create_reply_async, error);
}

void
baton_client_update_reply_async (BatonClient         *self,
                                 BatonCannedReply    *reply,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (reply != NULL && reply->id != NULL);

  body = canned_reply_body (reply, FALSE);
  path = baton_client_path ("replies", reply->id, NULL);
  call (self, baton_client_update_reply_async, &canned_reply_reader, "PATCH", path, body,
        cancellable, callback, user_data);
}

BatonCannedReply *
baton_client_update_reply_finish (BatonClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_value (self, result, baton_client_update_reply_async, error);
}

void
baton_client_delete_reply_async (BatonClient         *self,
                                 const char          *reply_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (reply_id != NULL);

  path = baton_client_path ("replies", reply_id, NULL);
  call (self, baton_client_delete_reply_async, &empty_reader, "DELETE", path, NULL,
        cancellable, callback, user_data);
}

gboolean
baton_client_delete_reply_finish (BatonClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_done (self, result, baton_client_delete_reply_async, error);
}

/* Schedules and the flows that use them */

/* The members of an object's wire shape a request sends (NULL-terminated). */
static JsonNode *
pick_members (JsonNode          *wire,
              const char *const *members)
{
  JsonObject *object = json_node_get_object (wire);
  JsonNode *body = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (body, json_object_new ());
  for (guint i = 0; members[i]; i++)
    json_object_set_member (json_node_get_object (body), members[i],
                            json_node_copy (json_object_get_member (object, members[i])));
  return body;
}

/* The schedule's wire shape without what the server owns (id, times). */
static JsonNode *
schedule_body (BatonSchedule *schedule)
{
  static const char *const members[] = { "name", "timezone", "weekly", "holidays", NULL };
  g_autoptr(JsonNode) wire = baton_schedule_to_json (schedule);

  return pick_members (wire, members);
}

void
baton_client_list_schedules_async (BatonClient         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_list_schedules_async, &schedules_reader, "GET", "/schedules", NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_schedules_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_list (self, result, baton_client_list_schedules_async, NULL, error);
}

void
baton_client_create_schedule_async (BatonClient         *self,
                                    BatonSchedule       *schedule,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (schedule != NULL);

  body = schedule_body (schedule);
  call (self, baton_client_create_schedule_async, &schedule_reader, "POST", "/schedules", body,
        cancellable, callback, user_data);
}

BatonSchedule *
baton_client_create_schedule_finish (BatonClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_value (self, result, baton_client_create_schedule_async, error);
}

void
baton_client_update_schedule_async (BatonClient         *self,
                                    BatonSchedule       *schedule,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (schedule != NULL && schedule->id != NULL);

  body = schedule_body (schedule);
  path = baton_client_path ("schedules", schedule->id, NULL);
  call (self, baton_client_update_schedule_async, &schedule_reader, "PATCH", path, body,
        cancellable, callback, user_data);
}

BatonSchedule *
baton_client_update_schedule_finish (BatonClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_value (self, result, baton_client_update_schedule_async, error);
}

void
baton_client_delete_schedule_async (BatonClient         *self,
                                    const char          *schedule_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (schedule_id != NULL);

  path = baton_client_path ("schedules", schedule_id, NULL);
  call (self, baton_client_delete_schedule_async, &empty_reader, "DELETE", path, NULL,
        cancellable, callback, user_data);
}

gboolean
baton_client_delete_schedule_finish (BatonClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_done (self, result, baton_client_delete_schedule_async, error);
}

void
baton_client_list_flows_async (BatonClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  call (self, baton_client_list_flows_async, &flows_reader, "GET", "/flows", NULL,
        cancellable, callback, user_data);
}

GPtrArray *
baton_client_list_flows_finish (BatonClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_list (self, result, baton_client_list_flows_async, NULL, error);
}

/* Flows */

static JsonNode *
flow_body (BatonFlow        *flow,
           BatonFlowMembers  members)
{
  static const char *const names[] = { "name", "enabled", "position", "trigger", "steps" };
  const char *picked[G_N_ELEMENTS (names) + 1] = { NULL };
  g_autoptr(JsonNode) wire = baton_flow_to_json (flow);
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (members & (1 << i))
      picked[n++] = names[i];
  return pick_members (wire, picked);
}

void
baton_client_create_flow_async (BatonClient         *self,
                                BatonFlow           *flow,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (flow != NULL);

  body = flow_body (flow, BATON_FLOW_MEMBERS_EDITED);
  call (self, baton_client_create_flow_async, &flow_reader, "POST", "/flows", body,
        cancellable, callback, user_data);
}

BatonFlow *
baton_client_create_flow_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_value (self, result, baton_client_create_flow_async, error);
}

void
baton_client_update_flow_async (BatonClient         *self,
                                BatonFlow           *flow,
                                BatonFlowMembers     members,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (flow != NULL && flow->id != NULL);

  body = flow_body (flow, members);
  path = baton_client_path ("flows", flow->id, NULL);
  call (self, baton_client_update_flow_async, &flow_reader, "PATCH", path, body,
        cancellable, callback, user_data);
}

BatonFlow *
baton_client_update_flow_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_value (self, result, baton_client_update_flow_async, error);
}

void
baton_client_delete_flow_async (BatonClient         *self,
                                const char          *flow_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (flow_id != NULL);

  path = baton_client_path ("flows", flow_id, NULL);
  call (self, baton_client_delete_flow_async, &empty_reader, "DELETE", path, NULL,
        cancellable, callback, user_data);
}

gboolean
baton_client_delete_flow_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_done (self, result, baton_client_delete_flow_async, error);
}

/* A flow's dry run */

static const Reader trial_reader = { (ReadFunc) baton_flow_trial_from_json,
                                     (GDestroyNotify) baton_flow_trial_unref, FALSE, NULL };

void
baton_client_test_flow_async (BatonClient                *self,
                              BatonFlow                  *flow,
                              const BatonFlowTrialSample *sample,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (flow != NULL && sample != NULL);

  if (flow->id)
    json_object_set_string_member (object, "flow_id", flow->id);
  else
    json_object_set_member (object, "flow", baton_flow_to_json (flow));
  json_object_set_member (object, "sample", baton_flow_trial_sample_to_json (sample));
  json_node_set_object (body, object);
  call (self, baton_client_test_flow_async, &trial_reader, "POST", "/flows/test", body,
        cancellable, callback, user_data);
}

BatonFlowTrial *
baton_client_test_flow_finish (BatonClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_value (self, result, baton_client_test_flow_async, error);
}

/* Reports */

READER (report_reader, baton_report, FALSE, NULL);

/* "/reports/summary<suffix>?…" with the parameters that are set */
static char *
report_path (const char *suffix,
             gint64      from,
             gint64      to,
             const char *team_id,
             const char *agent_id)
{
  g_autoptr(GString) path = g_string_new ("/reports/summary");
  char separator = '?';

  g_string_append (path, suffix);
  if (from)
    {
      g_autofree char *text = baton_time_format (from);

      g_string_append_printf (path, "%cfrom=%s", separator, text);
      separator = '&';
    }
  if (to)
    {
      g_autofree char *text = baton_time_format (to);

      g_string_append_printf (path, "%cto=%s", separator, text);
      separator = '&';
    }
  if (team_id)
    {
      g_string_append_printf (path, "%cteam=", separator);
      g_string_append_uri_escaped (path, team_id, NULL, FALSE);
      separator = '&';
    }
  if (agent_id)
    {
      g_string_append_printf (path, "%cagent=", separator);
      g_string_append_uri_escaped (path, agent_id, NULL, FALSE);
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

void
baton_client_get_report_async (BatonClient         *self,
                               gint64               from,
                               gint64               to,
                               const char          *team_id,
                               const char          *agent_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));

  path = report_path ("", from, to, team_id, agent_id);
  call (self, baton_client_get_report_async, &report_reader, "GET", path, NULL, cancellable,
        callback, user_data);
}

BatonReport *
baton_client_get_report_finish (BatonClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_value (self, result, baton_client_get_report_async, error);
}

void
baton_client_get_report_csv_async (BatonClient         *self,
                                   gint64               from,
                                   gint64               to,
                                   const char          *team_id,
                                   const char          *agent_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_get_report_csv_async);
  path = report_path (".csv", from, to, team_id, agent_id);
  baton_client_fetch_bytes_async (self, path, cancellable, attachment_fetched_cb, task);
}

GBytes *
baton_client_get_report_csv_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_value (self, result, baton_client_get_report_csv_async, error);
}
