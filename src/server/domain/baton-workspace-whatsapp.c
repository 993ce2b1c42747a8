/* baton-workspace-whatsapp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-whatsapp"

#include "config.h"

#include <string.h>

#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-time.h"
#include "baton-whatsapp-payload.h"
#include "baton-workspace-private.h"

/* The WhatsApp side of the domain: replies become Graph requests in the outbox, and what the
 * webhook brings (messages, reactions, number changes, statuses) changes the inbox, each in
 * its own transaction with its events. */

void
baton_outgoing_clear (BatonOutgoing *outgoing)
{
  g_clear_pointer (&outgoing->channel, g_free);
  g_clear_pointer (&outgoing->body, g_free);
  g_clear_pointer (&outgoing->recipient, g_free);
  g_clear_pointer (&outgoing->payload, json_node_unref);
}

/* The text of a template's BODY component, and how many {{n}} parameters it takes. */
static char *
template_body (const char *components_json,
               guint      *n_parameters)
{
  g_autoptr(JsonNode) root = baton_json_parse_text (components_json);
  JsonArray *components = NULL;

  *n_parameters = 0;
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return g_strdup ("");
  components = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonNode *node = json_array_get_element (components, i);
      JsonObject *component = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *text = baton_json_get_string (component, "text");

      if (g_ascii_strcasecmp (baton_json_get_string (component, "type") ?: "", "BODY") != 0
          || text == NULL)
        continue;
      for (const char *p = strstr (text, "{{"); p; p = strstr (p + 2, "{{"))
        {
          guint64 n = 0;
          char *end = NULL;

          n = g_ascii_strtoull (p + 2, &end, 10);
          if (end != p + 2 && g_str_has_prefix (end, "}}") && n > *n_parameters && n <= 100)
            *n_parameters = (guint) n;
        }
      return g_strdup (text);
    }
  return g_strdup ("");
}

static char *
render_template (const char         *text,
                                const char * const *parameters)
{
  GString *rendered = g_string_new (NULL);
  guint n_parameters = parameters ? g_strv_length ((char **) parameters) : 0;
  const char *p = text;

  while (*p)
    {
      const char *open = strstr (p, "{{");
      guint64 n = 0;
      char *end = NULL;

      if (open == NULL)
        {
          g_string_append (rendered, p);
          break;
        }
      g_string_append_len (rendered, p, open - p);
      n = g_ascii_strtoull (open + 2, &end, 10);
      if (end != open + 2 && g_str_has_prefix (end, "}}") && n >= 1 && n <= n_parameters)
        {
          g_string_append (rendered, parameters[n - 1]);
          p = end + 2;
        }
      else
        {
          g_string_append (rendered, "{{");
          p = open + 2;
        }
    }
  return g_string_free (rendered, FALSE);
}

static gboolean
prepare_template (BatonWorkspace     *self,
                  const char         *channel_id,
                  const BatonReply   *reply,
                  BatonOutgoing      *outgoing,
                  GError            **error)
{
  g_autoptr(BatonRows) rows = NULL;
  g_autofree char *text = NULL;
  guint n_parameters = 0;
  guint given = reply->template_parameters
                ? g_strv_length ((char **) reply->template_parameters) : 0;

  rows = baton_store_query (baton_workspace_get_store (self), error,
                            "SELECT components FROM templates WHERE channel_id = ? AND name = ?"
                            " AND language = ? AND status = 'APPROVED'", "sss", channel_id,
                            reply->template_name, reply->template_language);
  if (rows == NULL)
    return FALSE;
  if (baton_rows_count (rows) == 0)
    {
      baton_set_field_error (error, "template.name",
                             "This channel has no approved template %s in %s",
                             reply->template_name, reply->template_language);
      return FALSE;
    }
  text = template_body (baton_rows_text (rows, 0, 0), &n_parameters);
  if (given != n_parameters)
    {
      baton_set_field_error (error, "template.parameters",
                             "Template %s takes %u parameters, %u were given",
                             reply->template_name, n_parameters, given);
      return FALSE;
    }
  for (guint i = 0; i < given; i++)
    if (*reply->template_parameters[i] == '\0' || strlen (reply->template_parameters[i]) > 1024)
      {
        baton_set_field_error (error, "template.parameters",
                               "Each template parameter must have 1 to 1024 bytes");
        return FALSE;
      }
  outgoing->body = render_template (text, reply->template_parameters);
  outgoing->payload = baton_whatsapp_template_payload (outgoing->recipient[0] == '+'
                                                       ? outgoing->recipient + 1 : NULL,
                                                       outgoing->recipient[0] == '+'
                                                       ? NULL : outgoing->recipient,
                                                       reply->template_name,
                                                       reply->template_language,
                                                       reply->template_parameters,
                                                       reply->template_button_payloads);
  return TRUE;
}

/* Checks a reply against its channel and builds what the channel is sent. The recipient is
 * kept as "+<wa_id>" or the BSUID (the outbox's per-recipient key). */
gboolean
baton_workspace_prepare_outgoing (BatonWorkspace     *self,
                                  BatonConversation  *conversation,
                                  const BatonReply   *reply,
                                  BatonOutgoing      *outgoing,
                                  GError            **error)
{
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonRows) channel = NULL;
  g_autoptr(BatonRows) contact = NULL;
  g_autoptr(BatonRows) quoted = NULL;
  const char *quoted_external_id = NULL;
  gboolean whatsapp;

  if (reply->in_reply_to)
    {
      quoted = baton_store_query (store, error,
                                  "SELECT external_id FROM messages WHERE id = ?"
                                  " AND conversation_id = ?", "ss", reply->in_reply_to,
                                  conversation->id);
      if (quoted == NULL)
        return FALSE;
      if (baton_rows_count (quoted) == 0)
        {
          baton_set_field_error (error, "in_reply_to",
                                 "No message %s in this conversation", reply->in_reply_to);
          return FALSE;
        }
      quoted_external_id = baton_rows_text (quoted, 0, 0);
    }
  channel = baton_store_query (store, error, "SELECT kind FROM channels WHERE id = ?", "s",
                               conversation->channel_id);
  if (channel == NULL)
    return FALSE;
  whatsapp = baton_rows_count (channel) == 1
             && g_strcmp0 (baton_rows_text (channel, 0, 0), "whatsapp") == 0;
  if (!whatsapp)
    {
      if (reply->template_name)
        {
          baton_set_field_error (error, "template", "Templates are for WhatsApp channels only");
          return FALSE;
        }
      return TRUE;
    }

  outgoing->channel = g_strdup (conversation->channel_id);
  if (reply->note)
    {
      outgoing->body = g_strdup (reply->body);
      return TRUE;
    }
  contact = baton_store_query (store, error,
                               "SELECT wa_id, user_id FROM contacts WHERE id = ?", "s",
                               conversation->contact_id);
  if (contact == NULL)
    return FALSE;
  if (baton_rows_count (contact) == 1 && baton_rows_text (contact, 0, 0))
    outgoing->recipient = g_strconcat ("+", baton_rows_text (contact, 0, 0), NULL);
  else if (baton_rows_count (contact) == 1 && baton_rows_text (contact, 0, 1))
    outgoing->recipient = g_strdup (baton_rows_text (contact, 0, 1));
  else
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE,
                           "This contact has no WhatsApp number to send to");
      return FALSE;
    }

  if (reply->template_name)
    return prepare_template (self, conversation->channel_id, reply, outgoing, error);

  /* REFERENCE.md §4: outside the 24-h window only templates may be sent. */
  if (conversation->window_expires_at <= baton_workspace_now (self))
    {
      g_autofree char *closed_at = conversation->window_expires_at > 0
                                   ? baton_time_format (conversation->window_expires_at)
                                   : NULL;

      baton_set_named_error (error, BATON_ERROR_UNPROCESSABLE, "window_closed",
                             closed_at ? "The 24-hour customer service window closed at %s: "
                                         "only an approved template can be sent"
                                       : "The customer has not written yet%s: only an approved "
                                         "template can be sent", closed_at ? closed_at : "");
      return FALSE;
    }
  outgoing->body = g_strdup (reply->body);
  outgoing->payload = baton_whatsapp_text_payload (outgoing->recipient[0] == '+'
                                                   ? outgoing->recipient + 1 : NULL,
                                                   outgoing->recipient[0] == '+'
                                                   ? NULL : outgoing->recipient,
                                                   reply->body, quoted_external_id,
                                                   strstr (reply->body, "https://") != NULL
                                                   || strstr (reply->body, "http://") != NULL);
  return TRUE;
}

gboolean
baton_workspace_queue_outbox (BatonWorkspace  *self,
                              const char      *channel_id,
                              const char      *message_id,
                              const char      *kind,
                              const char      *recipient,
                              JsonNode        *payload,
                              GError         **error)
{
  g_autofree char *text = baton_json_to_string (payload);
  gint64 now = baton_workspace_now (self);

  if (baton_store_exec (baton_workspace_get_store (self), error,
                        "INSERT INTO outbox (channel_id, message_id, kind, recipient, payload,"
                        " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        "sssssii", channel_id, message_id, kind, recipient, text, now, now) < 0)
    return FALSE;
  baton_workspace_request_outbox (self);
  return TRUE;
}

gboolean
baton_workspace_store_media (BatonWorkspace  *self,
                             const char      *channel_id,
                             JsonNode        *media,
                             GError         **error)
{
  JsonArray *items = JSON_NODE_HOLDS_ARRAY (media) ? json_node_get_array (media) : NULL;
  gint64 now = baton_workspace_now (self);

  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (baton_store_exec (baton_workspace_get_store (self), error,
                            "INSERT INTO media (id, channel_id, media_id, mime_type, sha256,"
                            " filename, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "ssssssi",
                            baton_json_get_string (item, "id"), channel_id,
                            baton_json_get_string (item, "media_id"),
                            baton_json_get_string (item, "mime_type"),
                            baton_json_get_string (item, "sha256"),
                            baton_json_get_string (item, "filename"), now) < 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
emit_message (BatonWorkspace  *self,
              const char      *type,
              const char      *message_id,
              GError         **error)
{
  g_autoptr(BatonMessage) message = baton_workspace_load_message (self, message_id, error);

  return message != NULL
         && baton_workspace_emit (self, type, NULL, baton_message_to_json (message), error);
}

/* A change that may turn out to be none (a duplicate, an unknown target): committed with its
 * events when it applied something, rolled back otherwise. */
typedef gboolean (*WhatsappChange) (BatonWorkspace  *self,
                                    gconstpointer    data,
                                    gboolean        *applied,
                                    GError         **error);

typedef struct {
  WhatsappChange change;
  gconstpointer data;
} WhatsappRun;

static gpointer
run_whatsapp_change (BatonWorkspace  *self,
                     gpointer         data,
                     GError         **error)
{
  WhatsappRun *run = data;
  gboolean applied = FALSE;

  if (!run->change (self, run->data, &applied, error))
    return NULL;
  /* NULL without an error: nothing applied, rolled back */
  return applied ? self : NULL;
}

static gboolean
apply_change (BatonWorkspace  *self,
              WhatsappChange   change,
              gconstpointer    data,
              GError         **error)
{
  WhatsappRun run = { change, data };

  return baton_workspace_apply (self, run_whatsapp_change, &run, NULL, error);
}

/* The contact a WhatsApp sender is: by wa_id (or a former one), else by BSUID. */
static BatonRows *
find_sender (BatonStore  *store,
             const char  *wa_id,
             const char  *user_id,
             GError     **error)
{
  if (wa_id)
    return baton_store_query (store, error,
                              "SELECT id, name FROM contacts WHERE wa_id = ?1 OR id ="
                              " (SELECT contact_id FROM contact_aliases WHERE wa_id = ?1)"
                              " ORDER BY wa_id = ?1 DESC LIMIT 1", "s", wa_id);
  return baton_store_query (store, error,
                            "SELECT id, name FROM contacts WHERE user_id = ? LIMIT 1", "s",
                            user_id ? user_id : "");
}

/* A reaction belongs to the message it reacts to: one per person, replaced, or removed when
 * the emoji is gone (corpus 13, 14). */
typedef struct {
  const char *channel_id;
  const BatonWhatsappSender *sender;
  const char *target_wamid;
  const char *emoji;
  gint64 sent_at;
} Reaction;

/* The reactions stored (a JSON array, or NULL), with the person's replaced by emoji (none
 * when emoji is empty), as JSON text. */
static char *
replace_reaction (const char *stored,
                  const char *contact_id,
                  const char *name,
                  const char *emoji)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) old = stored ? baton_json_parse_text (stored) : NULL;
  g_autoptr(JsonNode) reactions = NULL;

  json_builder_begin_array (builder);
  if (old && JSON_NODE_HOLDS_ARRAY (old))
    {
      JsonArray *array = json_node_get_array (old);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *author = JSON_NODE_HOLDS_OBJECT (node)
                               ? baton_json_get_object (json_node_get_object (node), "author")
                               : NULL;
          const char *author_id = baton_json_get_string (author, "id");
          const char *author_name = baton_json_get_string (author, "name");

          /* the person's earlier reaction gives way */
          if (contact_id ? g_strcmp0 (author_id, contact_id) == 0
                         : g_strcmp0 (author_name, name) == 0)
            continue;
          json_builder_add_value (builder, json_node_copy (node));
        }
    }
  if (emoji && *emoji)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "emoji");
      json_builder_add_string_value (builder, emoji);
      json_builder_set_member_name (builder, "author");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "contact");
      baton_json_add_nullable_string (builder, "id", contact_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name ? name : "");
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  reactions = json_builder_get_root (builder);
  return baton_json_to_string (reactions);
}

/* Whether a person's reaction event at sent_at is newer than the last one applied to the
 * message (a removal leaves no reaction to compare with); records its time when it is. A
 * webhook replayed later (its signature still holds) thus brings nothing back. */
static gboolean
reaction_is_newer (BatonStore  *store,
                   const char  *message_id,
                   const char  *reactor,
                   gint64       sent_at,
                   gboolean    *newer,
                   GError     **error)
{
  g_autoptr(BatonRows) last = baton_store_query (store, error,
                                                 "SELECT at FROM reaction_times"
                                                 " WHERE message_id = ? AND reactor = ?", "ss",
                                                 message_id, reactor);

  if (last == NULL)
    return FALSE;
  *newer = baton_rows_count (last) == 0 || baton_rows_int (last, 0, 0) <= sent_at;
  if (!*newer)
    return TRUE;
  return baton_store_exec (store, error,
                           "INSERT OR REPLACE INTO reaction_times (message_id, reactor, at)"
                           " VALUES (?, ?, ?)", "ssi", message_id, reactor, sent_at) >= 0;
}

static gboolean
react_in_transaction (BatonWorkspace  *self,
                      gconstpointer    data,
                      gboolean        *applied,
                      GError         **error)
{
  const Reaction *reaction = data;
  const BatonWhatsappSender *sender = reaction->sender;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonRows) target = NULL;
  g_autoptr(BatonRows) contact = NULL;
  g_autofree char *text = NULL;
  const char *message_id = NULL;
  const char *stored = NULL;
  const char *contact_id = NULL;
  const char *name = NULL;
  gboolean newer = FALSE;

  target = baton_store_query (store, error,
                              "SELECT id, reactions FROM messages WHERE channel_id = ?"
                              " AND external_id = ?", "ss", reaction->channel_id,
                              reaction->target_wamid);
  contact = find_sender (store, sender->wa_id, sender->user_id, error);
  if (target == NULL || contact == NULL)
    return FALSE;
  if (baton_rows_count (target) == 0)
    {
      g_message ("Reaction to unknown WhatsApp message %s ignored", reaction->target_wamid);
      return TRUE;
    }
  message_id = baton_rows_text (target, 0, 0);
  stored = baton_rows_text (target, 0, 1);
  contact_id = baton_rows_count (contact) ? baton_rows_text (contact, 0, 0) : NULL;
  name = baton_rows_count (contact) ? baton_rows_text (contact, 0, 1)
         : sender->name ? sender->name : sender->wa_id ? sender->wa_id : sender->user_id;
  if (!reaction_is_newer (store, message_id,
                          contact_id ? contact_id : sender->wa_id ? sender->wa_id
                                                                  : sender->user_id,
                          reaction->sent_at, &newer, error))
    return FALSE;
  if (!newer)
    {
      g_message ("Reaction to WhatsApp message %s older than the last one: ignored",
                 reaction->target_wamid);
      return TRUE;
    }
  /* the time recorded is worth a commit, even when the reactions stay as they are */
  *applied = TRUE;
  text = replace_reaction (stored, contact_id, name, reaction->emoji);
  if (g_strcmp0 (text, stored ? stored : "[]") == 0)
    return TRUE;
  return baton_store_exec (store, error, "UPDATE messages SET reactions = ? WHERE id = ?", "ss",
                           text, message_id) >= 0
         && emit_message (self, "message.updated", message_id, error);
}

gboolean
baton_workspace_whatsapp_react (BatonWorkspace             *self,
                                const char                 *channel_id,
                                const BatonWhatsappSender  *sender,
                                const char                 *target_wamid,
                                const char                 *emoji,
                                gint64                      sent_at,
                                GError                    **error)
{
  Reaction reaction = { channel_id, sender, target_wamid, emoji, sent_at };

  return apply_change (self, react_in_transaction, &reaction, error);
}

/* A customer's new number (corpus 17): the contact keeps its history, answers go to the new
 * number, the old one stays as an alias; the thread gets a system line once. */
typedef struct {
  const char *channel_id;
  const char *old_wa_id;
  const char *new_wa_id;
  const char *wamid;
  gint64 at;
} NumberChange;

static gboolean
number_changed_in_transaction (BatonWorkspace  *self,
                               gconstpointer    data,
                               gboolean        *applied,
                               GError         **error)
{
  const NumberChange *change = data;
  const char *channel_id = change->channel_id;
  const char *old_wa_id = change->old_wa_id;
  const char *new_wa_id = change->new_wa_id;
  const char *wamid = change->wamid;
  gint64 at = change->at;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonRows) seen = NULL;
  g_autoptr(BatonRows) contact = NULL;
  g_autoptr(BatonRows) conversation = NULL;
  g_autoptr(BatonRows) taken = NULL;
  g_autofree char *body = NULL;
  g_autofree char *phone = NULL;
  const char *contact_id = NULL;
  gint64 now = baton_workspace_now (self);

  seen = baton_store_query (store, error,
                            "SELECT 1 FROM messages WHERE channel_id = ? AND external_id = ?",
                            "ss", channel_id, wamid);
  contact = find_sender (store, old_wa_id, NULL, error);
  if (seen == NULL || contact == NULL)
    return FALSE;
  if (baton_rows_count (seen) > 0)
    return TRUE;
  if (baton_rows_count (contact) == 0)
    {
      g_message ("Number change of unknown WhatsApp user ignored");
      return TRUE;
    }
  contact_id = baton_rows_text (contact, 0, 0);
  phone = g_strconcat ("+", new_wa_id, NULL);
  /* the new number may belong to nobody yet; if it does, the phone stays as it was */
  taken = baton_store_query (store, error,
                             "SELECT 1 FROM contacts WHERE phone = ? AND id <> ?", "ss", phone,
                             contact_id);
  if (taken == NULL
      || baton_store_exec (store, error,
                           "INSERT INTO contact_aliases (wa_id, contact_id) VALUES (?, ?)"
                           " ON CONFLICT (wa_id) DO UPDATE SET contact_id = excluded.contact_id",
                           "ss", old_wa_id, contact_id) < 0
      || baton_store_exec (store, error,
                           "UPDATE contacts SET wa_id = ?,"
                           " phone = CASE WHEN ? THEN phone ELSE ? END WHERE id = ?", "sbss",
                           new_wa_id, baton_rows_count (taken) > 0, phone, contact_id) < 0
      || baton_store_exec (store, error, "DELETE FROM contact_aliases WHERE wa_id = ?", "s",
                           new_wa_id) < 0)
    return FALSE;

  conversation = baton_store_query (store, error,
                                    "SELECT id FROM conversations WHERE contact_id = ?"
                                    " AND channel_id = ? ORDER BY created_at DESC, id DESC"
                                    " LIMIT 1", "ss", contact_id, channel_id);
  if (conversation == NULL)
    return FALSE;
  if (baton_rows_count (conversation) == 1)
    {
      body = g_strdup_printf ("%s changed their number from +%s to +%s",
                              baton_rows_text (contact, 0, 1), old_wa_id, new_wa_id);
      if (!baton_workspace_add_channel_message (self, baton_rows_text (conversation, 0, 0),
                                                "WhatsApp", body, wamid,
                                                at > 0 && at <= now ? at : now, error))
        return FALSE;
    }
  if (!baton_workspace_emit_contact (self, contact_id, NULL, error))
    return FALSE;
  *applied = TRUE;
  return TRUE;
}

gboolean
baton_workspace_whatsapp_number_changed (BatonWorkspace  *self,
                                         const char      *channel_id,
                                         const char      *old_wa_id,
                                         const char      *new_wa_id,
                                         const char      *wamid,
                                         gint64           at,
                                         GError         **error)
{
  NumberChange change = { channel_id, old_wa_id, new_wa_id, wamid, at };

  return apply_change (self, number_changed_in_transaction, &change, error);
}

/* sent < delivered < read (REFERENCE.md §5); played is a read voice note; failed stands only
 * over pending and sent */
static int
status_rank (const char *status)
{
  static const char *order[] = { "pending", "sent", "failed", "delivered", "read", "played" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (status, order[i]) == 0)
      return i == 5 ? 4 : (int) i;
  return -1;
}

/* What an agent reads for a WhatsApp error code: the action it calls for, then Meta's words. */
char *
baton_whatsapp_error_text (gint64      code,
                           const char *title,
                           const char *details)
{
  const char *what = NULL;

  switch (code)
    {
    case 131047:
      what = "24 h window closed – send a template";
      break;
    case 131026:
      what = "Not delivered: the number is not on WhatsApp, cannot receive this, or blocked "
             "the business";
      break;
    case 131056:
      what = "Too many messages to this customer in a short time";
      break;
    case 130429:
      what = "The number's message rate limit was hit";
      break;
    case 131048:
    case 131049:
      what = "WhatsApp limited this number's messages (spam or ecosystem limits)";
      break;
    case 131051:
      what = "WhatsApp does not support this message type";
      break;
    case 0:
    case 190:
      what = "WhatsApp refused the access token";
      break;
    default:
      break;
    }
  if (what && details && *details)
    return g_strdup_printf ("%s (%s)", what, details);
  if (what)
    return g_strdup (what);
  if (title && details && *details)
    return g_strdup_printf ("%s: %s", title, details);
  return g_strdup (title ? title : details ? details : "WhatsApp could not send this message");
}

JsonNode *
baton_whatsapp_error_json (gint64      code,
                           const char *title,
                           const char *details)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *code_text = g_strdup_printf ("%" G_GINT64_FORMAT, code);
  g_autofree char *message = baton_whatsapp_error_text (code, title, details);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code_text);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  baton_json_add_nullable_string (builder, "title", title);
  baton_json_add_nullable_string (builder, "details", details);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

typedef struct {
  const char *channel_id;
  const BatonWaStatus *status;
  gboolean *known;
} StatusChange;

static gboolean
status_in_transaction (BatonWorkspace  *self,
                       gconstpointer    data,
                       gboolean        *applied,
                       GError         **error)
{
  const StatusChange *change = data;
  const char *channel_id = change->channel_id;
  const BatonWaStatus *status = change->status;
  gboolean *known = change->known;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonRows) target = NULL;
  g_autoptr(BatonRows) logged = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) detail = NULL;
  g_autoptr(JsonNode) message_error = NULL;
  g_autofree char *detail_text = NULL;
  g_autofree char *error_text = NULL;
  const char *message_id = NULL;
  const char *current = NULL;
  gint64 at = status->timestamp * 1000;
  int rank = status_rank (status->status);

  target = baton_store_query (store, error,
                              "SELECT m.id, m.status, c.contact_id FROM messages m"
                              " JOIN conversations c ON c.id = m.conversation_id"
                              " WHERE m.channel_id = ? AND m.external_id = ?"
                              " AND m.kind = 'outbound'", "ss", channel_id, status->wamid);
  if (target == NULL)
    return FALSE;
  *known = baton_rows_count (target) == 1;
  if (!*known)
    return TRUE;
  message_id = baton_rows_text (target, 0, 0);
  current = baton_rows_text (target, 0, 1);

  /* The log is append-only and a redelivered status is not logged twice. */
  logged = baton_store_query (store, error,
                              "SELECT 1 FROM message_statuses WHERE message_id = ? AND status = ?"
                              " AND at = ?", "ssi", message_id, status->status, at);
  if (logged == NULL)
    return FALSE;
  if (baton_rows_count (logged) > 0)
    return TRUE;
  json_builder_begin_object (builder);
  baton_json_add_nullable_string (builder, "recipient_id", status->recipient_id);
  baton_json_add_nullable_string (builder, "recipient_user_id", status->recipient_user_id);
  if (status->conversation)
    {
      json_builder_set_member_name (builder, "conversation");
      json_builder_add_value (builder, json_node_copy (status->conversation));
    }
  if (status->pricing)
    {
      json_builder_set_member_name (builder, "pricing");
      json_builder_add_value (builder, json_node_copy (status->pricing));
    }
  if (status->error)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_value (builder, json_node_copy (status->error));
    }
  json_builder_end_object (builder);
  detail = json_builder_get_root (builder);
  detail_text = baton_json_to_string (detail);
  if (baton_store_exec (store, error,
                        "INSERT INTO message_statuses (message_id, status, at, detail)"
                        " VALUES (?, ?, ?, ?)", "ssis", message_id, status->status, at,
                        detail_text) < 0)
    return FALSE;
  /* A BSUID learnt from a status lets us reach a customer who hides the number. */
  if (status->recipient_user_id
      && baton_store_exec (store, error,
                           "UPDATE contacts SET user_id = COALESCE(user_id, ?) WHERE id = ?",
                           "ss", status->recipient_user_id, baton_rows_text (target, 0, 2)) < 0)
    return FALSE;

  *applied = TRUE;
  if (rank < 0 || rank <= status_rank (current))
    return TRUE;
  if (g_strcmp0 (status->status, "failed") == 0)
    {
      JsonObject *object = status->error && JSON_NODE_HOLDS_OBJECT (status->error)
                           ? json_node_get_object (status->error) : NULL;

      message_error = baton_whatsapp_error_json (baton_json_get_int (object, "code"),
                                                 baton_json_get_string (object, "title"),
                                                 baton_json_get_string (object, "details"));
      error_text = baton_json_to_string (message_error);
    }
  /* delivered after failed (multi-device): it reached the customer after all */
  if (baton_store_exec (store, error, "UPDATE messages SET status = ?, error = ? WHERE id = ?",
                        "sss", g_strcmp0 (status->status, "played") == 0 ? "read"
                                                                       : status->status,
                        error_text, message_id) < 0)
    return FALSE;
  return emit_message (self, "message.updated", message_id, error);
}

gboolean
baton_workspace_whatsapp_status (BatonWorkspace       *self,
                                 const char           *channel_id,
                                 const BatonWaStatus  *status,
                                 gboolean             *known,
                                 GError              **error)
{
  StatusChange change = { channel_id, status, known };

  *known = FALSE;
  return apply_change (self, status_in_transaction, &change, error);
}

/* The Graph API accepted an outbox entry: a message now carries its wamid and is sent. */
gboolean
baton_workspace_outbox_accepted (BatonWorkspace  *self,
                                 gint64           n,
                                 const char      *message_id,
                                 const char      *wamid,
                                 GError         **error)
{
  BatonStore *store = baton_workspace_get_store (self);

  if (!baton_workspace_begin (self, error))
    return FALSE;
  if (baton_store_exec (store, error, "DELETE FROM outbox WHERE n = ?", "i", n) < 0
      || (message_id && wamid
          && (baton_store_exec (store, error,
                                "UPDATE messages SET external_id = ?, status = CASE WHEN"
                                " status = 'pending' THEN 'sent' ELSE status END, error = NULL"
                                " WHERE id = ?", "ss", wamid, message_id) < 0
              || baton_store_exec (store, error,
                                   "INSERT INTO message_statuses (message_id, status, at)"
                                   " VALUES (?, 'accepted', ?)", "si", message_id,
                                   baton_workspace_now (self)) < 0
              || !emit_message (self, "message.updated", message_id, error))))
    {
      baton_workspace_rollback (self);
      return FALSE;
    }
  return baton_workspace_commit (self, error);
}

/* An outbox entry that will not be sent: its message shows why. */
gboolean
baton_workspace_outbox_failed (BatonWorkspace  *self,
                               gint64           n,
                               const char      *message_id,
                               JsonNode        *message_error,
                               GError         **error)
{
  BatonStore *store = baton_workspace_get_store (self);
  g_autofree char *text = message_error ? baton_json_to_string (message_error) : NULL;

  if (!baton_workspace_begin (self, error))
    return FALSE;
  if (baton_store_exec (store, error, "DELETE FROM outbox WHERE n = ?", "i", n) < 0
      || (message_id
          && (baton_store_exec (store, error,
                                "UPDATE messages SET status = 'failed', error = ? WHERE id = ?",
                                "ss", text, message_id) < 0
              || baton_store_exec (store, error,
                                   "INSERT INTO message_statuses (message_id, status, at, detail)"
                                   " VALUES (?, 'failed', ?, ?)", "sis", message_id,
                                   baton_workspace_now (self), text) < 0
              || !emit_message (self, "message.updated", message_id, error))))
    {
      baton_workspace_rollback (self);
      return FALSE;
    }
  return baton_workspace_commit (self, error);
}

gboolean
baton_workspace_outbox_retry_at (BatonWorkspace  *self,
                                 gint64           n,
                                 gboolean         count_attempt,
                                 gint64           next_attempt_at,
                                 GError         **error)
{
  return baton_store_exec (baton_workspace_get_store (self), error,
                           "UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?"
                           " WHERE n = ?", "iii", (gint64) (count_attempt ? 1 : 0),
                           next_attempt_at, n) >= 0;
}

/* The number stops sending (a refused token, spam limits) until a manager edits it. */
gboolean
baton_workspace_pause_channel (BatonWorkspace  *self,
                               const char      *channel_id,
                               const char      *reason,
                               GError         **error)
{
  g_autoptr(JsonNode) channel = NULL;

  if (!baton_workspace_begin (self, error))
    return FALSE;
  if (baton_store_exec (baton_workspace_get_store (self), error,
                        "UPDATE channels SET paused_reason = ? WHERE id = ?", "ss", reason,
                        channel_id) < 0
      || (channel = baton_workspace_load_channel (self, channel_id, error)) == NULL
      || !baton_workspace_emit (self, "channel.updated", NULL, g_steal_pointer (&channel),
                                error))
    {
      baton_workspace_rollback (self);
      return FALSE;
    }
  return baton_workspace_commit (self, error);
}
