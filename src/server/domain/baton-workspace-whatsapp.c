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
#include "baton-store-channels.h"
#include "baton-store-contacts.h"
#include "baton-store-conversations.h"
#include "baton-store-media.h"
#include "baton-store-messages.h"
#include "baton-store-outbox.h"
#include "baton-store-teams.h"
#include "baton-store-templates.h"
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
  g_clear_pointer (&outgoing->media, g_ptr_array_unref);
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
  g_autofree char *components = NULL;
  g_autofree char *text = NULL;
  GError *local_error = NULL;
  guint n_parameters = 0;
  guint given = reply->template_parameters
                ? g_strv_length ((char **) reply->template_parameters) : 0;

  components = baton_store_templates_components (baton_workspace_get_store (self), channel_id,
                                                 reply->template_name,
                                                 reply->template_language, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (components == NULL)
    {
      baton_set_field_error (error, "template.name",
                             "This channel has no approved template %s in %s",
                             reply->template_name, reply->template_language);
      return FALSE;
    }
  text = template_body (components, &n_parameters);
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
/* A reply goes to the contact's number, else to its BSUID. */
static char *
find_recipient (BatonStore  *store,
                const char  *contact_id,
                GError     **error)
{
  g_autofree char *wa_id = NULL;
  g_autofree char *user_id = NULL;
  GError *local_error = NULL;

  if (!baton_store_contacts_get_whatsapp_ids (store, contact_id, &wa_id, &user_id,
                                              &local_error)
      && local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (wa_id)
    return g_strconcat ("+", wa_id, NULL);
  if (user_id)
    return g_steal_pointer (&user_id);
  g_set_error_literal (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE,
                       "This contact has no WhatsApp number to send to");
  return NULL;
}

/* recipient: "+<wa_id>" or a BSUID */
static JsonNode *
text_payload (const char *recipient,
              const char *body,
              const char *context_id)
{
  gboolean number = recipient[0] == '+';

  return baton_whatsapp_text_payload (number ? recipient + 1 : NULL, number ? NULL : recipient,
                                      body, context_id,
                                      strstr (body, "https://") != NULL
                                      || strstr (body, "http://") != NULL);
}

/* One WhatsApp message per attachment, in order. The text is the caption of the first when
 * WhatsApp lets it be one (not audio; at most 1024 characters), else a text message of its
 * own before them; the quoted message is quoted by the first message sent. */
static void
prepare_media (BatonOutgoing *outgoing,
               JsonNode      *attachments,
               const char    *context_id)
{
  JsonArray *items = json_node_get_array (attachments);
  const char *recipient = outgoing->recipient;
  gboolean number = recipient[0] == '+';
  const char *text = *outgoing->body ? outgoing->body : NULL;
  const char *first_kind = baton_json_get_string (json_array_get_object_element (items, 0),
                                                  "kind");
  gboolean caption = text && g_strcmp0 (first_kind, "audio") != 0
                     && g_utf8_strlen (text, -1) <= BATON_WHATSAPP_MAX_CAPTION;

  if (text && !caption)
    {
      outgoing->payload = text_payload (recipient, text, context_id);
      context_id = NULL;
    }
  outgoing->media = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *kind = baton_json_get_string (item, "kind");

      g_ptr_array_add (outgoing->media,
                       baton_whatsapp_media_payload (number ? recipient + 1 : NULL,
                                                     number ? NULL : recipient, kind,
                                                     baton_json_get_string (item, "id"),
                                                     i == 0 && caption ? text : NULL,
                                                     g_strcmp0 (kind, "document") == 0
                                                     ? baton_json_get_string (item, "filename")
                                                     : NULL,
                                                     i == 0 ? context_id : NULL));
    }
}

gboolean
baton_workspace_queue_outgoing (BatonWorkspace  *self,
                                const char      *channel_id,
                                const char      *message_id,
                                BatonOutgoing   *outgoing,
                                GError         **error)
{
  if (outgoing->payload
      && !baton_workspace_queue_outbox (self, channel_id, message_id, "message",
                                        outgoing->recipient, outgoing->payload, error))
    return FALSE;
  for (guint i = 0; outgoing->media && i < outgoing->media->len; i++)
    if (!baton_workspace_queue_outbox (self, channel_id, message_id, "media",
                                       outgoing->recipient, outgoing->media->pdata[i], error))
      return FALSE;
  return TRUE;
}

gboolean
baton_workspace_prepare_outgoing (BatonWorkspace     *self,
                                  BatonConversation  *conversation,
                                  const BatonReply   *reply,
                                  BatonOutgoing      *outgoing,
                                  GError            **error)
{
  BatonStore *store = baton_workspace_get_store (self);
  g_autofree char *kind = NULL;
  g_autofree char *quoted_external_id = NULL;
  GError *local_error = NULL;

  if (reply->in_reply_to
      && !baton_store_messages_get_external_id (store, reply->in_reply_to, conversation->id,
                                                &quoted_external_id, &local_error))
    {
      if (local_error)
        g_propagate_error (error, local_error);
      else
        baton_set_field_error (error, "in_reply_to",
                               "No message %s in this conversation", reply->in_reply_to);
      return FALSE;
    }
  kind = baton_store_channels_get_kind (store, conversation->channel_id, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (g_strcmp0 (kind, "whatsapp") != 0)
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
  outgoing->recipient = find_recipient (store, conversation->contact_id, error);
  if (outgoing->recipient == NULL)
    return FALSE;

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
  outgoing->body = g_strdup (reply->body ? reply->body : "");
  if (reply->attachments)
    prepare_media (outgoing, reply->attachments, quoted_external_id);
  else
    outgoing->payload = text_payload (outgoing->recipient, reply->body, quoted_external_id);
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
  if (!baton_store_outbox_insert (baton_workspace_get_store (self), channel_id, message_id,
                                  kind, recipient, payload, baton_workspace_now (self), error))
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

      if (!baton_store_media_insert (baton_workspace_get_store (self),
                                     baton_json_get_string (item, "id"), channel_id,
                                     baton_json_get_string (item, "media_id"),
                                     baton_json_get_string (item, "mime_type"),
                                     baton_json_get_string (item, "sha256"),
                                     baton_json_get_string (item, "filename"), now, error))
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
         && baton_workspace_emit_text (self, type, NULL, baton_message_to_text (message), error);
}

/* The result of a WhatsApp change that applied something: committed with its events when ok,
 * rolled back with the error otherwise. A change that turns out to be none (a duplicate, an
 * unknown target) returns NULL without an error, and is rolled back too. */
static gpointer
applied (BatonWorkspace *self,
         gboolean        ok)
{
  return ok ? self : NULL;
}

/* The contact a WhatsApp sender is: by wa_id (or a former one), else by BSUID. FALSE when
 * it cannot be read; *id NULL when nobody is. */
static gboolean
find_sender (BatonStore  *store,
             const char  *wa_id,
             const char  *user_id,
             char       **id,
             char       **name,
             GError     **error)
{
  GError *local_error = NULL;

  *id = baton_store_contacts_find_whatsapp (store, wa_id, user_id, NULL, name, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
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
  gint64 last = 0;

  if (!baton_store_messages_get_reaction_time (store, message_id, reactor, &last, error))
    return FALSE;
  *newer = last <= sent_at;
  if (!*newer)
    return TRUE;
  return baton_store_messages_set_reaction_time (store, message_id, reactor, sent_at, error);
}

static gpointer
react_change (BatonWorkspace  *self,
              gpointer         data,
              GError         **error)
{
  const Reaction *reaction = data;
  const BatonWhatsappSender *sender = reaction->sender;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonChannelMessage) target = NULL;
  g_autofree char *contact_id = NULL;
  g_autofree char *contact_name = NULL;
  g_autofree char *text = NULL;
  GError *local_error = NULL;
  const char *message_id = NULL;
  const char *stored = NULL;
  const char *name = NULL;
  gboolean newer = FALSE;

  target = baton_store_messages_find_external (store, reaction->channel_id,
                                               reaction->target_wamid, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!find_sender (store, sender->wa_id, sender->user_id, &contact_id, &contact_name, error))
    return NULL;
  if (target == NULL)
    {
      g_message ("Reaction to unknown WhatsApp message %s ignored", reaction->target_wamid);
      return NULL;
    }
  message_id = target->id;
  stored = target->reactions;
  name = contact_id ? contact_name
         : sender->name ? sender->name : sender->wa_id ? sender->wa_id : sender->user_id;
  if (!reaction_is_newer (store, message_id,
                          contact_id ? contact_id : sender->wa_id ? sender->wa_id
                                                                  : sender->user_id,
                          reaction->sent_at, &newer, error))
    return NULL;
  if (!newer)
    {
      g_message ("Reaction to WhatsApp message %s older than the last one: ignored",
                 reaction->target_wamid);
      return NULL;
    }
  /* the time recorded is worth a commit, even when the reactions stay as they are */
  text = replace_reaction (stored, contact_id, name, reaction->emoji);
  if (g_strcmp0 (text, stored ? stored : "[]") == 0)
    return self;
  return applied (self, baton_store_messages_set_reactions (store, message_id, text, error)
                        && emit_message (self, "message.updated", message_id, error));
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

  return baton_workspace_apply (self, react_change, &reaction, NULL, error);
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

static gpointer
number_changed_change (BatonWorkspace  *self,
                       gpointer         data,
                       GError         **error)
{
  const NumberChange *change = data;
  const char *channel_id = change->channel_id;
  const char *old_wa_id = change->old_wa_id;
  const char *new_wa_id = change->new_wa_id;
  const char *wamid = change->wamid;
  gint64 at = change->at;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonChannelMessage) seen = NULL;
  g_autofree char *conversation_id = NULL;
  g_autofree char *contact_id = NULL;
  g_autofree char *contact_name = NULL;
  g_autofree char *body = NULL;
  g_autofree char *phone = NULL;
  GError *local_error = NULL;
  gboolean taken = FALSE;
  gint64 now = baton_workspace_now (self);

  seen = baton_store_messages_find_external (store, channel_id, wamid, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!find_sender (store, old_wa_id, NULL, &contact_id, &contact_name, error))
    return NULL;
  if (seen)
    return NULL;
  if (contact_id == NULL)
    {
      g_message ("Number change of unknown WhatsApp user ignored");
      return NULL;
    }
  phone = g_strconcat ("+", new_wa_id, NULL);
  /* the new number may belong to nobody yet; if it does, the phone stays as it was */
  if (!baton_store_contacts_phone_taken (store, phone, contact_id, &taken, error)
      || !baton_store_contacts_change_number (store, contact_id, old_wa_id, new_wa_id,
                                              taken ? NULL : phone, error))
    return NULL;

  conversation_id = baton_store_conversations_latest (store, contact_id, channel_id, NULL,
                                                      &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  body = g_strdup_printf ("%s changed their number from +%s to +%s", contact_name, old_wa_id,
                          new_wa_id);
  if (conversation_id
      && !baton_workspace_add_channel_message (self, conversation_id, "WhatsApp", body, wamid,
                                               at > 0 && at <= now ? at : now, error))
    return NULL;
  if (!baton_workspace_emit_contact (self, contact_id, NULL, error))
    return NULL;
  return self;
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

  return baton_workspace_apply (self, number_changed_change, &change, NULL, error);
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

/* what the log keeps of a status: whom it reached, the conversation, pricing, the error */
static char *
status_detail (const BatonWaStatus *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) detail = NULL;

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
  return baton_json_to_string (detail);
}

static gpointer
status_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const StatusChange *change = data;
  const char *channel_id = change->channel_id;
  const BatonWaStatus *status = change->status;
  gboolean *known = change->known;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonChannelMessage) target = NULL;
  g_autoptr(JsonNode) message_error = NULL;
  g_autofree char *detail_text = NULL;
  g_autofree char *error_text = NULL;
  GError *local_error = NULL;
  const char *message_id = NULL;
  gint64 at = status->timestamp * 1000;
  int rank = baton_message_status_rank (status->status);
  gboolean logged = FALSE;

  target = baton_store_messages_find_external (store, channel_id, status->wamid, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  *known = target != NULL && target->kind == BATON_MESSAGE_OUTBOUND;
  if (!*known)
    return NULL;
  message_id = target->id;

  /* The log is append-only and a redelivered status is not logged twice. */
  if (!baton_store_messages_has_status (store, message_id, status->status, at, &logged, error))
    return NULL;
  if (logged)
    return NULL;
  detail_text = status_detail (status);
  if (!baton_store_messages_add_status (store, message_id, status->status, at, detail_text,
                                        error))
    return NULL;
  /* A BSUID learnt from a status lets us reach a customer who hides the number. */
  if (status->recipient_user_id
      && !baton_store_contacts_learn_whatsapp (store, target->contact_id, NULL,
                                               status->recipient_user_id, 0, error))
    return NULL;
  /* logged: worth a commit even when the message's status stays as it is */
  if (rank < 0 || rank <= baton_message_status_rank (target->status))
    return self;
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
  if (!baton_store_messages_set_status (store, message_id,
                                        g_strcmp0 (status->status, "played") == 0
                                        ? "read" : status->status, error_text, error))
    return NULL;
  return applied (self, emit_message (self, "message.updated", message_id, error));
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
  return baton_workspace_apply (self, status_change, &change, NULL, error);
}

/* The outbox */

typedef struct {
  gint64 n;
  const char *message_id;
  const char *wamid;
  JsonNode *message_error;
  gboolean count_attempt;
  gint64 next_attempt_at;
  JsonNode *payload;
} OutboxChange;

static gpointer
accepted_change (BatonWorkspace  *self,
                 gpointer         data,
                 GError         **error)
{
  const OutboxChange *change = data;
  BatonStore *store = baton_workspace_get_store (self);

  gint64 left = 0;

  if (!baton_store_outbox_delete (store, change->n, error))
    return NULL;
  if (change->message_id == NULL || change->wamid == NULL)
    return self;
  /* A reply with attachments is several WhatsApp messages: it is sent, and follows the
   * statuses of, the last of them. */
  left = baton_store_outbox_count_message (store, change->message_id, error);
  if (left != 0)
    return left < 0 ? NULL : self;
  return applied (self,
                  baton_store_messages_set_sent (store, change->message_id, change->wamid, error)
                  && baton_store_messages_add_status (store, change->message_id, "accepted",
                                                      baton_workspace_now (self), NULL, error)
                  && emit_message (self, "message.updated", change->message_id, error));
}

/* The Graph API accepted an outbox entry: a message now carries its wamid and is sent. */
gboolean
baton_workspace_outbox_accepted (BatonWorkspace  *self,
                                 gint64           n,
                                 const char      *message_id,
                                 const char      *wamid,
                                 GError         **error)
{
  OutboxChange change = { .n = n, .message_id = message_id, .wamid = wamid };

  return baton_workspace_apply (self, accepted_change, &change, NULL, error);
}

static gpointer
failed_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const OutboxChange *change = data;
  BatonStore *store = baton_workspace_get_store (self);
  g_autofree char *text = change->message_error ? baton_json_to_string (change->message_error)
                                                : NULL;

  if (!baton_store_outbox_delete (store, change->n, error))
    return NULL;
  if (change->message_id == NULL)
    return self;
  /* what is left of the reply is not sent after a part of it failed */
  return applied (self,
                  baton_store_outbox_delete_message (store, change->message_id, error)
                  && baton_store_messages_set_status (store, change->message_id, "failed", text,
                                                   error)
                  && baton_store_messages_add_status (store, change->message_id, "failed",
                                                      baton_workspace_now (self), text, error)
                  && emit_message (self, "message.updated", change->message_id, error));
}

/* An outbox entry that will not be sent: its message shows why. */
gboolean
baton_workspace_outbox_failed (BatonWorkspace  *self,
                               gint64           n,
                               const char      *message_id,
                               JsonNode        *message_error,
                               GError         **error)
{
  OutboxChange change = { .n = n, .message_id = message_id, .message_error = message_error };

  return baton_workspace_apply (self, failed_change, &change, NULL, error);
}

static gpointer
retry_change (BatonWorkspace  *self,
              gpointer         data,
              GError         **error)
{
  const OutboxChange *change = data;

  return applied (self, baton_store_outbox_retry_at (baton_workspace_get_store (self), change->n,
                                                     change->count_attempt,
                                                     change->next_attempt_at, error));
}

static gpointer
payload_change (BatonWorkspace  *self,
                gpointer         data,
                GError         **error)
{
  const OutboxChange *change = data;

  return applied (self, baton_store_outbox_set_payload (baton_workspace_get_store (self),
                                                        change->n, change->payload, error));
}

/* What an entry sends changed (a media entry now names the media Graph keeps). */
gboolean
baton_workspace_outbox_set_payload (BatonWorkspace  *self,
                                    gint64           n,
                                    JsonNode        *payload,
                                    GError         **error)
{
  OutboxChange change = { .n = n, .payload = payload };

  return baton_workspace_apply (self, payload_change, &change, NULL, error);
}

gboolean
baton_workspace_outbox_retry_at (BatonWorkspace  *self,
                                 gint64           n,
                                 gboolean         count_attempt,
                                 gint64           next_attempt_at,
                                 GError         **error)
{
  OutboxChange change = { .n = n, .count_attempt = count_attempt,
                          .next_attempt_at = next_attempt_at };

  return baton_workspace_apply (self, retry_change, &change, NULL, error);
}

typedef struct {
  const char *channel_id;
  const char *reason;
} Pause;

static gpointer
pause_change (BatonWorkspace  *self,
              gpointer         data,
              GError         **error)
{
  const Pause *pause = data;
  JsonNode *channel = NULL;

  if (!baton_store_channels_set_paused_reason (baton_workspace_get_store (self),
                                               pause->channel_id, pause->reason, error))
    return NULL;
  channel = baton_workspace_load_channel (self, pause->channel_id, error);
  return applied (self, channel != NULL
                        && baton_workspace_emit (self, "channel.updated", NULL, channel, error));
}

/* The number stops sending (a refused token, spam limits) until a manager edits it. */
gboolean
baton_workspace_pause_channel (BatonWorkspace  *self,
                               const char      *channel_id,
                               const char      *reason,
                               GError         **error)
{
  Pause pause = { channel_id, reason };

  return baton_workspace_apply (self, pause_change, &pause, NULL, error);
}

char *
baton_workspace_whatsapp_last_inbound (BatonWorkspace  *self,
                                       const char      *conversation_id,
                                       char           **channel_id,
                                       char           **recipient,
                                       GError         **error)
{
  g_autofree char *wa_id = NULL;
  g_autofree char *user_id = NULL;
  char *wamid = baton_store_messages_last_whatsapp_inbound (baton_workspace_get_store (self),
                                                            conversation_id, channel_id,
                                                            &wa_id, &user_id, error);

  if (wamid)
    *recipient = wa_id ? g_strconcat ("+", wa_id, NULL) : g_strdup (user_id ? user_id : "");
  return wamid;
}

typedef struct {
  const char *channel_id;
  const char *recipient;
  JsonNode *payload;
} Receipt;

static gpointer
receipt_change (BatonWorkspace  *self,
                gpointer         data,
                GError         **error)
{
  const Receipt *receipt = data;

  return applied (self, baton_workspace_queue_outbox (self, receipt->channel_id, NULL, "read",
                                                      receipt->recipient, receipt->payload, error));
}

gboolean
baton_workspace_whatsapp_queue_receipt (BatonWorkspace  *self,
                                        const char      *channel_id,
                                        const char      *recipient,
                                        JsonNode        *payload,
                                        GError         **error)
{
  Receipt receipt = { channel_id, recipient, payload };

  return baton_workspace_apply (self, receipt_change, &receipt, NULL, error);
}

typedef struct {
  const char *channel_id;
  JsonArray *templates;
} TemplatesSync;

static gpointer
save_templates_change (BatonWorkspace  *self,
                       gpointer         data,
                       GError         **error)
{
  const TemplatesSync *sync = data;
  BatonStore *store = baton_workspace_get_store (self);
  gint64 now = baton_workspace_now (self);

  if (!baton_store_templates_clear (store, sync->channel_id, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (sync->templates); i++)
    {
      JsonObject *template = json_array_get_object_element (sync->templates, i);
      JsonNode *components = json_object_get_member (template, "components");
      g_autofree char *components_text = NULL;
      const char *name = baton_json_get_string (template, "name");
      const char *language = baton_json_get_string (template, "language");
      const char *status = baton_json_get_string (template, "status");

      if (name == NULL || language == NULL || status == NULL
          || !g_utf8_validate (name, -1, NULL))
        continue;
      components_text = components ? baton_json_to_string (components) : g_strdup ("[]");
      if (!baton_store_templates_insert (store, sync->channel_id, name, language, status,
                                         baton_json_get_string (template, "category"),
                                         components_text, now, error))
        return NULL;
    }
  return self;
}

gboolean
baton_workspace_whatsapp_save_templates (BatonWorkspace  *self,
                                         const char      *channel_id,
                                         JsonArray       *templates,
                                         GError         **error)
{
  TemplatesSync sync = { channel_id, templates };

  return baton_workspace_apply (self, save_templates_change, &sync, NULL, error);
}
