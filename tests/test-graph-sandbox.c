/* test-graph-sandbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Graph API sandbox on a thread of its own, called over HTTP: what it tells of the sends
 * it accepts, the numbers and templates it checks sends against, and its records.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "baton-graph-sandbox.h"

#define NUMBER "100000000000009"
#define WABA "200000000000009"

#define TEMPLATES \
  "[{\"name\":\"order_ready\",\"language\":\"en_GB\",\"status\":\"APPROVED\"," \
  "\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, {{2}} " \
  "is ready.\"}]},{\"name\":\"spring_sale\",\"language\":\"en_GB\",\"status\":\"APPROVED\"," \
  "\"category\":\"MARKETING\",\"components\":[{\"type\":\"BODY\",\"text\":\"20% off!\"}]}]"

/* What ::message-accepted told, in the sandbox's thread. */
typedef struct {
  GMutex mutex;
  GPtrArray *told;
} Accepted;

static void
message_accepted_cb (BatonGraphSandbox *sandbox,
                     const char        *phone_number_id,
                     const char        *wamid,
                     const char        *wa_id,
                     const char        *user_id,
                     const char        *category,
                     Accepted          *accepted)
{
  g_mutex_lock (&accepted->mutex);
  g_ptr_array_add (accepted->told, g_strjoin (" ", phone_number_id, wamid, wa_id ? wa_id : "-",
                                              user_id ? user_id : "-", category, NULL));
  g_mutex_unlock (&accepted->mutex);
}

static char *
told (Accepted *accepted,
      guint     index)
{
  char *text = NULL;

  g_mutex_lock (&accepted->mutex);
  if (index < accepted->told->len)
    text = g_strdup (accepted->told->pdata[index]);
  g_mutex_unlock (&accepted->mutex);
  return text;
}

static guint
n_told (Accepted *accepted)
{
  guint n = 0;

  g_mutex_lock (&accepted->mutex);
  n = accepted->told->len;
  g_mutex_unlock (&accepted->mutex);
  return n;
}

static BatonGraphSandbox *
sandbox_new (Accepted *accepted)
{
  g_autoptr(BatonGraphSandbox) sandbox = baton_graph_sandbox_new ();
  g_autoptr(GError) error = NULL;

  g_mutex_init (&accepted->mutex);
  accepted->told = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (sandbox, "message-accepted", G_CALLBACK (message_accepted_cb), accepted);
  baton_graph_sandbox_listen (sandbox, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&sandbox);
}

static void
accepted_clear (Accepted *accepted)
{
  g_ptr_array_unref (accepted->told);
  g_mutex_clear (&accepted->mutex);
}

/* POSTs body to path (after the version) with a bearer; the answer's JSON. */
static JsonNode *
post (BatonGraphSandbox *sandbox,
      const char        *path,
      const char        *body,
      guint             *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (baton_graph_sandbox_get_base_url (sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *node = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer test-token");
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return node;
}

static const char *
sent_wamid (JsonNode *answer)
{
  JsonObject *root = json_node_get_object (answer);
  JsonArray *messages = json_object_get_array_member (root, "messages");

  return json_object_get_string_member (json_array_get_object_element (messages, 0), "id");
}

static gint64
error_code (JsonNode *answer)
{
  JsonObject *root = json_node_get_object (answer);

  return json_object_get_int_member (json_object_get_object_member (root, "error"), "code");
}

static JsonNode *
send_template (BatonGraphSandbox *sandbox,
               const char        *path,
               const char        *name,
               guint              n_parameters,
               guint             *status)
{
  g_autoptr(GString) body = g_string_new (NULL);

  g_string_append_printf (body, "{\"messaging_product\":\"whatsapp\",\"to\":\"447700900123\","
                                "\"type\":\"template\",\"template\":{\"name\":\"%s\","
                                "\"language\":{\"code\":\"en_GB\"},\"components\":[{\"type\":"
                                "\"body\",\"parameters\":[", name);
  for (guint i = 0; i < n_parameters; i++)
    g_string_append_printf (body, "%s{\"type\":\"text\",\"text\":\"p%u\"}", i ? "," : "", i);
  g_string_append (body, "]}]}}");
  return post (sandbox, path, body->str, status);
}

/* An accepted send is told once its answer is out, with the wamid the answer gave; a scripted
 * or refused one is not. */
static void
test_accepted (void)
{
  Accepted accepted = { 0 };
  g_autoptr(BatonGraphSandbox) sandbox = sandbox_new (&accepted);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) scripted = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *first = NULL;
  guint status = 0;

  sent = post (sandbox, "/" NUMBER "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":"
               "\"+44 7700 900123\",\"type\":\"text\",\"text\":{\"body\":\"Hi\"}}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (sent_wamid (sent), "wamid."));
  expected = g_strdup_printf (NUMBER " %s 447700900123 - service", sent_wamid (sent));
  first = told (&accepted, 0);
  g_assert_cmpstr (first, ==, expected);

  baton_graph_sandbox_push_sent (sandbox, NUMBER, "wamid.SCRIPTED");
  scripted = post (sandbox, "/" NUMBER "/messages", "{\"messaging_product\":\"whatsapp\","
                   "\"recipient\":\"GB.1\",\"type\":\"text\",\"text\":{\"body\":\"Hi\"}}",
                   &status);
  g_assert_cmpstr (sent_wamid (scripted), ==, "wamid.SCRIPTED");
  refused = post (sandbox, "/" NUMBER "/messages", "{\"messaging_product\":\"whatsapp\","
                  "\"to\":\"447700900123\",\"type\":\"text\",\"text\":{}}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (refused), ==, 100);
  g_assert_cmpuint (n_told (&accepted), ==, 1);

  g_clear_object (&sandbox);
  accepted_clear (&accepted);
}

/* With its numbers known, the sandbox refuses others and checks templates against the WABA's,
 * pricing a send by the template's category. */
static void
test_numbers_and_templates (void)
{
  Accepted accepted = { 0 };
  g_autoptr(BatonGraphSandbox) sandbox = sandbox_new (&accepted);
  g_autoptr(JsonNode) templates = json_from_string (TEMPLATES, NULL);
  g_autoptr(JsonNode) unknown_number = NULL;
  g_autoptr(JsonNode) unknown_template = NULL;
  g_autoptr(JsonNode) wrong_count = NULL;
  g_autoptr(JsonNode) utility = NULL;
  g_autoptr(JsonNode) marketing = NULL;
  g_autofree char *utility_told = NULL;
  g_autofree char *marketing_told = NULL;
  guint status = 0;

  /* before any number is known, any template goes */
  utility = send_template (sandbox, "/123/messages", "not_known", 0, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&utility, json_node_unref);

  baton_graph_sandbox_add_number (sandbox, NUMBER, WABA);
  baton_graph_sandbox_set_templates (sandbox, WABA, json_node_get_array (templates), 0);
  unknown_number = send_template (sandbox, "/123/messages", "order_ready", 2, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (unknown_number), ==, 100);
  unknown_template = send_template (sandbox, "/" NUMBER "/messages", "not_known", 0, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpint (error_code (unknown_template), ==, 132001);
  wrong_count = send_template (sandbox, "/" NUMBER "/messages", "order_ready", 1, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (wrong_count), ==, 132000);

  utility = send_template (sandbox, "/" NUMBER "/messages", "order_ready", 2, &status);
  g_assert_cmpuint (status, ==, 200);
  marketing = send_template (sandbox, "/" NUMBER "/messages", "spring_sale", 0, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (n_told (&accepted), ==, 3);
  utility_told = told (&accepted, 1);
  marketing_told = told (&accepted, 2);
  g_assert_true (g_str_has_suffix (utility_told, " utility"));
  g_assert_true (g_str_has_suffix (marketing_told, " marketing"));

  g_clear_object (&sandbox);
  accepted_clear (&accepted);
}

/* A sandbox that keeps no records still answers. */
static void
test_recording (void)
{
  Accepted accepted = { 0 };
  g_autoptr(BatonGraphSandbox) sandbox = sandbox_new (&accepted);
  g_autoptr(JsonNode) unrecorded = NULL;
  g_autoptr(JsonNode) recorded = NULL;
  const char *body = "{\"messaging_product\":\"whatsapp\",\"status\":\"read\","
                     "\"message_id\":\"wamid.X\"}";
  guint status = 0;

  baton_graph_sandbox_set_recording (sandbox, FALSE);
  unrecorded = post (sandbox, "/" NUMBER "/messages", body, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (baton_graph_sandbox_n_requests (sandbox), ==, 0);
  baton_graph_sandbox_set_recording (sandbox, TRUE);
  recorded = post (sandbox, "/" NUMBER "/messages", body, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (baton_graph_sandbox_count (sandbox, "POST", "/" NUMBER "/messages"), ==, 1);

  g_clear_object (&sandbox);
  accepted_clear (&accepted);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/graph-sandbox/accepted", test_accepted);
  g_test_add_func ("/graph-sandbox/numbers-and-templates", test_numbers_and_templates);
  g_test_add_func ("/graph-sandbox/recording", test_recording);
  return g_test_run ();
}
