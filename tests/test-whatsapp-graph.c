/* test-whatsapp-graph.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "baton-test-graph.h"
#include "baton-test-helpers.h"
#include "baton-whatsapp-graph.h"

/* The Graph API client against the Graph sandbox of the harness: request bodies equal to the
 * corpus (60–64), answers (65, 67–73 and bare HTTP failures) classified as REFERENCE.md §4
 * says, the bearer token on every call and in no log line. Each case uses its own phone
 * number id, so the scripted answers of one case never reach another. */

#define TOKEN "EAAGtestTOKENnever-logged-0123456789"
#define HARRIET_WAMID "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUMEM0MTM3MjZBRUY2QTk5MjhGRjEA"

static BatonGraphSandbox *sandbox;
static GString *log_text;
static GMutex log_mutex;

/* ---- helpers ---- */

static GLogWriterOutput
capture_log_cb (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_mutex);
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      {
        if (fields[i].length < 0)
          g_string_append (log_text, fields[i].value);
        else
          g_string_append_len (log_text, fields[i].value, fields[i].length);
        g_string_append_c (log_text, '\n');
      }
  g_mutex_unlock (&log_mutex);
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonNode *
fixture_node (const char *name)
{
  g_autofree char *contents = baton_test_fixture_text (name);

  return parse (contents);
}

static void
assert_json_equal (JsonNode *actual,
                   JsonNode *expected)
{
  if (!json_node_equal (actual, expected))
    {
      g_autofree char *actual_text = json_to_string (actual, TRUE);
      g_autofree char *expected_text = json_to_string (expected, TRUE);

      g_assert_cmpstr (actual_text, ==, expected_text);
    }
}

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BatonGraphReply **reply = user_data;

  *reply = baton_whatsapp_graph_finish (BATON_WHATSAPP_GRAPH (source), result);
  g_assert_nonnull (*reply);
}

static BatonGraphReply *
wait_reply (BatonGraphReply **reply)
{
  while (*reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *reply;
}

static BatonGraphReply *
post_with (BatonWhatsappGraph *graph,
           const char         *base_url,
           const char         *token,
           const char         *path,
           JsonNode           *body)
{
  BatonGraphReply *reply = NULL;

  baton_whatsapp_graph_post_async (graph, base_url, token, path, body, NULL, call_done_cb,
                                   &reply);
  return wait_reply (&reply);
}

static BatonGraphReply *
post (BatonWhatsappGraph *graph,
      const char         *path,
      JsonNode           *body)
{
  return post_with (graph, baton_graph_sandbox_get_base_url (sandbox), TOKEN, path, body);
}

static BatonGraphReply *
get (BatonWhatsappGraph *graph,
     const char         *path_and_query)
{
  BatonGraphReply *reply = NULL;

  baton_whatsapp_graph_get_async (graph, baton_graph_sandbox_get_base_url (sandbox), TOKEN,
                                  path_and_query, NULL, call_done_cb, &reply);
  return wait_reply (&reply);
}

static BatonGraphReply *
download (BatonWhatsappGraph *graph,
          const char         *url,
          const char         *token,
          gsize               max_bytes)
{
  BatonGraphReply *reply = NULL;

  baton_whatsapp_graph_download_async (graph, url, token, max_bytes, NULL, call_done_cb,
                                       &reply);
  return wait_reply (&reply);
}

/* A text send to the path of a number, answered by whatever the sandbox has for it. */
static BatonGraphReply *
send_text (BatonWhatsappGraph *graph,
           const char         *phone_number_id)
{
  g_autoptr(JsonNode) body = baton_whatsapp_text_payload ("447700900123", NULL, "Hello", NULL,
                                                          FALSE);
  g_autofree char *path = g_strdup_printf ("/%s/messages", phone_number_id);

  return post (graph, path, body);
}

static char *
messages_path (const char *phone_number_id)
{
  return g_strdup_printf ("/%s/messages", phone_number_id);
}

/* ---- request bodies ---- */

static void
test_payload_text (void)
{
  g_autoptr(JsonNode) expected = fixture_node ("60-api-send-text-request.json");
  g_autoptr(JsonNode) actual = NULL;

  actual = baton_whatsapp_text_payload ("447700900123", NULL,
                                        "Thanks Harriet, we've booked your repair for Friday "
                                        "10:00.", NULL, FALSE);
  assert_json_equal (actual, expected);
}

static void
test_payload_text_reply (void)
{
  g_autoptr(JsonNode) expected = fixture_node ("61-api-send-text-reply-request.json");
  g_autoptr(JsonNode) actual = NULL;

  actual = baton_whatsapp_text_payload ("447700900123", NULL,
                                        "Here is our repair checklist: "
                                        "https://example.org/repairs/checklist",
                                        HARRIET_WAMID, TRUE);
  assert_json_equal (actual, expected);
}

static void
test_payload_template (void)
{
  const char * const parameters[] = { "Kenji", "Fri 21 Mar, 10:00", NULL };
  const char * const payloads[] = { "CONFIRM_APPT_88213", "RESCHEDULE_APPT_88213", NULL };
  g_autoptr(JsonNode) expected = fixture_node ("62-api-send-template-request.json");
  g_autoptr(JsonNode) actual = NULL;

  actual = baton_whatsapp_template_payload ("12065550177", NULL, "appointment_reminder_v2",
                                            "en_GB", parameters, payloads);
  assert_json_equal (actual, expected);
}

static void
test_payload_template_plain (void)
{
  const char * const empty[] = { NULL };
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) without = NULL;
  g_autoptr(JsonNode) with_empty = NULL;
  g_autoptr(JsonNode) body_only = NULL;
  const char * const parameters[] = { "Kenji", NULL };

  expected = parse ("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                    "\"to\":\"12065550177\",\"type\":\"template\",\"template\":"
                    "{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}");
  without = baton_whatsapp_template_payload ("12065550177", NULL, "hello_world", "en_US", NULL,
                                             NULL);
  assert_json_equal (without, expected);
  with_empty = baton_whatsapp_template_payload ("12065550177", NULL, "hello_world", "en_US",
                                                empty, empty);
  assert_json_equal (with_empty, expected);

  g_clear_pointer (&expected, json_node_unref);
  expected = parse ("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                    "\"to\":\"12065550177\",\"type\":\"template\",\"template\":"
                    "{\"name\":\"greet\",\"language\":{\"code\":\"en\"},\"components\":"
                    "[{\"type\":\"body\",\"parameters\":"
                    "[{\"type\":\"text\",\"text\":\"Kenji\"}]}]}}");
  body_only = baton_whatsapp_template_payload ("12065550177", NULL, "greet", "en", parameters,
                                               NULL);
  assert_json_equal (body_only, expected);
}

static void
test_payload_recipient (void)
{
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) actual = NULL;

  /* a customer known only by a BSUID is addressed with "recipient" instead of "to" */
  expected = parse ("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                    "\"recipient\":\"GB.7731940258816604172\",\"type\":\"text\","
                    "\"text\":{\"preview_url\":false,\"body\":\"Hi\"}}");
  actual = baton_whatsapp_text_payload (NULL, "GB.7731940258816604172", "Hi", NULL, FALSE);
  assert_json_equal (actual, expected);
}

static void
test_payload_read (void)
{
  g_autoptr(JsonNode) expected = fixture_node ("63-api-mark-read-request.json");
  g_autoptr(JsonNode) expected_typing = fixture_node ("64-api-mark-read-typing-request.json");
  g_autoptr(JsonNode) actual = NULL;
  g_autoptr(JsonNode) actual_typing = NULL;

  actual = baton_whatsapp_read_payload (HARRIET_WAMID, FALSE);
  assert_json_equal (actual, expected);
  actual_typing = baton_whatsapp_read_payload ("wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURUIwQzAyNDcwQ0"
                                               "RENUJCQzkwMkUA", TRUE);
  assert_json_equal (actual_typing, expected_typing);
}

static void
test_sent_wamid (void)
{
  const char *unusable[] = {
    "{}",
    "{\"messages\":[]}",
    "{\"messages\":{}}",
    "{\"messages\":[{\"id\":12}]}",
    "{\"messages\":[{\"id\":\"\"}]}",
    "{\"messages\":[\"wamid.X\"]}",
    "[]",
    "\"wamid.X\"",
  };
  g_autoptr(JsonNode) success = fixture_node ("65-api-send-success-response.json");
  g_autofree char *wamid = baton_whatsapp_sent_wamid (success);

  g_assert_cmpstr (wamid, ==, "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSNjJEMUE5Nzg4NjFDODYzRTAxAA==");
  g_assert_null (baton_whatsapp_sent_wamid (NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (unusable); i++)
    {
      g_autoptr(JsonNode) body = parse (unusable[i]);
      g_autofree char *none = baton_whatsapp_sent_wamid (body);

      g_assert_null (none);
    }
}

/* ---- classification ---- */

static void
test_classify (void)
{
  const struct {
    guint http_status;
    gint64 code;
    gboolean is_transient;
    BatonGraphOutcome expected;
  } cases[] = {
    { 200, 0, FALSE, BATON_GRAPH_OK },
    { 201, 0, FALSE, BATON_GRAPH_OK },
    { 400, 130429, FALSE, BATON_GRAPH_RETRY_NUMBER },
    { 429, 130429, FALSE, BATON_GRAPH_RETRY_NUMBER },
    { 400, 80007, FALSE, BATON_GRAPH_RETRY_NUMBER },
    { 400, 4, FALSE, BATON_GRAPH_RETRY_NUMBER },
    { 400, 131056, FALSE, BATON_GRAPH_RETRY_RECIPIENT },
    { 400, 131047, FALSE, BATON_GRAPH_WINDOW_CLOSED },
    { 401, 190, FALSE, BATON_GRAPH_PAUSE },
    { 400, 190, FALSE, BATON_GRAPH_PAUSE },
    { 401, 0, FALSE, BATON_GRAPH_PAUSE },
    { 400, 131048, FALSE, BATON_GRAPH_BLOCKED },
    { 400, 131049, FALSE, BATON_GRAPH_BLOCKED },
    { 500, 131000, TRUE, BATON_GRAPH_RETRY },
    { 400, 131000, FALSE, BATON_GRAPH_RETRY },
    { 500, 1, FALSE, BATON_GRAPH_RETRY },
    { 500, 2, FALSE, BATON_GRAPH_RETRY },
    { 400, 131016, FALSE, BATON_GRAPH_RETRY },
    /* Graph's is_transient wins over a code we would not retry */
    { 400, 100, TRUE, BATON_GRAPH_RETRY },
    { 400, 100, FALSE, BATON_GRAPH_PERMANENT },
    { 400, 131008, FALSE, BATON_GRAPH_PERMANENT },
    { 400, 131009, FALSE, BATON_GRAPH_PERMANENT },
    { 400, 131026, FALSE, BATON_GRAPH_PERMANENT },
    { 400, 131051, FALSE, BATON_GRAPH_PERMANENT },
    /* a known permanent code stays permanent on a 5xx or a 401 */
    { 500, 100, FALSE, BATON_GRAPH_PERMANENT },
    { 401, 131026, FALSE, BATON_GRAPH_PERMANENT },
    { 403, 10, FALSE, BATON_GRAPH_PERMANENT },
    { 403, 200, FALSE, BATON_GRAPH_PERMANENT },
    /* an unknown code on a 5xx is still the server's trouble */
    { 503, 999999, FALSE, BATON_GRAPH_RETRY },
    /* no code: the HTTP status decides */
    { 0, 0, FALSE, BATON_GRAPH_RETRY },
    { 500, 0, FALSE, BATON_GRAPH_RETRY },
    { 502, 0, FALSE, BATON_GRAPH_RETRY },
    { 503, 0, FALSE, BATON_GRAPH_RETRY },
    { 504, 0, FALSE, BATON_GRAPH_RETRY },
    { 408, 0, FALSE, BATON_GRAPH_RETRY },
    { 429, 0, FALSE, BATON_GRAPH_RETRY_NUMBER },
    { 400, 0, FALSE, BATON_GRAPH_PERMANENT },
    { 403, 0, FALSE, BATON_GRAPH_PERMANENT },
    { 404, 0, FALSE, BATON_GRAPH_PERMANENT },
    { 413, 0, FALSE, BATON_GRAPH_PERMANENT },
    { 302, 0, FALSE, BATON_GRAPH_PERMANENT },
    { 400, 0, TRUE, BATON_GRAPH_RETRY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BatonGraphOutcome outcome = baton_whatsapp_graph_classify (cases[i].http_status,
                                                                 cases[i].code,
                                                                 cases[i].is_transient);

      if (outcome != cases[i].expected)
        g_error ("HTTP %u code %" G_GINT64_FORMAT " transient %d: %s, expected %s",
                 cases[i].http_status, cases[i].code, cases[i].is_transient,
                 baton_graph_outcome_to_string (outcome),
                 baton_graph_outcome_to_string (cases[i].expected));
    }
  g_assert_cmpstr (baton_graph_outcome_to_string (BATON_GRAPH_RETRY_RECIPIENT), ==,
                   "retry_recipient");
  g_assert_cmpstr (baton_graph_outcome_to_string (BATON_GRAPH_WINDOW_CLOSED), ==,
                   "window_closed");
}

/* ---- calls ---- */

static void
test_send_text (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(JsonNode) body = fixture_node ("60-api-send-text-request.json");
  g_autoptr(BatonGraphReply) reply = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autofree char *wamid = NULL;
  const BatonGraphSandboxRequest *request = NULL;

  reply = post (graph, "/389104726650318/messages", body);
  g_assert_cmpint (reply->outcome, ==, BATON_GRAPH_OK);
  g_assert_cmpuint (reply->http_status, ==, 200);
  g_assert_cmpint (reply->code, ==, 0);
  g_assert_null (reply->message);
  g_assert_cmpint (reply->retry_after, ==, 0);
  wamid = baton_whatsapp_sent_wamid (reply->body);
  g_assert_nonnull (wamid);
  g_assert_true (g_str_has_prefix (wamid, "wamid."));

  request = baton_graph_sandbox_find (sandbox, "POST", "/389104726650318/messages", 0);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (request->content_type, ==, "application/json");
  g_assert_null (request->query);
  sent = baton_graph_sandbox_request_json (request);
  g_assert_nonnull (sent);
  assert_json_equal (sent, body);
}

static void
test_send_scripted_wamid (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(JsonNode) read = baton_whatsapp_read_payload (HARRIET_WAMID, TRUE);
  g_autoptr(JsonNode) success = fixture_node ("66-api-mark-read-success-response.json");
  g_autoptr(BatonGraphReply) read_reply = NULL;
  g_autoptr(BatonGraphReply) sent_reply = NULL;
  g_autoptr(BatonGraphReply) next_reply = NULL;
  g_autofree char *wamid = NULL;
  g_autofree char *next_wamid = NULL;

  baton_graph_sandbox_push_sent (sandbox, "100000000000001", "wamid.SCRIPTED1");
  /* a mark-as-read in between does not take the scripted send answer */
  read_reply = post (graph, "/100000000000001/messages", read);
  g_assert_cmpint (read_reply->outcome, ==, BATON_GRAPH_OK);
  assert_json_equal (read_reply->body, success);
  sent_reply = send_text (graph, "100000000000001");
  g_assert_cmpint (sent_reply->outcome, ==, BATON_GRAPH_OK);
  wamid = baton_whatsapp_sent_wamid (sent_reply->body);
  g_assert_cmpstr (wamid, ==, "wamid.SCRIPTED1");
  /* one-shot: the next send gets a fresh wamid */
  next_reply = send_text (graph, "100000000000001");
  next_wamid = baton_whatsapp_sent_wamid (next_reply->body);
  g_assert_true (g_str_has_prefix (next_wamid, "wamid."));
  g_assert_cmpstr (next_wamid, !=, "wamid.SCRIPTED1");
  g_assert_cmpuint (baton_graph_sandbox_count (sandbox, "POST", "/100000000000001/messages"), ==, 3);
}

static void
test_error_fixtures (void)
{
  const struct {
    const char *fixture;
    guint http_status;
    BatonGraphOutcome outcome;
    gint64 code;
    const char *message;
    const char *details;
    const char *fbtrace_id;
  } cases[] = {
    { "67-api-error-130429-throughput.json", 400, BATON_GRAPH_RETRY_NUMBER, 130429,
      "(#130429) Rate limit hit", "Cloud API message throughput has been reached.",
      "Atovktl5l3GQsKq8kPdJ7" },
    { "68-api-error-131056-pair-rate.json", 400, BATON_GRAPH_RETRY_RECIPIENT, 131056,
      "(#131056) (Business Account, Consumer Account) pair rate limit hit",
      "Message failed to send because there were too many messages sent from this phone "
      "number to the same phone number in a short period of time.", "AtZQZ-KDaqWRtUKl5OtS_" },
    { "69-api-error-131047-reengagement.json", 400, BATON_GRAPH_WINDOW_CLOSED, 131047,
      "(#131047) Re-engagement message",
      "Message failed to send because more than 24 hours have passed since the customer last "
      "replied to this number.", "Ad8pb666ZJUsJb4oEP9kY" },
    { "70-api-error-190-token-expired.json", 401, BATON_GRAPH_PAUSE, 190,
      "Error validating access token: Session has expired on Tuesday, 17-Mar-26 09:00:00 PDT. "
      "The current time is Wednesday, 18-Mar-26 06:12:40 PDT.", NULL, "AzrYAlJW2eM3IQc9JruZG" },
    { "71-api-error-100-invalid-parameter.json", 400, BATON_GRAPH_PERMANENT, 100,
      "(#100) Invalid parameter", "Param text['body'] must be at most 4096 characters long.",
      "AYjNGzBHMcDi2ga8xAFcE" },
    { "72-api-error-131009-bad-message-id.json", 400, BATON_GRAPH_PERMANENT, 131009,
      "(#131009) Parameter value is not valid", "Invalid message_id: wamid.does-not-exist",
      "A1gmx39dgsdtmHj-GREsj" },
    { "73-api-error-131000-transient.json", 500, BATON_GRAPH_RETRY, 131000,
      "(#131000) Something went wrong", "Something went wrong", "AwDLLwa22SfNmp9kD-dn0" },
  };
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = g_strdup_printf ("2000000000000%02" G_GSIZE_FORMAT, i);
      g_autofree char *path = messages_path (number);
      g_autoptr(JsonNode) expected_body = fixture_node (cases[i].fixture);
      g_autoptr(BatonGraphReply) reply = NULL;

      g_test_message ("%s", cases[i].fixture);
      baton_test_graph_push_file (sandbox, "POST", path, cases[i].http_status, cases[i].fixture);
      reply = send_text (graph, number);
      g_assert_cmpstr (baton_graph_outcome_to_string (reply->outcome), ==,
                       baton_graph_outcome_to_string (cases[i].outcome));
      g_assert_cmpuint (reply->http_status, ==, cases[i].http_status);
      g_assert_cmpint (reply->code, ==, cases[i].code);
      g_assert_cmpstr (reply->message, ==, cases[i].message);
      g_assert_cmpstr (reply->details, ==, cases[i].details);
      g_assert_cmpstr (reply->fbtrace_id, ==, cases[i].fbtrace_id);
      g_assert_cmpint (reply->retry_after, ==, 0);
      g_assert_nonnull (reply->body);
      assert_json_equal (reply->body, expected_body);
      g_assert_null (reply->bytes);
    }
}

/* Error bodies Graph (or a proxy in front of it) might send, read without trusting them. */
static void
test_error_bodies (void)
{
  const struct {
    guint http_status;
    const char *body;
    BatonGraphOutcome outcome;
    gint64 code;
    const char *message;
  } cases[] = {
    /* no body, or not JSON: the HTTP status decides */
    { 500, NULL, BATON_GRAPH_RETRY, 0, NULL },
    { 502, "<html><body>Bad gateway</body></html>", BATON_GRAPH_RETRY, 0, NULL },
    { 503, "{\"error\":", BATON_GRAPH_RETRY, 0, NULL },
    { 401, NULL, BATON_GRAPH_PAUSE, 0, NULL },
    { 429, NULL, BATON_GRAPH_RETRY_NUMBER, 0, NULL },
    { 403, NULL, BATON_GRAPH_PERMANENT, 0, NULL },
    { 404, "Not found", BATON_GRAPH_PERMANENT, 0, NULL },
    /* code as a string, or a whole double */
    { 400, "{\"error\":{\"code\":\"131056\",\"message\":\"pair\"}}", BATON_GRAPH_RETRY_RECIPIENT,
      131056, "pair" },
    { 400, "{\"error\":{\"code\":131047.0}}", BATON_GRAPH_WINDOW_CLOSED, 131047, NULL },
    /* no usable code */
    { 400, "{\"error\":{\"message\":\"no code\"}}", BATON_GRAPH_PERMANENT, 0, "no code" },
    { 500, "{\"error\":{\"message\":\"no code\"}}", BATON_GRAPH_RETRY, 0, "no code" },
    { 400, "{\"error\":{\"code\":1234567890123456789012345678901}}", BATON_GRAPH_PERMANENT, 0,
      NULL },
    { 400, "{\"error\":{\"code\":-5}}", BATON_GRAPH_PERMANENT, 0, NULL },
    { 400, "{\"error\":{\"code\":1.5}}", BATON_GRAPH_PERMANENT, 0, NULL },
    { 400, "{\"error\":{\"code\":\"abc\"}}", BATON_GRAPH_PERMANENT, 0, NULL },
    { 400, "{\"error\":{\"code\":null,\"message\":null}}", BATON_GRAPH_PERMANENT, 0, NULL },
    { 400, "{\"error\":{\"code\":[190]}}", BATON_GRAPH_PERMANENT, 0, NULL },
    { 400, "{\"error\":{\"code\":{\"value\":190}}}", BATON_GRAPH_PERMANENT, 0, NULL },
    { 400, "{\"error\":\"plain text error\"}", BATON_GRAPH_PERMANENT, 0, "plain text error" },
    { 400, "{\"error\":[1,2]}", BATON_GRAPH_PERMANENT, 0, NULL },
    { 400, "[]", BATON_GRAPH_PERMANENT, 0, NULL },
    { 400, "{\"error\":{\"code\":190,\"message\":42,\"error_data\":\"x\",\"fbtrace_id\":7}}",
      BATON_GRAPH_PAUSE, 190, NULL },
    /* is_transient without a known code */
    { 400, "{\"error\":{\"code\":99999,\"is_transient\":true}}", BATON_GRAPH_RETRY, 99999,
      NULL },
    { 400, "{\"error\":{\"is_transient\":true}}", BATON_GRAPH_RETRY, 0, NULL },
    { 400, "{\"error\":{\"code\":100,\"is_transient\":false}}", BATON_GRAPH_PERMANENT, 100,
      NULL },
    { 400, "{\"error\":{\"code\":100,\"is_transient\":\"yes\"}}", BATON_GRAPH_PERMANENT, 100,
      NULL },
    /* Graph's code 0 (AuthException) is a bad token */
    { 400, "{\"error\":{\"code\":0,\"message\":\"auth\"}}", BATON_GRAPH_PAUSE, 0, "auth" },
    { 401, "{\"error\":{\"code\":0}}", BATON_GRAPH_PAUSE, 0, NULL },
    /* the code decides, not the status */
    { 200, "{\"error\":{\"code\":131047}}", BATON_GRAPH_WINDOW_CLOSED, 131047, NULL },
  };
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = g_strdup_printf ("3000000000000%02" G_GSIZE_FORMAT, i);
      g_autofree char *path = messages_path (number);
      g_autoptr(BatonGraphReply) reply = NULL;

      g_test_message ("HTTP %u %s", cases[i].http_status, cases[i].body);
      baton_graph_sandbox_push (sandbox, "POST", path, cases[i].http_status, cases[i].body);
      reply = send_text (graph, number);
      g_assert_cmpstr (baton_graph_outcome_to_string (reply->outcome), ==,
                       baton_graph_outcome_to_string (cases[i].outcome));
      g_assert_cmpuint (reply->http_status, ==, cases[i].http_status);
      g_assert_cmpint (reply->code, ==, cases[i].code);
      g_assert_cmpstr (reply->message, ==, cases[i].message);
      g_assert_null (reply->details);
      g_assert_null (reply->fbtrace_id);
    }
}

static void
test_error_strings_made_valid (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(BatonGraphReply) reply = NULL;

  /* a lone surrogate gives json-glib invalid UTF-8; the reply's strings are valid */
  baton_graph_sandbox_push (sandbox, "POST", "/300000000000100/messages", 400,
                         "{\"error\":{\"code\":100,\"message\":\"bad \\ud83d here\","
                         "\"error_data\":{\"details\":\"x\\ud800y\"},"
                         "\"fbtrace_id\":\"A\\ud83dB\"}}");
  reply = send_text (graph, "300000000000100");
  g_assert_cmpint (reply->outcome, ==, BATON_GRAPH_PERMANENT);
  g_assert_cmpint (reply->code, ==, 100);
  g_assert_nonnull (reply->message);
  g_assert_true (g_utf8_validate (reply->message, -1, NULL));
  g_assert_true (g_str_has_prefix (reply->message, "bad "));
  g_assert_nonnull (reply->details);
  g_assert_true (g_utf8_validate (reply->details, -1, NULL));
  g_assert_nonnull (reply->fbtrace_id);
  g_assert_true (g_utf8_validate (reply->fbtrace_id, -1, NULL));
}

static void
test_retry_after (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *http_date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *body = baton_test_fixture_text ("67-api-error-130429-throughput.json");
  BatonGraphSandboxReply seconds = {
    .method = "POST", .path = "/400000000000001/messages", .status = 429,
    .retry_after = "17",
  };
  BatonGraphSandboxReply date = {
    .method = "POST", .path = "/400000000000002/messages", .status = 503,
    .retry_after = http_date,
  };
  BatonGraphSandboxReply with_code = {
    .method = "POST", .path = "/400000000000003/messages", .status = 400, .body = body,
    .retry_after = " 5 ",
  };
  BatonGraphSandboxReply unreadable = {
    .method = "POST", .path = "/400000000000004/messages", .status = 429,
    .retry_after = "soon",
  };
  g_autoptr(BatonGraphReply) seconds_reply = NULL;
  g_autoptr(BatonGraphReply) date_reply = NULL;
  g_autoptr(BatonGraphReply) code_reply = NULL;
  g_autoptr(BatonGraphReply) unreadable_reply = NULL;

  baton_graph_sandbox_push_reply (sandbox, &seconds);
  baton_graph_sandbox_push_reply (sandbox, &date);
  baton_graph_sandbox_push_reply (sandbox, &with_code);
  baton_graph_sandbox_push_reply (sandbox, &unreadable);

  seconds_reply = send_text (graph, "400000000000001");
  g_assert_cmpint (seconds_reply->outcome, ==, BATON_GRAPH_RETRY_NUMBER);
  g_assert_cmpint (seconds_reply->retry_after, ==, 17);

  date_reply = send_text (graph, "400000000000002");
  g_assert_cmpint (date_reply->outcome, ==, BATON_GRAPH_RETRY);
  g_assert_cmpint (date_reply->retry_after, >=, 110);
  g_assert_cmpint (date_reply->retry_after, <=, 120);

  code_reply = send_text (graph, "400000000000003");
  g_assert_cmpint (code_reply->outcome, ==, BATON_GRAPH_RETRY_NUMBER);
  g_assert_cmpint (code_reply->code, ==, 130429);
  g_assert_cmpint (code_reply->retry_after, ==, 5);

  unreadable_reply = send_text (graph, "400000000000004");
  g_assert_cmpint (unreadable_reply->outcome, ==, BATON_GRAPH_RETRY_NUMBER);
  g_assert_cmpint (unreadable_reply->retry_after, ==, 0);
}

static void
test_timeout (void)
{
  g_autoptr(BatonWhatsappGraph) graph = g_object_new (BATON_TYPE_WHATSAPP_GRAPH, "timeout", 1,
                                                      NULL);
  g_autoptr(BatonGraphReply) slow_reply = NULL;
  g_autoptr(BatonGraphReply) fast_reply = NULL;
  BatonGraphSandboxReply slow = {
    .method = "POST", .path = "/500000000000001/messages", .status = 200,
    .body = "{\"messages\":[{\"id\":\"wamid.TOO-LATE\"}]}", .delay_ms = 3000,
  };
  guint timeout = 0;
  gint64 start = 0;
  gint64 elapsed_ms = 0;

  g_object_get (graph, "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 1);
  baton_graph_sandbox_push_reply (sandbox, &slow);
  start = g_get_monotonic_time ();
  slow_reply = send_text (graph, "500000000000001");
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_cmpint (slow_reply->outcome, ==, BATON_GRAPH_RETRY);
  g_assert_cmpuint (slow_reply->http_status, ==, 0);
  g_assert_null (slow_reply->body);
  g_assert_nonnull (slow_reply->message);
  g_assert_cmpint (elapsed_ms, >=, 900);
  g_assert_cmpint (elapsed_ms, <, 2900);

  /* a slow answer within the timeout is fine */
  baton_graph_sandbox_set_delay (sandbox, 300);
  fast_reply = send_text (graph, "500000000000002");
  baton_graph_sandbox_set_delay (sandbox, 0);
  g_assert_cmpint (fast_reply->outcome, ==, BATON_GRAPH_OK);
}

static void
test_default_timeout (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  guint timeout = 0;

  g_object_get (graph, "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 30);
}

static void
test_no_answer (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(BatonWhatsappGraph) fresh = baton_whatsapp_graph_new ();
  g_autoptr(JsonNode) body = baton_whatsapp_text_payload ("447700900123", NULL, "Hi", NULL,
                                                          FALSE);
  g_autoptr(BatonGraphReply) refused = NULL;
  g_autoptr(BatonGraphReply) dropped = NULL;
  g_autoptr(BatonGraphReply) cancelled_reply = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *closed_url = NULL;
  BatonGraphReply *reply = NULL;

  /* a port nobody listens on: bound, then closed */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u/v25.0",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  refused = post_with (graph, closed_url, TOKEN, "/1/messages", body);
  g_assert_cmpint (refused->outcome, ==, BATON_GRAPH_RETRY);
  g_assert_cmpuint (refused->http_status, ==, 0);
  g_assert_nonnull (refused->message);

  /* the connection closes without an answer (a fresh client: libsoup would resend a request
   * on a reused connection) */
  baton_graph_sandbox_push (sandbox, "POST", "/500000000000003/messages", 0, NULL);
  dropped = send_text (fresh, "500000000000003");
  g_assert_cmpint (dropped->outcome, ==, BATON_GRAPH_RETRY);
  g_assert_cmpuint (dropped->http_status, ==, 0);

  /* cancelled before it starts: still a reply */
  g_cancellable_cancel (cancellable);
  baton_whatsapp_graph_post_async (graph, baton_graph_sandbox_get_base_url (sandbox), TOKEN,
                                   "/500000000000004/messages", body, cancellable,
                                   call_done_cb, &reply);
  cancelled_reply = wait_reply (&reply);
  g_assert_cmpint (cancelled_reply->outcome, ==, BATON_GRAPH_RETRY);
  g_assert_cmpuint (cancelled_reply->http_status, ==, 0);
}

static void
test_bad_arguments (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(JsonNode) body = baton_whatsapp_text_payload ("447700900123", NULL, "Hi", NULL,
                                                          FALSE);
  g_autoptr(BatonGraphReply) no_token = NULL;
  g_autoptr(BatonGraphReply) empty_token = NULL;
  g_autoptr(BatonGraphReply) injected = NULL;
  g_autoptr(BatonGraphReply) bad_url = NULL;
  g_autoptr(BatonGraphReply) file_url = NULL;
  guint before = baton_graph_sandbox_n_requests (sandbox);

  /* a missing or malformed token never leaves the process */
  no_token = post_with (graph, baton_graph_sandbox_get_base_url (sandbox), NULL, "/600000000000001/messages",
                        body);
  g_assert_cmpint (no_token->outcome, ==, BATON_GRAPH_PAUSE);
  g_assert_cmpuint (no_token->http_status, ==, 0);
  empty_token = post_with (graph, baton_graph_sandbox_get_base_url (sandbox), "",
                           "/600000000000001/messages", body);
  g_assert_cmpint (empty_token->outcome, ==, BATON_GRAPH_PAUSE);
  injected = post_with (graph, baton_graph_sandbox_get_base_url (sandbox), "abc\r\nX-Evil: 1",
                        "/600000000000001/messages", body);
  g_assert_cmpint (injected->outcome, ==, BATON_GRAPH_PAUSE);
  bad_url = post_with (graph, "not a url", TOKEN, "/600000000000001/messages", body);
  g_assert_cmpint (bad_url->outcome, ==, BATON_GRAPH_PERMANENT);
  file_url = download (graph, "file:///etc/passwd", TOKEN, 1024);
  g_assert_cmpint (file_url->outcome, ==, BATON_GRAPH_PERMANENT);
  g_assert_null (file_url->bytes);
  g_assert_cmpuint (baton_graph_sandbox_n_requests (sandbox), ==, before);
}

static void
test_base_url_joining (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(JsonNode) body = baton_whatsapp_read_payload (HARRIET_WAMID, FALSE);
  g_autofree char *slashed = g_strconcat (baton_graph_sandbox_get_base_url (sandbox), "/", NULL);
  g_autoptr(BatonGraphReply) reply = NULL;

  reply = post_with (graph, slashed, TOKEN, "600000000000002/messages", body);
  g_assert_cmpint (reply->outcome, ==, BATON_GRAPH_OK);
  g_assert_cmpuint (baton_graph_sandbox_count (sandbox, "POST", "/600000000000002/messages"), ==, 1);
}

static void
test_media (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(GBytes) jpeg = g_bytes_new_static ("\xff\xd8\xff\xe0 not really a jpeg", 22);
  g_autoptr(BatonGraphReply) metadata = NULL;
  g_autoptr(BatonGraphReply) media = NULL;
  g_autoptr(BatonGraphReply) wrong_token = NULL;
  g_autoptr(BatonGraphReply) unknown = NULL;
  g_autofree char *url = NULL;
  const BatonGraphSandboxRequest *metadata_request = NULL;
  const BatonGraphSandboxRequest *download_request = NULL;
  JsonObject *object = NULL;

  baton_graph_sandbox_add_media (sandbox, "1122334455", "image/jpeg", jpeg);
  metadata = get (graph, "/1122334455");
  g_assert_cmpint (metadata->outcome, ==, BATON_GRAPH_OK);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (metadata->body));
  object = json_node_get_object (metadata->body);
  g_assert_cmpstr (json_object_get_string_member (object, "mime_type"), ==, "image/jpeg");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "1122334455");
  g_assert_cmpint (json_object_get_int_member (object, "file_size"), ==, 22);
  url = g_strdup (json_object_get_string_member (object, "url"));
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  media = download (graph, url, TOKEN, 1024);
  g_assert_cmpint (media->outcome, ==, BATON_GRAPH_OK);
  g_assert_cmpuint (media->http_status, ==, 200);
  g_assert_nonnull (media->bytes);
  g_assert_true (g_bytes_equal (media->bytes, jpeg));
  g_assert_cmpstr (media->content_type, ==, "image/jpeg");
  g_assert_null (media->body);

  metadata_request = baton_graph_sandbox_find (sandbox, "GET", "/1122334455", 0);
  g_assert_nonnull (metadata_request);
  g_assert_cmpstr (metadata_request->authorization, ==, "Bearer " TOKEN);
  download_request = baton_graph_sandbox_find (sandbox, "GET", "/download/1122334455", 0);
  g_assert_nonnull (download_request);
  g_assert_cmpstr (download_request->authorization, ==, "Bearer " TOKEN);
  g_assert_nonnull (download_request->query);

  /* the download wants the token that asked for the url */
  wrong_token = download (graph, url, "another-token", 1024);
  g_assert_cmpint (wrong_token->outcome, ==, BATON_GRAPH_PAUSE);
  g_assert_cmpuint (wrong_token->http_status, ==, 401);
  g_assert_cmpint (wrong_token->code, ==, 190);
  g_assert_null (wrong_token->bytes);

  unknown = get (graph, "/9999999999");
  g_assert_cmpint (unknown->outcome, ==, BATON_GRAPH_PERMANENT);
  g_assert_cmpint (unknown->code, ==, 100);
}

static void
test_download_bound (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autofree char *big = g_malloc (4 * 1024 * 1024);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7 a small document", 25);
  g_autoptr(BatonGraphReply) too_large = NULL;
  g_autoptr(BatonGraphReply) exact = NULL;
  g_autoptr(BatonGraphReply) chunked_too_large = NULL;
  g_autoptr(BatonGraphReply) chunked_fits = NULL;
  g_autoptr(BatonGraphReply) after = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  BatonGraphSandboxReply chunked_big = {
    .method = "GET", .path = "/download/7700000002", .status = 200, .body = big,
    .body_length = 4 * 1024 * 1024, .content_type = "video/mp4", .chunked = TRUE,
  };
  BatonGraphSandboxReply chunked_small = {
    .method = "GET", .path = "/download/7700000002", .status = 200,
    .body = "0123456789abcdef", .content_type = "audio/ogg; codecs=opus", .chunked = TRUE,
  };
  gint64 start = 0;

  memset (big, 'x', 4 * 1024 * 1024);
  baton_graph_sandbox_add_media (sandbox, "7700000001", "application/pdf", pdf);
  base = g_strdup (baton_graph_sandbox_get_base_url (sandbox));
  *strstr (base, "/v25.0") = '\0';
  url = g_strconcat (base, "/download/7700000001", NULL);

  /* Content-Length says it is too large: not read */
  too_large = download (graph, url, TOKEN, 24);
  g_assert_cmpint (too_large->outcome, ==, BATON_GRAPH_PERMANENT);
  g_assert_cmpuint (too_large->http_status, ==, 200);
  g_assert_null (too_large->bytes);
  g_assert_nonnull (too_large->message);

  exact = download (graph, url, TOKEN, 25);
  g_assert_cmpint (exact->outcome, ==, BATON_GRAPH_OK);
  g_assert_true (g_bytes_equal (exact->bytes, pdf));
  g_assert_cmpstr (exact->content_type, ==, "application/pdf");

  /* no Content-Length: the bytes read decide, and the rest is not waited for */
  g_free (url);
  url = g_strconcat (base, "/download/7700000002", NULL);
  baton_graph_sandbox_push_reply (sandbox, &chunked_big);
  start = g_get_monotonic_time ();
  chunked_too_large = download (graph, url, TOKEN, 100000);
  g_assert_cmpint (chunked_too_large->outcome, ==, BATON_GRAPH_PERMANENT);
  g_assert_null (chunked_too_large->bytes);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  baton_graph_sandbox_push_reply (sandbox, &chunked_small);
  chunked_fits = download (graph, url, TOKEN, 16);
  g_assert_cmpint (chunked_fits->outcome, ==, BATON_GRAPH_OK);
  g_assert_cmpuint (g_bytes_get_size (chunked_fits->bytes), ==, 16);
  g_assert_cmpmem (g_bytes_get_data (chunked_fits->bytes, NULL), 16, "0123456789abcdef", 16);
  g_assert_cmpstr (chunked_fits->content_type, ==, "audio/ogg; codecs=opus");

  /* the client still works after dropping an answer halfway */
  g_free (url);
  url = g_strconcat (base, "/download/7700000001", NULL);
  after = download (graph, url, TOKEN, 1024);
  g_assert_cmpint (after->outcome, ==, BATON_GRAPH_OK);
  g_assert_true (g_bytes_equal (after->bytes, pdf));
}

static void
test_download_error_body (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(BatonGraphReply) expired = NULL;
  g_autoptr(BatonGraphReply) gone = NULL;
  g_autofree char *base = g_strdup (baton_graph_sandbox_get_base_url (sandbox));
  g_autofree char *url = NULL;

  *strstr (base, "/v25.0") = '\0';
  url = g_strconcat (base, "/download/7700000003", NULL);
  /* an error answer is read as a Graph error, whatever the bound */
  baton_test_graph_push_file (sandbox, "GET", "/download/7700000003", 401,
                              "70-api-error-190-token-expired.json");
  expired = download (graph, url, TOKEN, 10);
  g_assert_cmpint (expired->outcome, ==, BATON_GRAPH_PAUSE);
  g_assert_cmpuint (expired->http_status, ==, 401);
  g_assert_cmpint (expired->code, ==, 190);
  g_assert_cmpstr (expired->fbtrace_id, ==, "AzrYAlJW2eM3IQc9JruZG");
  g_assert_null (expired->bytes);

  baton_graph_sandbox_push (sandbox, "GET", "/download/7700000003", 404, "Not Found");
  gone = download (graph, url, TOKEN, 10);
  g_assert_cmpint (gone->outcome, ==, BATON_GRAPH_PERMANENT);
  g_assert_cmpuint (gone->http_status, ==, 404);
  g_assert_null (gone->bytes);
}

#define TEMPLATES_JSON \
  "[{\"name\":\"appointment_reminder_v2\",\"language\":\"en_GB\",\"status\":\"APPROVED\"," \
  "\"category\":\"UTILITY\",\"id\":\"1001\",\"components\":[" \
  "{\"type\":\"BODY\",\"text\":\"Hi {{1}}, see you {{2}}\"}," \
  "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"Yes\"}," \
  "{\"type\":\"QUICK_REPLY\",\"text\":\"Reschedule\"}]}]}," \
  "{\"name\":\"promo_spring\",\"language\":\"en_GB\",\"status\":\"REJECTED\"," \
  "\"category\":\"MARKETING\",\"id\":\"1002\",\"components\":[" \
  "{\"type\":\"BODY\",\"text\":\"Spring sale\"}]}," \
  "{\"name\":\"hello_world\",\"language\":\"en_US\",\"status\":\"APPROVED\"," \
  "\"category\":\"UTILITY\",\"id\":\"1003\",\"components\":[" \
  "{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"Hello\"}," \
  "{\"type\":\"BODY\",\"text\":\"Welcome\"}]}]"

static const char *
page_name (BatonGraphReply *reply,
           guint            index)
{
  JsonObject *root = json_node_get_object (reply->body);
  JsonArray *data = json_object_get_array_member (root, "data");

  return json_object_get_string_member (json_array_get_object_element (data, index), "name");
}

static guint
page_length (BatonGraphReply *reply)
{
  JsonObject *root = json_node_get_object (reply->body);

  return json_array_get_length (json_object_get_array_member (root, "data"));
}

static const char *
page_after (BatonGraphReply *reply)
{
  JsonObject *paging = json_object_get_object_member (json_node_get_object (reply->body),
                                                      "paging");

  return json_object_get_string_member (json_object_get_object_member (paging, "cursors"),
                                        "after");
}

static gboolean
page_has_next (BatonGraphReply *reply)
{
  JsonObject *paging = json_object_get_object_member (json_node_get_object (reply->body),
                                                      "paging");

  return json_object_has_member (paging, "next");
}

static void
test_templates_pages (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(BatonGraphReply) first = NULL;
  g_autoptr(BatonGraphReply) second = NULL;
  g_autoptr(BatonGraphReply) approved = NULL;
  g_autoptr(BatonGraphReply) unknown = NULL;
  g_autofree char *second_path = NULL;
  g_autofree char *expected_next = NULL;
  const BatonGraphSandboxRequest *request = NULL;
  JsonObject *paging = NULL;

  baton_test_graph_set_templates (sandbox, "102290129340398", TEMPLATES_JSON, 2);
  first = get (graph, "/102290129340398/message_templates?fields=name,language,status");
  g_assert_cmpint (first->outcome, ==, BATON_GRAPH_OK);
  g_assert_cmpuint (page_length (first), ==, 2);
  g_assert_cmpstr (page_name (first, 0), ==, "appointment_reminder_v2");
  g_assert_cmpstr (page_name (first, 1), ==, "promo_spring");
  g_assert_true (page_has_next (first));
  paging = json_object_get_object_member (json_node_get_object (first->body), "paging");
  expected_next = g_strdup_printf ("%s/102290129340398/message_templates"
                                   "?fields=name,language,status&limit=2&after=%s",
                                   baton_graph_sandbox_get_base_url (sandbox), page_after (first));
  g_assert_cmpstr (json_object_get_string_member (paging, "next"), ==, expected_next);

  second_path = g_strdup_printf ("/102290129340398/message_templates?after=%s",
                                 page_after (first));
  second = get (graph, second_path);
  g_assert_cmpint (second->outcome, ==, BATON_GRAPH_OK);
  g_assert_cmpuint (page_length (second), ==, 1);
  g_assert_cmpstr (page_name (second, 0), ==, "hello_world");
  g_assert_false (page_has_next (second));

  g_assert_cmpuint (baton_graph_sandbox_count (sandbox, "GET", "/102290129340398/message_templates"),
                    ==, 2);
  request = baton_graph_sandbox_find (sandbox, "GET", "/102290129340398/message_templates", 1);
  g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (request->query, ==, strchr (second_path, '?') + 1);

  /* Graph's status filter, and a limit */
  approved = get (graph, "/102290129340398/message_templates?status=APPROVED&limit=5");
  g_assert_cmpuint (page_length (approved), ==, 2);
  g_assert_cmpstr (page_name (approved, 1), ==, "hello_world");
  g_assert_false (page_has_next (approved));

  unknown = get (graph, "/555/message_templates");
  g_assert_cmpint (unknown->outcome, ==, BATON_GRAPH_PERMANENT);
  g_assert_cmpint (unknown->code, ==, 100);
}

static void
test_sandbox_token (void)
{
  g_autoptr(BatonWhatsappGraph) graph = baton_whatsapp_graph_new ();
  g_autoptr(JsonNode) body = baton_whatsapp_text_payload ("447700900123", NULL, "Hi", NULL,
                                                          FALSE);
  g_autoptr(BatonGraphReply) refused = NULL;
  g_autoptr(BatonGraphReply) accepted = NULL;

  baton_graph_sandbox_set_access_token (sandbox, "the-right-token");
  refused = post (graph, "/700000000000001/messages", body);
  accepted = post_with (graph, baton_graph_sandbox_get_base_url (sandbox), "the-right-token",
                        "/700000000000001/messages", body);
  baton_graph_sandbox_set_access_token (sandbox, NULL);
  g_assert_cmpint (refused->outcome, ==, BATON_GRAPH_PAUSE);
  g_assert_cmpuint (refused->http_status, ==, 401);
  g_assert_cmpint (refused->code, ==, 190);
  g_assert_cmpint (accepted->outcome, ==, BATON_GRAPH_OK);
}

static gpointer
post_in_thread (gpointer user_data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(BatonWhatsappGraph) graph = NULL;
  BatonGraphReply *reply = NULL;
  g_autoptr(JsonNode) body = baton_whatsapp_text_payload ("447700900123", NULL, "Hi", NULL,
                                                          FALSE);

  g_main_context_push_thread_default (context);
  graph = baton_whatsapp_graph_new ();
  baton_whatsapp_graph_post_async (graph, baton_graph_sandbox_get_base_url (sandbox), TOKEN,
                                   "/700000000000002/messages", body, NULL, call_done_cb,
                                   &reply);
  while (reply == NULL)
    g_main_context_iteration (context, TRUE);
  g_clear_object (&graph);
  g_main_context_pop_thread_default (context);
  return reply;
}

/* The sandbox answers while the test thread blocks, as it must while a test waits on batond. */
static void
test_sandbox_wait (void)
{
  g_autoptr(GThread) thread = NULL;
  g_autoptr(BatonGraphReply) reply = NULL;
  const BatonGraphSandboxRequest *request = NULL;
  gint64 start = 0;

  g_assert_false (baton_graph_sandbox_wait (sandbox, "POST", "/700000000000002/messages", 1, 50));
  thread = g_thread_new ("poster", post_in_thread, NULL);
  g_assert_true (baton_graph_sandbox_wait (sandbox, "POST", "/700000000000002/messages", 1, 5000));
  reply = g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpint (reply->outcome, ==, BATON_GRAPH_OK);
  request = baton_graph_sandbox_find (sandbox, "POST", "/700000000000002/messages", 0);
  g_assert_nonnull (request);
  g_assert_cmpint (request->time_us, <=, g_get_monotonic_time ());
  g_assert_null (baton_graph_sandbox_find (sandbox, "POST", "/700000000000002/messages", 1));
  g_assert_null (baton_graph_sandbox_request (sandbox, baton_graph_sandbox_n_requests (sandbox)));

  start = g_get_monotonic_time ();
  g_assert_false (baton_graph_sandbox_wait (sandbox, "POST", "/700000000000002/messages", 2, 200));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 190 * 1000);
}

/* Registered last (its suite runs last): every call above has logged what it logs. */
static void
test_token_never_logged (void)
{
  g_mutex_lock (&log_mutex);
  /* debug lines (OK answers) and messages (errors) both reached the writer */
  g_assert_nonnull (strstr (log_text->str, ": HTTP 200"));
  g_assert_nonnull (strstr (log_text->str, "fbtrace_id AzrYAlJW2eM3IQc9JruZG"));
  g_assert_null (strstr (log_text->str, TOKEN));
  g_assert_null (strstr (log_text->str, "the-right-token"));
  g_mutex_unlock (&log_mutex);
}

int
main (int   argc,
      char *argv[])
{
  int status = 0;

  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_log_cb, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/whatsapp-graph/payload/text", test_payload_text);
  g_test_add_func ("/whatsapp-graph/payload/text-reply", test_payload_text_reply);
  g_test_add_func ("/whatsapp-graph/payload/template", test_payload_template);
  g_test_add_func ("/whatsapp-graph/payload/template-plain", test_payload_template_plain);
  g_test_add_func ("/whatsapp-graph/payload/recipient", test_payload_recipient);
  g_test_add_func ("/whatsapp-graph/payload/read", test_payload_read);
  g_test_add_func ("/whatsapp-graph/payload/sent-wamid", test_sent_wamid);
  g_test_add_func ("/whatsapp-graph/classify/table", test_classify);
  g_test_add_func ("/whatsapp-graph/send/text", test_send_text);
  g_test_add_func ("/whatsapp-graph/send/scripted-wamid", test_send_scripted_wamid);
  g_test_add_func ("/whatsapp-graph/send/error-fixtures", test_error_fixtures);
  g_test_add_func ("/whatsapp-graph/send/error-bodies", test_error_bodies);
  g_test_add_func ("/whatsapp-graph/send/error-strings-valid", test_error_strings_made_valid);
  g_test_add_func ("/whatsapp-graph/send/retry-after", test_retry_after);
  g_test_add_func ("/whatsapp-graph/send/timeout", test_timeout);
  g_test_add_func ("/whatsapp-graph/send/default-timeout", test_default_timeout);
  g_test_add_func ("/whatsapp-graph/send/no-answer", test_no_answer);
  g_test_add_func ("/whatsapp-graph/send/bad-arguments", test_bad_arguments);
  g_test_add_func ("/whatsapp-graph/send/base-url-joining", test_base_url_joining);
  g_test_add_func ("/whatsapp-graph/media/download", test_media);
  g_test_add_func ("/whatsapp-graph/media/bound", test_download_bound);
  g_test_add_func ("/whatsapp-graph/media/error-body", test_download_error_body);
  g_test_add_func ("/whatsapp-graph/templates/pages", test_templates_pages);
  g_test_add_func ("/whatsapp-graph/sandbox/token", test_sandbox_token);
  g_test_add_func ("/whatsapp-graph/sandbox/wait", test_sandbox_wait);
  g_test_add_func ("/whatsapp-graph/log/token-never-logged", test_token_never_logged);

  sandbox = baton_test_graph_new ();
  status = g_test_run ();
  g_object_unref (sandbox);
  g_string_free (log_text, TRUE);
  return status;
}
