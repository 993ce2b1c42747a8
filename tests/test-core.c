/* test-core.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-attachment.h"
#include "baton-canned-reply.h"
#include "baton-channel.h"
#include "baton-event.h"
#include "baton-json.h"
#include "baton-message.h"
#include "baton-notification.h"
#include "baton-rules.h"
#include "baton-search.h"
#include "baton-strv.h"
#include "baton-template.h"
#include "baton-workspace-config.h"

/* The client-side types of libbaton-core: event kinds, channels, workspace settings and
 * templates, read from and written to the protocol's JSON. */

static BatonEvent *
event_new (const char *type,
           const char *data)
{
  return baton_event_new (type, 0, NULL, data ? baton_json_parse_text (data) : NULL);
}

static void
test_event_kinds (void)
{
  g_autoptr(BatonEvent) team = event_new ("team.deleted", "{\"id\":\"tem_1\"}");
  g_autoptr(BatonEvent) channel = event_new ("channel.updated", "{\"id\":\"chn_1\"}");
  g_autoptr(BatonEvent) gone = event_new ("channel.updated", "{\"id\":\"chn_1\",\"deleted\":true}");
  g_autoptr(BatonEvent) newer = event_new ("reaction.added", "[1]");

  /* Every kind reads back from its name. */
  for (guint kind = BATON_EVENT_CONVERSATION_CREATED; kind <= BATON_EVENT_RESYNC_REQUIRED; kind++)
    {
      const char *name = baton_event_kind_to_string (kind);

      g_assert_nonnull (name);
      g_assert_cmpint (baton_event_kind_from_string (name), ==, kind);
    }
  g_assert_cmpint (baton_event_kind_from_string ("team.created"), ==, BATON_EVENT_TEAM_CREATED);
  g_assert_cmpint (baton_event_kind_from_string ("team"), ==, BATON_EVENT_UNKNOWN);
  g_assert_cmpint (baton_event_kind_from_string (NULL), ==, BATON_EVENT_UNKNOWN);
  g_assert_null (baton_event_kind_to_string (BATON_EVENT_UNKNOWN));

  g_assert_cmpint (baton_event_get_kind (team), ==, BATON_EVENT_TEAM_DELETED);
  g_assert_cmpstr (baton_event_get_object_id (team), ==, "tem_1");
  g_assert_true (baton_event_is_deletion (team));
  g_assert_false (baton_event_is_deletion (channel));
  g_assert_true (baton_event_is_deletion (gone));
  /* A type this build does not know, with data that is not an object. */
  g_assert_cmpint (baton_event_get_kind (newer), ==, BATON_EVENT_UNKNOWN);
  g_assert_null (baton_event_get_object_id (newer));
  g_assert_false (baton_event_is_deletion (newer));
}

static void
test_channel_json (void)
{
  g_autoptr(JsonNode) node = baton_json_parse_text (
    "{\"id\":\"chn_1\",\"kind\":\"whatsapp\",\"name\":\"Sales\",\"default_team_id\":null,"
    "\"default_user_id\":\"agt_1\",\"phone_number_id\":\"106\",\"display_phone_number\":"
    "\"+1 555\",\"has_access_token\":true,\"state\":\"paused\",\"state_message\":\"Token\"}");
  g_autoptr(BatonChannel) channel = baton_channel_from_json (node);
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonNode) post = NULL;
  g_autofree char *patch_text = NULL;
  g_autofree char *post_text = NULL;
  g_autoptr(BatonChannel) api = baton_channel_new ();

  g_assert_cmpint (channel->kind, ==, BATON_CHANNEL_WHATSAPP);
  g_assert_cmpstr (channel->default_user_id, ==, "agt_1");
  g_assert_null (channel->default_team_id);
  g_assert_true (channel->has_access_token);
  g_assert_false (channel->has_app_secret);
  g_assert_true (channel->paused);
  g_assert_cmpstr (channel->state_message, ==, "Token");
  g_assert_null (baton_channel_from_json (NULL));

  /* A PATCH without secrets keeps them: none is sent; nulls clear. */
  patch = baton_channel_to_json (channel, FALSE);
  patch_text = baton_json_to_string (patch);
  g_assert_cmpstr (patch_text, ==,
                   "{\"name\":\"Sales\",\"default_team_id\":null,\"default_user_id\":\"agt_1\","
                   "\"phone_number_id\":\"106\",\"display_phone_number\":\"+1 555\","
                   "\"waba_id\":null,\"graph_base_url\":null}");
  api->name = g_strdup ("Web");
  post = baton_channel_to_json (api, TRUE);
  post_text = baton_json_to_string (post);
  g_assert_cmpstr (post_text, ==, "{\"kind\":\"api\",\"name\":\"Web\",\"default_team_id\":null,"
                                  "\"default_user_id\":null}");
}

static void
test_workspace_config_json (void)
{
  g_autoptr(JsonNode) node = baton_json_parse_text (
    "{\"first_responder_becomes_owner\":true,\"first_reply_takes_assignment\":false,"
    "\"unassign_on_resolve\":true,\"timezone\":\"Europe/Paris\"}");
  g_autoptr(BatonWorkspaceConfig) config = baton_workspace_config_from_json (node);
  g_autoptr(BatonWorkspaceConfig) copy = NULL;
  g_autoptr(JsonNode) some = NULL;
  g_autofree char *some_text = NULL;

  g_assert_true (config->first_responder_becomes_owner);
  g_assert_false (config->first_reply_takes_assignment);
  g_assert_cmpstr (config->timezone, ==, "Europe/Paris");

  /* Only the fields named are written. */
  some = baton_workspace_config_to_json (config, BATON_WORKSPACE_CONFIG_UNASSIGN_ON_RESOLVE
                                                 | BATON_WORKSPACE_CONFIG_TIMEZONE);
  some_text = baton_json_to_string (some);
  g_assert_cmpstr (some_text, ==, "{\"unassign_on_resolve\":true,\"timezone\":\"Europe/Paris\"}");

  copy = baton_workspace_config_copy (config);
  config->first_reply_takes_assignment = TRUE;
  g_free (config->timezone);
  config->timezone = g_strdup ("Asia/Tokyo");
  baton_workspace_config_merge (copy, config, BATON_WORKSPACE_CONFIG_TIMEZONE);
  g_assert_cmpstr (copy->timezone, ==, "Asia/Tokyo");
  g_assert_false (copy->first_reply_takes_assignment);
}

static void
test_template_json (void)
{
  g_autoptr(JsonNode) node = baton_json_parse_text (
    "{\"name\":\"order_update\",\"language\":\"en\",\"category\":\"UTILITY\","
    "\"body\":\"Hi {{1}}\",\"parameters\":1,\"buttons\":[{\"text\":\"Track\"},{\"type\":\"x\"},"
    "\"odd\",{\"text\":\"Stop\"}]}");
  g_autoptr(JsonNode) nameless = baton_json_parse_text ("{\"language\":\"en\"}");
  g_autoptr(BatonTemplate) template_ = baton_template_from_json (node);
  const char *buttons[] = { "Track", "Stop", NULL };

  g_assert_cmpstr (template_->name, ==, "order_update");
  g_assert_cmpstr (template_->body, ==, "Hi {{1}}");
  g_assert_null (template_->header);
  g_assert_cmpuint (template_->n_parameters, ==, 1);
  g_assert_cmpstrv (template_->buttons, buttons);
  g_assert_null (baton_template_from_json (nameless));
}

static void
test_notification_json (void)
{
  g_autoptr(JsonNode) node = baton_json_parse_text (
    "{\"kind\":\"assigned\",\"conversation_id\":\"cnv_1\",\"title\":\"Ana\","
    "\"body\":\"Hello\",\"actor\":{\"type\":\"agent\",\"id\":\"agt_1\",\"name\":\"Ben\"},"
    "\"contact_name\":\"Chloé\",\"preview\":\"Bonjour\",\"assignee_names\":[\"Ana\",\"Ben\"]}");
  g_autoptr(JsonNode) no_actor = baton_json_parse_text (
    "{\"kind\":\"new_message\",\"conversation_id\":\"cnv_2\",\"actor\":null}");
  g_autoptr(JsonNode) no_conversation = baton_json_parse_text ("{\"kind\":\"assigned\"}");
  g_autoptr(BatonNotification) notification = baton_notification_from_json (node);
  g_autoptr(BatonNotification) plain = baton_notification_from_json (no_actor);

  g_assert_cmpstr (notification->kind, ==, "assigned");
  g_assert_cmpstr (notification->conversation_id, ==, "cnv_1");
  g_assert_cmpstr (notification->title, ==, "Ana");
  g_assert_cmpstr (notification->body, ==, "Hello");
  g_assert_cmpstr (notification->actor_name, ==, "Ben");
  g_assert_cmpstr (notification->contact_name, ==, "Chloé");
  g_assert_cmpstr (notification->preview, ==, "Bonjour");
  g_assert_cmpstr (notification->assignee_names[1], ==, "Ben");
  g_assert_null (plain->actor_name);
  g_assert_null (plain->title);
  g_assert_null (plain->contact_name);
  g_assert_null (baton_notification_from_json (no_conversation));
}

/* An event's data is read as what its kind carries, and only that. */
static void
test_event_payloads (void)
{
  g_autoptr(BatonEvent) created = event_new ("conversation.created",
                                             "{\"id\":\"cnv_1\",\"status\":\"new\",\"version\":2}");
  g_autoptr(BatonEvent) message = event_new ("message.updated",
                                             "{\"id\":\"msg_1\",\"kind\":\"note\"}");
  g_autoptr(BatonEvent) notification = event_new (
    "notification", "{\"kind\":\"assigned\",\"conversation_id\":\"cnv_1\"}");
  g_autoptr(BatonConversation) conversation = baton_event_dup_conversation (created);
  g_autoptr(BatonMessage) note = baton_event_dup_message (message);
  g_autoptr(BatonNotification) assigned = baton_event_dup_notification (notification);

  g_assert_cmpstr (conversation->id, ==, "cnv_1");
  g_assert_cmpint (conversation->version, ==, 2);
  g_assert_cmpint (note->kind, ==, BATON_MESSAGE_NOTE);
  g_assert_cmpstr (assigned->kind, ==, "assigned");
  g_assert_null (baton_event_dup_message (created));
  g_assert_null (baton_event_dup_conversation (message));
  g_assert_null (baton_event_dup_notification (created));
  g_assert_null (baton_event_dup_contact (notification));
}

/* A message's parts as the app shows them: attachments with what their data says, reactions,
 * the reason of a failure. */
static void
test_message_parts (void)
{
  g_autoptr(JsonNode) node = baton_json_parse_text (
    "{\"id\":\"msg_1\",\"kind\":\"inbound\",\"attachments\":["
    "{\"id\":\"att_1\",\"kind\":\"document\",\"mime_type\":\"application/pdf\","
    "\"filename\":\"a.pdf\",\"size\":4711,\"url\":\"/api/v1/attachments/att_1\"},"
    "{\"kind\":\"location\",\"size\":\"big\",\"data\":{\"latitude\":48.8,\"longitude\":2,"
    "\"name\":\"Paris\"}},"
    "{\"kind\":\"location\",\"data\":{\"latitude\":\"north\",\"longitude\":2}},"
    "{\"kind\":\"contacts\",\"data\":{\"cards\":[{\"name\":{\"first_name\":\"Ana\"},"
    "\"phones\":[{\"phone\":\"+1\"},{\"type\":\"x\"},{\"phone\":\"+2\"}]},7]}},"
    "{\"kind\":\"interactive\",\"data\":{\"text\":\"Yes\"}},\"odd\"],"
    "\"reactions\":[{\"emoji\":\"👍\",\"author\":\"Ana\"},{\"emoji\":\"\"}],"
    "\"error\":{\"code\":\"131047\",\"message\":\"Window closed\"}}");
  g_autoptr(BatonMessage) message = baton_message_from_json (node);
  g_autoptr(GPtrArray) attachments = baton_message_dup_attachments (message);
  g_autoptr(GPtrArray) reactions = baton_message_dup_reactions (message);
  g_autoptr(BatonMessage) bare = baton_message_new ();
  g_autoptr(GPtrArray) none = baton_message_dup_attachments (bare);
  BatonAttachment *file = NULL;
  BatonAttachment *place = NULL;
  BatonAttachment *nowhere = NULL;
  BatonAttachment *card = NULL;
  const char *phones[] = { "+1", "+2", NULL };

  g_assert_cmpuint (attachments->len, ==, 5);
  file = attachments->pdata[0];
  g_assert_cmpstr (file->filename, ==, "a.pdf");
  g_assert_cmpint (file->size, ==, 4711);
  g_assert_nonnull (file->url);
  g_assert_cmpuint (file->cards->len, ==, 0);
  place = attachments->pdata[1];
  g_assert_cmpint (place->size, ==, -1);
  g_assert_true (place->has_position);
  g_assert_cmpfloat (place->latitude, ==, 48.8);
  g_assert_cmpfloat (place->longitude, ==, 2);
  g_assert_cmpstr (place->place_name, ==, "Paris");
  nowhere = attachments->pdata[2];
  g_assert_false (nowhere->has_position);
  card = attachments->pdata[3];
  g_assert_cmpuint (card->cards->len, ==, 1);
  g_assert_cmpstr (((BatonContactCard *) card->cards->pdata[0])->first_name, ==, "Ana");
  g_assert_cmpstrv (((BatonContactCard *) card->cards->pdata[0])->phones, phones);
  g_assert_cmpstr (((BatonAttachment *) attachments->pdata[4])->choice, ==, "Yes");

  g_assert_cmpuint (reactions->len, ==, 1);
  g_assert_cmpstr (((BatonReaction *) reactions->pdata[0])->emoji, ==, "👍");
  g_assert_cmpstr (((BatonReaction *) reactions->pdata[0])->author, ==, "Ana");
  g_assert_cmpstr (baton_message_get_error_text (message), ==, "Window closed");
  g_assert_null (baton_message_get_error_text (bare));
  g_assert_cmpuint (none->len, ==, 0);
}

static BatonConversation *
conversation_held_by (const char * const *assignee_ids)
{
  BatonConversation *conversation = baton_conversation_new ();

  conversation->id = g_strdup ("cnv_1");
  conversation->assignee_ids = g_strdupv ((char **) assignee_ids);
  return conversation;
}

static BatonAgent *
agent_new (const char *id,
           BatonRole   role)
{
  BatonAgent *agent = baton_agent_new ();

  agent->id = g_strdup (id);
  agent->role = role;
  return agent;
}

static void
test_may_reassign (void)
{
  const char *nobody[] = { NULL };
  const char *ana_and_ben[] = { "agt_ana", "agt_ben", NULL };
  g_autoptr(BatonConversation) free_one = conversation_held_by (nobody);
  g_autoptr(BatonConversation) no_list = baton_conversation_new ();
  g_autoptr(BatonConversation) held = conversation_held_by (ana_and_ben);
  g_autoptr(BatonAgent) ana = agent_new ("agt_ana", BATON_ROLE_AGENT);
  g_autoptr(BatonAgent) ben = agent_new ("agt_ben", BATON_ROLE_AGENT);
  g_autoptr(BatonAgent) cy = agent_new ("agt_cy", BATON_ROLE_AGENT);
  g_autoptr(BatonAgent) manager = agent_new ("agt_max", BATON_ROLE_MANAGER);

  /* Nobody holds it: anyone may assign it. */
  g_assert_true (baton_rules_may_reassign (cy, free_one));
  g_assert_true (baton_rules_may_reassign (cy, no_list));
  /* Held: its assignees and managers only. */
  g_assert_true (baton_rules_may_reassign (ana, held));
  g_assert_true (baton_rules_may_reassign (ben, held));
  g_assert_true (baton_rules_may_reassign (manager, held));
  g_assert_false (baton_rules_may_reassign (cy, held));
}

/* Delivery statuses only move forward; played is a read voice note; failed stands over
 * pending and sent only. */
static void
test_message_status_rank (void)
{
  const char *order[] = { "pending", "sent", "failed", "delivered", "read" };

  for (guint i = 1; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpint (baton_message_status_rank (order[i - 1]), <,
                     baton_message_status_rank (order[i]));
  g_assert_cmpint (baton_message_status_rank ("played"), ==, baton_message_status_rank ("read"));
  g_assert_cmpint (baton_message_status_rank (NULL), ==, -1);
  g_assert_cmpint (baton_message_status_rank ("queued"), ==, -1);
}

/* lists of ids: NULL is empty, sets compare without order, with/without keep the order */
static void
test_strv (void)
{
  const char *ab[] = { "a", "b", NULL };
  const char *ba[] = { "b", "a", NULL };
  const char *abc[] = { "a", "b", "c", NULL };
  const char *none[] = { NULL };
  g_auto(GStrv) added = baton_strv_with (ab, "c");
  g_auto(GStrv) again = baton_strv_with (ab, "a");
  g_auto(GStrv) from_null = baton_strv_with (NULL, "a");
  g_auto(GStrv) removed = baton_strv_without (abc, "b");
  g_auto(GStrv) absent = baton_strv_without (ab, "z");
  g_autofree char *joined_added = NULL;
  g_autofree char *joined_again = NULL;
  g_autofree char *joined_removed = NULL;
  g_autofree char *joined_absent = NULL;

  g_assert_true (baton_strv_is_empty (NULL));
  g_assert_true (baton_strv_is_empty (none));
  g_assert_false (baton_strv_is_empty (ab));
  g_assert_true (baton_strv_equal_sets (ab, ba));
  g_assert_true (baton_strv_equal_sets (NULL, none));
  g_assert_false (baton_strv_equal_sets (ab, abc));
  g_assert_false (baton_strv_equal_sets (ab, NULL));
  joined_added = g_strjoinv (",", added);
  joined_again = g_strjoinv (",", again);
  joined_removed = g_strjoinv (",", removed);
  joined_absent = g_strjoinv (",", absent);
  g_assert_cmpstr (joined_added, ==, "a,b,c");
  g_assert_cmpstr (joined_again, ==, "a,b");
  g_assert_cmpstr (from_null[0], ==, "a");
  g_assert_null (from_null[1]);
  g_assert_cmpstr (joined_removed, ==, "a,c");
  g_assert_cmpstr (joined_absent, ==, "a,b");
}

/* a minus b keeps a's order; NULL on either side is the empty list */
static void
test_strv_minus (void)
{
  const char *cab[] = { "c", "a", "b", NULL };
  const char *bz[] = { "b", "z", NULL };
  g_auto(GStrv) minus = baton_strv_minus (cab, bz);
  g_auto(GStrv) minus_nothing = baton_strv_minus (cab, NULL);
  g_auto(GStrv) from_nothing = baton_strv_minus (NULL, bz);
  g_autofree char *joined_minus = g_strjoinv (",", minus);
  g_autofree char *joined_nothing = g_strjoinv (",", minus_nothing);

  g_assert_cmpstr (joined_minus, ==, "c,a");
  g_assert_cmpstr (joined_nothing, ==, "c,a,b");
  g_assert_true (baton_strv_is_empty ((const char * const *) from_nothing));
}

static void
test_strv_sort (void)
{
  const char *ids[] = { "b", "c", "a", NULL };
  g_autofree char *joined = NULL;

  baton_strv_sort (ids);
  baton_strv_sort (NULL);
  joined = g_strjoinv (",", (char **) ids);
  g_assert_cmpstr (joined, ==, "a,b,c");
}

/* The words of a search as the server reads them; the words of a text they match, without
 * case and accents, the last one as a prefix, numbers in groups also written together. */
static void
test_search (void)
{
  g_autoptr(GPtrArray) terms = baton_search_terms ("\"Chloé\" AND (dup*) +33 6 12 x-1");
  const char *texts[] = { "Chloé Dupont", "+33612345678", NULL };
  const char *accented[] = { "Hélène", NULL };
  g_autoptr(GArray) ranges = NULL;
  gboolean all = FALSE;

  g_assert_cmpuint (terms->len, ==, 6);
  g_assert_cmpstr (((char **) terms->pdata[0])[0], ==, "Chloé");
  g_assert_cmpstr (((char **) terms->pdata[1])[0], ==, "AND");
  g_assert_cmpstr (((char **) terms->pdata[2])[0], ==, "dup");
  g_assert_cmpuint (g_strv_length (terms->pdata[3]), ==, 3);
  g_assert_cmpstr (((char **) terms->pdata[3])[2], ==, "12");
  g_assert_cmpstr (((char **) terms->pdata[4])[0], ==, "x");
  g_assert_cmpstr (((char **) terms->pdata[5])[0], ==, "1");
  g_clear_pointer (&terms, g_ptr_array_unref);
  terms = baton_search_terms ("\" * - ()");
  g_assert_cmpuint (terms->len, ==, 0);

  g_assert_true (baton_search_matches ("chloe dup", texts));
  g_assert_true (baton_search_matches ("CHLOÉ +33 6 12", texts));
  g_assert_false (baton_search_matches ("chlo dupont", texts));
  g_assert_false (baton_search_matches ("chloe martin", texts));
  g_assert_true (baton_search_matches ("helene", accented));
  g_assert_true (baton_search_matches ("", accented));

  ranges = baton_search_find ("dupont ch", "Chloé Dupont et Chantal, chez dupont", &all);
  g_assert_true (all);
  g_assert_cmpuint (ranges->len, ==, 5);
  g_assert_cmpuint (g_array_index (ranges, BatonSearchRange, 0).start, ==, 0);
  g_assert_cmpuint (g_array_index (ranges, BatonSearchRange, 0).end, ==, strlen ("Chloé"));
  g_assert_cmpuint (g_array_index (ranges, BatonSearchRange, 1).start, ==, strlen ("Chloé "));
  g_clear_pointer (&ranges, g_array_unref);
  ranges = baton_search_find ("zorro", "Chloé", &all);
  g_assert_false (all);
  g_assert_cmpuint (ranges->len, ==, 0);
}

/* Canned replies: the JSON round trip, and the two placeholders filled at insert time. */
static void
test_canned_reply (void)
{
  g_autoptr(JsonNode) node = baton_json_parse_text ("{\"id\":\"rpl_1\",\"shortcut\":\"hi\","
                                                    "\"title\":\"Hi\",\"body\":\"B\","
                                                    "\"owner_id\":null,"
                                                    "\"created_at\":\"2026-12-06T09:30:00.000Z\","
                                                    "\"updated_at\":\"2026-12-06T09:30:00.000Z\"}");
  g_autoptr(BatonCannedReply) reply = baton_canned_reply_from_json (node);
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(JsonNode) empty = baton_json_parse_text ("{\"shortcut\":\"hi\"}");
  g_autofree char *filled = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *nested = NULL;
  g_autoptr(BatonEvent) deleted = event_new ("reply.deleted", "{\"id\":\"rpl_1\"}");

  g_assert_true (baton_event_is_deletion (deleted));
  g_assert_cmpstr (baton_event_get_object_id (deleted), ==, "rpl_1");
  g_assert_nonnull (reply);
  g_assert_cmpstr (reply->shortcut, ==, "hi");
  g_assert_null (reply->owner_id);
  back = baton_canned_reply_to_json (reply);
  g_assert_true (json_node_equal (back, node));
  g_assert_null (baton_canned_reply_from_json (empty));

  filled = baton_canned_reply_fill ("Hi {{contact.name}}, {{agent.name}} here. "
                                    "{{contact.name}}!", "Chloé", "Ana");
  g_assert_cmpstr (filled, ==, "Hi Chloé, Ana here. Chloé!");
  /* unknown and unfinished placeholders stay; a value is not filled again */
  unknown = baton_canned_reply_fill ("{{contact.phone}} {{agent.name", NULL, NULL);
  g_assert_cmpstr (unknown, ==, "{{contact.phone}} {{agent.name");
  nested = baton_canned_reply_fill ("{{contact.name}}/{{agent.name}}", "{{agent.name}}", NULL);
  g_assert_cmpstr (nested, ==, "{{agent.name}}/");

  /* what the picker lists for "/hi", "/H", "/greet" */
  g_free (reply->title);
  reply->title = g_strdup ("Greeting for Chloé");
  g_assert_true (baton_canned_reply_matches (reply, ""));
  g_assert_true (baton_canned_reply_matches (reply, "H"));
  g_assert_true (baton_canned_reply_matches (reply, "greet"));
  g_assert_true (baton_canned_reply_matches (reply, "CHLOÉ"));
  g_assert_false (baton_canned_reply_matches (reply, "x"));
  g_assert_false (baton_canned_reply_matches (reply, "hii"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/event-kinds", test_event_kinds);
  g_test_add_func ("/core/canned-reply", test_canned_reply);
  g_test_add_func ("/core/message-status-rank", test_message_status_rank);
  g_test_add_func ("/core/channel-json", test_channel_json);
  g_test_add_func ("/core/workspace-config-json", test_workspace_config_json);
  g_test_add_func ("/core/template-json", test_template_json);
  g_test_add_func ("/core/strv", test_strv);
  g_test_add_func ("/core/strv-minus", test_strv_minus);
  g_test_add_func ("/core/strv-sort", test_strv_sort);
  g_test_add_func ("/core/notification-json", test_notification_json);
  g_test_add_func ("/core/event-payloads", test_event_payloads);
  g_test_add_func ("/core/rules/may-reassign", test_may_reassign);
  g_test_add_func ("/core/message-parts", test_message_parts);
  g_test_add_func ("/core/search", test_search);

  return g_test_run ();
}
