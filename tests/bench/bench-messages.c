/* bench-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-test-helpers.h"
#include "bench-messages.h"

#define WABA_ID "271839406512287"
#define PHONE_NUMBER_ID "389104726650318"
#define DISPLAY_NUMBER "15557014422"

static const char *const first_names[] = {
  "Harriet", "Tomás", "Aisha", "Lukas", "Priya", "Oliver", "Mei", "Youssef",
};
static const char *const last_names[] = {
  "Quill", "Okafor", "Lindqvist", "Moreau", "Santos", "Nakamura", "Brennan", "Haddad",
};
/* Realistic first messages; each names the order, which makes the assignment traceable. */
static const char *const texts[] = {
  "Hi, my washing machine is leaking again (order #%u). Can someone come this week?",
  "Hello, order #%u arrived with a cracked door seal on the fridge. What should I do?",
  "Good morning! Can I move the repair visit for order #%u to Friday afternoon?",
  "The dishwasher from order #%u still shows error E24 after the engineer left yesterday.",
  "Hi there, I'd like to know when the spare part for order #%u will be delivered 🙏",
};

static char *
order_text (guint number)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_strdup_printf (texts[number % G_N_ELEMENTS (texts)], number);
#pragma GCC diagnostic pop
}

/* One customer's contact and text message, as in corpus file 01, from a number of its own. */
static void
append_customer (GString *contacts,
                 GString *messages,
                 guint    number,
                 gint64   timestamp)
{
  g_autofree char *wa_id = g_strdup_printf ("447700%07u", number);
  g_autofree char *name = g_strdup_printf ("%s %s",
                                           first_names[number % G_N_ELEMENTS (first_names)],
                                           last_names[(number / G_N_ELEMENTS (first_names))
                                                      % G_N_ELEMENTS (last_names)]);
  g_autofree char *wamid = g_strdup_printf ("wamid.HBgMNDQ3NzAw%07uFQIAEhgUMEM0MTM3MjZBRUY2QTk5"
                                            "MjhGRjEA", number);
  g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);
  g_autofree char *text = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *message = NULL;

  text = order_text (number);
  contact = baton_test_strdup_printf_json ("{\"profile\":{\"name\":%s},\"wa_id\":%s}", name,
                                           wa_id);
  message = baton_test_strdup_printf_json ("{\"from\":%s,\"id\":%s,\"timestamp\":%s,"
                                           "\"type\":\"text\",\"text\":{\"body\":%s}}", wa_id,
                                           wamid, ts, text);
  g_string_append_printf (contacts, "%s%s", contacts->len ? "," : "", contact);
  g_string_append_printf (messages, "%s%s", messages->len ? "," : "", message);
}

/* As in bodies captured from real traffic: ASCII only, every other character written
 * \uXXXX (UTF-16, lowercase hex). */
static void
append_ascii (GString    *out,
              const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + ((c - 0x10000) >> 10),
                                0xdc00 + ((c - 0x10000) & 0x3ff));
    }
}

GBytes *
bench_webhook_body (guint first_number,
                    guint count)
{
  g_autoptr(GString) contacts = g_string_new (NULL);
  g_autoptr(GString) messages = g_string_new (NULL);
  gint64 timestamp = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GString) utf8 = g_string_new (NULL);
  GString *body = g_string_new (NULL);
  gsize length = 0;

  for (guint i = 0; i < count; i++)
    append_customer (contacts, messages, first_number + i, timestamp);
  g_string_append_printf (utf8,
                          "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\""
                          WABA_ID "\",\"changes\":[{\"value\":{\"messaging_product\":"
                          "\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                          DISPLAY_NUMBER "\",\"phone_number_id\":\"" PHONE_NUMBER_ID "\"},"
                          "\"contacts\":[%s],\"messages\":[%s]},\"field\":\"messages\"}]}]}",
                          contacts->str, messages->str);
  append_ascii (body, utf8->str);
  length = body->len;
  return g_bytes_new_take (g_string_free (body, FALSE), length);
}

char *
bench_whatsapp_channel (BatonTestServer *server,
                        const char      *team_id)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) channel = NULL;

  body = baton_test_strdup_printf_json ("{\"kind\":\"whatsapp\",\"name\":\"Service line\","
                                        "\"phone_number_id\":\"" PHONE_NUMBER_ID "\","
                                        "\"display_phone_number\":\"+1 555 701 4422\","
                                        "\"waba_id\":\"" WABA_ID "\","
                                        "\"access_token\":\"bench-access-token\","
                                        "\"app_secret\":\"" BENCH_APP_SECRET "\","
                                        "\"verify_token\":\"bench-verify-token\","
                                        "\"graph_base_url\":\"http://127.0.0.1:9/v25.0\","
                                        "\"default_team_id\":%s}", team_id);
  channel = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token, body,
                               201, NULL);
  return g_strdup (baton_test_get_string (channel, "id"));
}

GBytes *
bench_inbound_body (guint number)
{
  g_autofree char *from = g_strdup_printf ("+3361%07u", number);
  g_autofree char *text = NULL;
  char *json = NULL;

  text = order_text (number);
  json = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":%s}", from, text);
  return g_bytes_new_take (json, strlen (json));
}

gint64
bench_order_number (const char *body)
{
  const char *hash = body ? strchr (body, '#') : NULL;
  char *end = NULL;
  guint64 number = hash ? g_ascii_strtoull (hash + 1, &end, 10) : 0;

  if (hash == NULL || end == hash + 1 || number > G_MAXUINT)
    return -1;
  return (gint64) number;
}
