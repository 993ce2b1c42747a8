/* test-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>

#include "baton-agent.h"
#include "baton-contact.h"
#include "baton-conversation.h"
#include "baton-error.h"
#include "baton-event.h"
#include "baton-json.h"
#include "baton-json-writer.h"
#include "baton-message.h"
#include "baton-team.h"

/* 2026-11-22T09:30:00.123Z */
#define SOME_TIME_MS ((gint64) 1795339800123)
#define SOME_TIME_TEXT "2026-11-22T09:30:00.123Z"

/* Helpers */

static JsonObject *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = baton_json_parse_object (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static void
assert_bad_request (const char *data,
                    gsize       length)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = baton_json_parse_object (data, length, &error);

  g_assert_null (object);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
  g_assert_cmpstr (baton_error_get_field (error), ==, NULL);
}

/* A failed read must be unprocessable and name exactly this field. */
static void
assert_field_error (const GError *error,
                    const char   *field)
{
  g_assert_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (baton_error_get_field (error), ==, field);
  g_assert_cmpstr (baton_error_get_name (error), ==, "unprocessable");
}

/* Serialises and parses again, as a client would see the object. */
static JsonObject *
round_trip (JsonNode *node)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) owned = node;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  text = baton_json_to_string (node);
  return parse_ok (text);
}

/* An object written as a tree and as text: the text is the tree's, and the tree reads as a
 * client would see it. Takes both. */
static JsonObject *
both_ways (JsonNode *tree,
           char     *text)
{
  g_autofree char *owned = text;
  g_autofree char *tree_text = baton_json_to_string (tree);

  g_assert_cmpstr (text, ==, tree_text);
  return round_trip (tree);
}

static char *
member_to_string (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  return baton_json_to_string (node);
}

static void
assert_member_json (JsonObject *object,
                    const char *member,
                    const char *expected)
{
  g_autofree char *text = member_to_string (object, member);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_null_member (JsonObject *object,
                    const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  g_assert_true (json_object_get_null_member (object, member));
}

/* Parsing */

static void
test_parse_valid (void)
{
  g_autoptr(JsonObject) empty = parse_ok ("{}");
  g_autoptr(JsonObject) object = parse_ok (" {\"name\":\"Zoë\",\"n\":3,\"nested\":{\"a\":[1]}} ");

  g_assert_cmpuint (json_object_get_size (empty), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Zoë");
  g_assert_cmpint (json_object_get_int_member (object, "n"), ==, 3);
  g_assert_true (json_object_has_member (object, "nested"));
}

static void
test_parse_invalid (void)
{
  static const char nul_inside[] = "{\"a\":\"b\0c\"}";
  static const char nul_after[] = "{\"a\":1}\0";

  assert_bad_request ("", 0);
  /* A length of zero wins even when the buffer holds something. */
  assert_bad_request ("{}", 0);
  assert_bad_request ("{\"a\":\"\xff\"}", strlen ("{\"a\":\"\xff\"}"));
  assert_bad_request ("{\"a\":\"\xc3\x28\"}", strlen ("{\"a\":\"\xc3\x28\"}"));
  assert_bad_request (nul_inside, sizeof nul_inside - 1);
  assert_bad_request (nul_after, sizeof nul_after - 1);
  assert_bad_request ("{\"a\":", strlen ("{\"a\":"));
  assert_bad_request ("{\"a\" 1}", strlen ("{\"a\" 1}"));
  assert_bad_request ("not json", strlen ("not json"));
  assert_bad_request ("[{\"a\":1}]", strlen ("[{\"a\":1}]"));
  assert_bad_request ("[]", strlen ("[]"));
  assert_bad_request ("\"text\"", strlen ("\"text\""));
  assert_bad_request ("42", strlen ("42"));
  assert_bad_request ("null", strlen ("null"));
  assert_bad_request ("   ", strlen ("   "));
}

/* Readers */

static void
test_read_string (void)
{
  g_autoptr(JsonObject) object = parse_ok ("{\"s\":\"value\",\"n\":1,\"z\":null,\"o\":{},"
                                           "\"a\":[],\"b\":true,\"e\":\"\"}");
  const char *value = NULL;
  const char *wrong[] = { "n", "o", "a", "b" };

  g_assert_true (baton_json_read_string (object, "s", BATON_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, "value");
  value = NULL;
  g_assert_true (baton_json_read_string (object, "e", BATON_JSON_REQUIRED, &value, NULL));
  g_assert_cmpstr (value, ==, "");

  /* Absent and optional: success, the value is left alone. */
  value = "untouched";
  g_assert_true (baton_json_read_string (object, "missing", BATON_JSON_OPTIONAL, &value, NULL));
  g_assert_cmpstr (value, ==, "untouched");

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_string (object, "missing", BATON_JSON_REQUIRED, &value,
                                            &error));
    assert_field_error (error, "missing");
  }
  /* REQUIRED|NULLABLE still wants the member present. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_string (object, "missing",
                                            BATON_JSON_REQUIRED | BATON_JSON_NULLABLE, &value,
                                            &error));
    assert_field_error (error, "missing");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_string (object, "z", BATON_JSON_OPTIONAL, &value, &error));
    assert_field_error (error, "z");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_string (object, "z", BATON_JSON_REQUIRED, &value, &error));
    assert_field_error (error, "z");
  }
  value = "untouched";
  g_assert_true (baton_json_read_string (object, "z", BATON_JSON_NULLABLE, &value, NULL));
  g_assert_cmpstr (value, ==, "untouched");
  g_assert_true (baton_json_read_string (object, "z", BATON_JSON_REQUIRED | BATON_JSON_NULLABLE,
                                         &value, NULL));
  g_assert_cmpstr (value, ==, "untouched");

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (baton_json_read_string (object, wrong[i], BATON_JSON_OPTIONAL, &value,
                                              &error));
      assert_field_error (error, wrong[i]);
    }
}

static void
test_read_int (void)
{
  g_autoptr(JsonObject) object = parse_ok ("{\"n\":42,\"neg\":-7,\"big\":9007199254740993,"
                                           "\"f\":1.5,\"whole\":2.0,\"s\":\"3\",\"z\":null,"
                                           "\"b\":false,\"a\":[1]}");
  gint64 value = 0;
  gboolean is_null = TRUE;
  const char *wrong[] = { "f", "whole", "s", "b", "a" };

  g_assert_true (baton_json_read_int (object, "n", BATON_JSON_REQUIRED, &value, &is_null, NULL));
  g_assert_cmpint (value, ==, 42);
  g_assert_false (is_null);
  g_assert_true (baton_json_read_int (object, "neg", BATON_JSON_OPTIONAL, &value, NULL, NULL));
  g_assert_cmpint (value, ==, -7);
  g_assert_true (baton_json_read_int (object, "big", BATON_JSON_OPTIONAL, &value, NULL, NULL));
  g_assert_cmpint (value, ==, G_GINT64_CONSTANT (9007199254740993));

  /* Absent: success, not null, value untouched. */
  value = 99;
  is_null = TRUE;
  g_assert_true (baton_json_read_int (object, "missing", BATON_JSON_OPTIONAL, &value, &is_null,
                                      NULL));
  g_assert_cmpint (value, ==, 99);
  g_assert_false (is_null);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_int (object, "missing", BATON_JSON_REQUIRED, &value, NULL,
                                         &error));
    assert_field_error (error, "missing");
  }

  /* Null: only with NULLABLE, and it says so through is_null. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_int (object, "z", BATON_JSON_OPTIONAL, &value, &is_null,
                                         &error));
    assert_field_error (error, "z");
  }
  is_null = FALSE;
  value = 99;
  g_assert_true (baton_json_read_int (object, "z", BATON_JSON_NULLABLE, &value, &is_null, NULL));
  g_assert_true (is_null);
  g_assert_cmpint (value, ==, 99);
  is_null = FALSE;
  g_assert_true (baton_json_read_int (object, "z", BATON_JSON_REQUIRED | BATON_JSON_NULLABLE,
                                      &value, &is_null, NULL));
  g_assert_true (is_null);

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (baton_json_read_int (object, wrong[i], BATON_JSON_OPTIONAL, &value, NULL,
                                           &error));
      assert_field_error (error, wrong[i]);
    }
}

static void
test_read_bool (void)
{
  g_autoptr(JsonObject) object = parse_ok ("{\"t\":true,\"f\":false,\"n\":1,\"s\":\"true\","
                                           "\"z\":null}");
  gboolean value = FALSE;
  const char *wrong[] = { "n", "s" };

  g_assert_true (baton_json_read_bool (object, "t", BATON_JSON_REQUIRED, &value, NULL));
  g_assert_true (value);
  g_assert_true (baton_json_read_bool (object, "f", BATON_JSON_REQUIRED, &value, NULL));
  g_assert_false (value);

  value = TRUE;
  g_assert_true (baton_json_read_bool (object, "missing", BATON_JSON_OPTIONAL, &value, NULL));
  g_assert_true (value);
  g_assert_true (baton_json_read_bool (object, "z", BATON_JSON_NULLABLE, &value, NULL));
  g_assert_true (value);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_bool (object, "missing", BATON_JSON_REQUIRED, &value,
                                          &error));
    assert_field_error (error, "missing");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_bool (object, "z", BATON_JSON_REQUIRED, &value, &error));
    assert_field_error (error, "z");
  }
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (baton_json_read_bool (object, wrong[i], BATON_JSON_OPTIONAL, &value,
                                            &error));
      assert_field_error (error, wrong[i]);
    }
}

static void
test_read_strv (void)
{
  g_autoptr(JsonObject) object = parse_ok ("{\"tags\":[\"a\",\"B\",\"a\"],\"empty\":[],"
                                           "\"s\":\"a\",\"o\":{},\"z\":null,"
                                           "\"mixed\":[\"a\",\"b\",3],\"holes\":[\"a\",null],"
                                           "\"nested\":[[\"a\"]]}");
  const char *expected[] = { "a", "B", "a", NULL };

  {
    g_auto(GStrv) value = NULL;

    g_assert_true (baton_json_read_strv (object, "tags", BATON_JSON_REQUIRED, &value, NULL));
    g_assert_true (g_strv_equal ((const char * const *) value, expected));
  }
  {
    g_auto(GStrv) value = NULL;

    g_assert_true (baton_json_read_strv (object, "empty", BATON_JSON_REQUIRED, &value, NULL));
    g_assert_nonnull (value);
    g_assert_cmpuint (g_strv_length (value), ==, 0);
  }
  {
    g_auto(GStrv) value = NULL;

    g_assert_true (baton_json_read_strv (object, "missing", BATON_JSON_OPTIONAL, &value, NULL));
    g_assert_null (value);
    g_assert_true (baton_json_read_strv (object, "z", BATON_JSON_NULLABLE, &value, NULL));
    g_assert_null (value);
  }
  {
    g_auto(GStrv) value = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_strv (object, "missing", BATON_JSON_REQUIRED, &value,
                                          &error));
    assert_field_error (error, "missing");
    g_assert_null (value);
  }
  {
    g_auto(GStrv) value = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_strv (object, "z", BATON_JSON_OPTIONAL, &value, &error));
    assert_field_error (error, "z");
  }
  {
    g_auto(GStrv) value = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_strv (object, "s", BATON_JSON_OPTIONAL, &value, &error));
    assert_field_error (error, "s");
  }
  {
    g_auto(GStrv) value = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_strv (object, "o", BATON_JSON_OPTIONAL, &value, &error));
    assert_field_error (error, "o");
  }
  /* An element of the wrong type is named by its index. */
  {
    g_auto(GStrv) value = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_strv (object, "mixed", BATON_JSON_OPTIONAL, &value,
                                          &error));
    assert_field_error (error, "mixed[2]");
    g_assert_null (value);
  }
  {
    g_auto(GStrv) value = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_strv (object, "holes", BATON_JSON_OPTIONAL, &value,
                                          &error));
    assert_field_error (error, "holes[1]");
  }
  {
    g_auto(GStrv) value = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_strv (object, "nested", BATON_JSON_OPTIONAL, &value,
                                          &error));
    assert_field_error (error, "nested[0]");
  }
}

static void
test_read_object (void)
{
  g_autoptr(JsonObject) object = parse_ok ("{\"o\":{\"k\":\"v\"},\"a\":[],\"s\":\"x\","
                                           "\"z\":null}");
  JsonObject *value = NULL;
  const char *wrong[] = { "a", "s" };

  g_assert_true (baton_json_read_object (object, "o", BATON_JSON_REQUIRED, &value, NULL));
  g_assert_nonnull (value);
  g_assert_cmpstr (json_object_get_string_member (value, "k"), ==, "v");

  value = NULL;
  g_assert_true (baton_json_read_object (object, "missing", BATON_JSON_OPTIONAL, &value, NULL));
  g_assert_null (value);
  g_assert_true (baton_json_read_object (object, "z", BATON_JSON_NULLABLE, &value, NULL));
  g_assert_null (value);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_object (object, "missing", BATON_JSON_REQUIRED, &value,
                                            &error));
    assert_field_error (error, "missing");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (baton_json_read_object (object, "z", BATON_JSON_OPTIONAL, &value, &error));
    assert_field_error (error, "z");
  }
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (baton_json_read_object (object, wrong[i], BATON_JSON_OPTIONAL, &value,
                                              &error));
      assert_field_error (error, wrong[i]);
    }
}

static void
test_has (void)
{
  g_autoptr(JsonObject) object = parse_ok ("{\"a\":1,\"z\":null}");

  g_assert_true (baton_json_has (object, "a"));
  g_assert_true (baton_json_has (object, "z"));
  g_assert_false (baton_json_has (object, "b"));
  g_assert_false (baton_json_has (NULL, "a"));
}

/* Names and tags */

static char *
repeat (const char *unit,
        guint       times)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (text, unit);
  return g_string_free (text, FALSE);
}

static void
assert_name_refused (const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (baton_validate_name ("name", value, &error));
  assert_field_error (error, "name");
}

static void
test_validate_name (void)
{
  g_autofree char *ascii_200 = repeat ("a", 200);
  g_autofree char *ascii_201 = repeat ("a", 201);
  /* 2 bytes a character: 200 characters are 400 bytes and still allowed. */
  g_autofree char *accented_200 = repeat ("é", 200);
  g_autofree char *accented_201 = repeat ("é", 201);
  /* 4 bytes a character. */
  g_autofree char *emoji_200 = repeat ("😀", 200);
  g_autofree char *emoji_201 = repeat ("😀", 201);
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_validate_name ("name", "a", &error));
  g_assert_no_error (error);
  g_assert_true (baton_validate_name ("name", "Support team", NULL));
  g_assert_true (baton_validate_name ("name", "  padded  ", NULL));
  g_assert_true (baton_validate_name ("name", ascii_200, NULL));
  g_assert_true (baton_validate_name ("name", accented_200, NULL));
  g_assert_true (baton_validate_name ("name", emoji_200, NULL));

  assert_name_refused ("");
  assert_name_refused (ascii_201);
  assert_name_refused (accented_201);
  assert_name_refused (emoji_201);
  assert_name_refused (" ");
  assert_name_refused ("   \t\n ");

  /* The field is the one the caller names. */
  {
    g_autoptr(GError) other = NULL;

    g_assert_false (baton_validate_name ("steps[1].name", "", &other));
    assert_field_error (other, "steps[1].name");
  }
}

static void
assert_tag (const char *tag,
            const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = baton_tag_normalize ("tag", tag, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, expected);
}

static void
assert_tag_refused (const char *tag)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = baton_tag_normalize ("tags[0]", tag, &error);

  g_assert_null (normalized);
  assert_field_error (error, "tags[0]");
}

static void
test_tag_normalize (void)
{
  g_autofree char *ascii_64 = repeat ("a", 64);
  g_autofree char *ascii_65 = repeat ("a", 65);
  g_autofree char *upper_64 = repeat ("É", 64);
  g_autofree char *lower_64 = repeat ("é", 64);
  g_autofree char *accented_65 = repeat ("é", 65);

  assert_tag ("vip", "vip");
  assert_tag ("VIP", "vip");
  assert_tag ("Café", "café");
  assert_tag ("ÇA", "ça");
  assert_tag ("ΣΟΦΙΑ", "σοφια");
  assert_tag ("日本", "日本");
  assert_tag ("2026", "2026");
  assert_tag ("a_b.c:d-e", "a_b.c:d-e");
  assert_tag ("_", "_");
  assert_tag ("x", "x");
  assert_tag (ascii_64, ascii_64);
  /* 64 characters of 2 bytes each, lower-cased. */
  assert_tag (upper_64, lower_64);

  assert_tag_refused ("");
  assert_tag_refused ("two words");
  assert_tag_refused (" vip");
  assert_tag_refused ("vip\t");
  assert_tag_refused ("a/b");
  assert_tag_refused ("a\\b");
  assert_tag_refused ("#vip");
  assert_tag_refused ("vip!");
  assert_tag_refused ("a,b");
  assert_tag_refused ("😀");
  assert_tag_refused ("vip😀");
  assert_tag_refused (ascii_65);
  assert_tag_refused (accented_65);
}

static void
test_tags_normalize (void)
{
  const char *input[] = { "VIP", "gold", "vip", "Café", "GOLD", "café", "new", NULL };
  const char *expected[] = { "vip", "gold", "café", "new", NULL };
  const char *bad[] = { "ok", "fine", "not ok", NULL };
  g_auto(GStrv) normalized = NULL;
  g_auto(GStrv) empty = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) refused = NULL;
  g_autoptr(GError) error = NULL;

  normalized = baton_tags_normalize ("tags", input, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) normalized, expected));

  {
    const char *nothing[] = { NULL };

    empty = baton_tags_normalize ("tags", nothing, NULL);
    g_assert_nonnull (empty);
    g_assert_cmpuint (g_strv_length (empty), ==, 0);
  }
  none = baton_tags_normalize ("tags", NULL, NULL);
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  /* The error names the element by its index in the input. */
  refused = baton_tags_normalize ("add_tags", bad, &error);
  g_assert_null (refused);
  assert_field_error (error, "add_tags[2]");
}

/* Errors */

static void
test_error_codes (void)
{
  static const struct {
    BatonErrorCode code;
    const char *name;
    guint status;
  } expected[] = {
    { BATON_ERROR_BAD_REQUEST, "bad_request", 400 },
    { BATON_ERROR_UNAUTHORIZED, "unauthorized", 401 },
    { BATON_ERROR_FORBIDDEN, "forbidden", 403 },
    { BATON_ERROR_NOT_FOUND, "not_found", 404 },
    { BATON_ERROR_CONFLICT, "conflict", 409 },
    { BATON_ERROR_PAYLOAD_TOO_LARGE, "payload_too_large", 413 },
    { BATON_ERROR_UNPROCESSABLE, "unprocessable", 422 },
    { BATON_ERROR_RATE_LIMITED, "rate_limited", 429 },
    { BATON_ERROR_INTERNAL, "internal", 500 },
    { BATON_ERROR_CHANNEL, "channel_error", 502 },
    { BATON_ERROR_UNAVAILABLE, "unavailable", 503 },
    { BATON_ERROR_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (BATON_ERROR, expected[i].code, "x");

      g_assert_cmpstr (baton_error_code_name (expected[i].code), ==, expected[i].name);
      g_assert_cmpuint (baton_error_http_status (expected[i].code), ==, expected[i].status);
      /* Without a name of its own, an error shows its code's name. */
      g_assert_cmpstr (baton_error_get_name (error), ==, expected[i].name);
      g_assert_null (baton_error_get_field (error));
    }

  /* Anything unknown is an internal error. */
  g_assert_cmpstr (baton_error_code_name ((BatonErrorCode) 99), ==, "internal");
  g_assert_cmpuint (baton_error_http_status ((BatonErrorCode) 99), ==, 500);
  g_assert_cmpstr (baton_error_code_name ((BatonErrorCode) -1), ==, "internal");
  g_assert_cmpuint (baton_error_http_status ((BatonErrorCode) -1), ==, 500);
}

static void
test_error_foreign (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");

  g_assert_cmpstr (baton_error_get_name (io), ==, "internal");
  g_assert_null (baton_error_get_field (io));
  g_assert_cmpstr (baton_error_get_name (NULL), ==, "internal");
  g_assert_null (baton_error_get_field (NULL));
}

static void
test_error_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  baton_set_field_error (&error, "steps[2].team_id", "No team %s", "tea_1");
  assert_field_error (error, "steps[2].team_id");
  g_assert_cmpstr (error->message, ==, "No team tea_1");
  /* The field survives g_error_copy (the extended error's copy function). */
  copy = g_error_copy (error);
  assert_field_error (copy, "steps[2].team_id");

  /* A NULL error location is allowed and ignored. */
  baton_set_field_error (NULL, "name", "ignored");
}

static void
test_named_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  baton_set_named_error (&error, BATON_ERROR_CONFLICT, "window_closed",
                         "The window closed %d hours ago", 3);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_assert_cmpstr (baton_error_get_name (error), ==, "window_closed");
  g_assert_cmpstr (error->message, ==, "The window closed 3 hours ago");
  g_assert_null (baton_error_get_field (error));
  g_assert_cmpuint (baton_error_http_status (error->code), ==, 409);
  copy = g_error_copy (error);
  g_assert_cmpstr (baton_error_get_name (copy), ==, "window_closed");

  baton_set_named_error (NULL, BATON_ERROR_CONFLICT, "window_closed", "ignored");
}

/* Objects */

static void
test_agent_to_json (void)
{
  g_autoptr(BatonAgent) agent = baton_agent_new ();
  g_autoptr(JsonObject) object = NULL;

  agent->id = g_strdup ("agt_1");
  agent->name = g_strdup ("Ana Núñez");
  agent->email = g_strdup ("ana@example.com");
  agent->role = BATON_ROLE_MANAGER;
  agent->availability = BATON_AVAILABILITY_AWAY;
  agent->online = FALSE;
  agent->active_count = 3;
  agent->created_at = SOME_TIME_MS;

  object = round_trip (baton_agent_to_json (agent));
  g_assert_cmpuint (json_object_get_size (object), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "agt_1");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Ana Núñez");
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "ana@example.com");
  g_assert_cmpstr (json_object_get_string_member (object, "role"), ==, "manager");
  g_assert_cmpstr (json_object_get_string_member (object, "availability"), ==, "away");
  assert_member_json (object, "online", "false");
  assert_member_json (object, "active_count", "3");
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, SOME_TIME_TEXT);

  {
    g_autoptr(BatonAgent) plain = baton_agent_new ();
    g_autoptr(JsonObject) plain_object = NULL;

    plain->id = g_strdup ("agt_2");
    plain->name = g_strdup ("Bo");
    plain->email = g_strdup ("bo@example.com");
    plain->online = TRUE;
    plain_object = round_trip (baton_agent_to_json (plain));
    g_assert_cmpstr (json_object_get_string_member (plain_object, "role"), ==, "agent");
    g_assert_cmpstr (json_object_get_string_member (plain_object, "availability"), ==,
                     "online");
    assert_member_json (plain_object, "online", "true");
    assert_member_json (plain_object, "active_count", "0");
  }
}

static void
test_team_to_json (void)
{
  g_autoptr(BatonTeam) team = baton_team_new ();
  g_autoptr(JsonObject) object = NULL;
  const char *members[] = { "agt_b", "agt_a", NULL };

  /* A new team routes only to online agents unless told otherwise. */
  g_assert_true (team->only_online);

  team->id = g_strdup ("tea_1");
  team->name = g_strdup ("Sales");
  team->member_ids = g_strdupv ((char **) members);
  team->strategy = BATON_STRATEGY_LEAST_BUSY;
  team->created_at = SOME_TIME_MS;
  team->updated_at = SOME_TIME_MS + 1000;

  object = round_trip (baton_team_to_json (team));
  g_assert_cmpuint (json_object_get_size (object), ==, 11);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "tea_1");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Sales");
  assert_member_json (object, "member_ids", "[\"agt_b\",\"agt_a\"]");
  g_assert_cmpstr (json_object_get_string_member (object, "strategy"), ==, "least_busy");
  assert_null_member (object, "default_user_id");
  assert_null_member (object, "backup_user_id");
  assert_member_json (object, "only_online", "true");
  /* 0 means unlimited / off and travels as null. */
  assert_null_member (object, "max_active_per_agent");
  assert_null_member (object, "reassign_after_minutes");
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, SOME_TIME_TEXT);
  g_assert_cmpstr (json_object_get_string_member (object, "updated_at"), ==,
                   "2026-11-22T09:30:01.123Z");

  {
    g_autoptr(BatonTeam) full = baton_team_new ();
    g_autoptr(JsonObject) full_object = NULL;

    full->id = g_strdup ("tea_2");
    full->name = g_strdup ("Support");
    full->strategy = BATON_STRATEGY_DEFAULT_USER;
    full->default_user_id = g_strdup ("agt_a");
    full->backup_user_id = g_strdup ("agt_b");
    full->only_online = FALSE;
    full->max_active_per_agent = 5;
    full->reassign_after_minutes = 30;
    full_object = round_trip (baton_team_to_json (full));
    /* No members is an empty list, not null. */
    assert_member_json (full_object, "member_ids", "[]");
    g_assert_cmpstr (json_object_get_string_member (full_object, "strategy"), ==,
                     "default_user");
    g_assert_cmpstr (json_object_get_string_member (full_object, "default_user_id"), ==,
                     "agt_a");
    g_assert_cmpstr (json_object_get_string_member (full_object, "backup_user_id"), ==,
                     "agt_b");
    assert_member_json (full_object, "only_online", "false");
    assert_member_json (full_object, "max_active_per_agent", "5");
    assert_member_json (full_object, "reassign_after_minutes", "30");
  }
}

static void
test_contact_to_json (void)
{
  g_autoptr(BatonContact) contact = baton_contact_new ();
  g_autoptr(JsonObject) object = NULL;
  const char *tags[] = { "vip", "café", NULL };
  const char *owners[] = { "agt_2", "agt_1", NULL };

  contact->id = g_strdup ("cnt_1");
  contact->name = g_strdup ("Customer");
  contact->phone = g_strdup ("+15550001");
  contact->tags = g_strdupv ((char **) tags);
  contact->owner_ids = g_strdupv ((char **) owners);
  contact->created_at = SOME_TIME_MS;
  contact->last_inbound_at = SOME_TIME_MS;
  /* Inserted out of order; the object lists them sorted. */
  g_hash_table_insert (contact->fields, g_strdup ("zeta"), g_strdup ("3"));
  g_hash_table_insert (contact->fields, g_strdup ("alpha"), g_strdup ("1"));
  g_hash_table_insert (contact->fields, g_strdup ("Mid"), g_strdup ("2"));
  g_hash_table_insert (contact->fields, g_strdup ("mid"), g_strdup ("\"quoted\""));

  object = both_ways (baton_contact_to_json (contact),
                      baton_json_describe_text ((BatonJsonDescribe) baton_contact_write,
                                                contact));
  g_assert_cmpuint (json_object_get_size (object), ==, 9);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "cnt_1");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Customer");
  g_assert_cmpstr (json_object_get_string_member (object, "phone"), ==, "+15550001");
  assert_null_member (object, "wa_id");
  assert_member_json (object, "tags", "[\"vip\",\"café\"]");
  assert_member_json (object, "fields",
                      "{\"Mid\":\"2\",\"alpha\":\"1\",\"mid\":\"\\\"quoted\\\"\",\"zeta\":\"3\"}");
  assert_member_json (object, "owner_ids", "[\"agt_2\",\"agt_1\"]");
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, SOME_TIME_TEXT);
  g_assert_cmpstr (json_object_get_string_member (object, "last_inbound_at"), ==,
                   SOME_TIME_TEXT);

  {
    g_autoptr(BatonContact) bare = baton_contact_new ();
    g_autoptr(JsonObject) bare_object = NULL;

    bare->id = g_strdup ("cnt_2");
    bare->name = g_strdup ("Bare");
    bare->wa_id = g_strdup ("15550002");
    bare_object = round_trip (baton_contact_to_json (bare));
    g_assert_cmpstr (json_object_get_string_member (bare_object, "phone"), ==, "");
    g_assert_cmpstr (json_object_get_string_member (bare_object, "wa_id"), ==, "15550002");
    assert_member_json (bare_object, "tags", "[]");
    assert_member_json (bare_object, "fields", "{}");
    assert_member_json (bare_object, "owner_ids", "[]");
    assert_null_member (bare_object, "created_at");
    assert_null_member (bare_object, "last_inbound_at");
  }
}

static void
test_conversation_to_json (void)
{
  g_autoptr(BatonConversation) conversation = baton_conversation_new ();
  g_autoptr(JsonObject) object = NULL;
  JsonObject *contact = NULL;

  conversation->id = g_strdup ("cnv_1");
  conversation->channel_id = g_strdup ("chn_1");
  conversation->contact_id = g_strdup ("cnt_1");
  conversation->contact_name = g_strdup ("Customer");
  conversation->status = BATON_STATUS_NEW;
  conversation->version = 1;
  conversation->inbound_count = 3;
  conversation->created_at = SOME_TIME_MS;
  conversation->updated_at = SOME_TIME_MS;
  conversation->activity_at = SOME_TIME_MS;

  object = both_ways (baton_conversation_to_json (conversation),
                      baton_conversation_to_text (conversation));
  g_assert_cmpuint (json_object_get_size (object), ==, 17);
  g_assert_cmpint (json_object_get_int_member (object, "inbound_count"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "cnv_1");
  g_assert_cmpstr (json_object_get_string_member (object, "channel_id"), ==, "chn_1");
  contact = json_object_get_object_member (object, "contact");
  g_assert_nonnull (contact);
  g_assert_cmpuint (json_object_get_size (contact), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (contact, "id"), ==, "cnt_1");
  g_assert_cmpstr (json_object_get_string_member (contact, "name"), ==, "Customer");
  g_assert_cmpstr (json_object_get_string_member (contact, "phone"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "new");
  assert_null_member (object, "team_id");
  assert_member_json (object, "assignee_ids", "[]");
  assert_member_json (object, "tags", "[]");
  assert_member_json (object, "version", "1");
  /* No message yet: null, not an empty object. */
  assert_null_member (object, "last_message");
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, SOME_TIME_TEXT);
  g_assert_cmpstr (json_object_get_string_member (object, "updated_at"), ==, SOME_TIME_TEXT);
  g_assert_cmpstr (json_object_get_string_member (object, "activity_at"), ==, SOME_TIME_TEXT);
  assert_null_member (object, "first_response_at");
  assert_null_member (object, "resolved_at");
  assert_null_member (object, "window_expires_at");
  assert_null_member (object, "referral");
  g_assert_true (baton_conversation_is_active (conversation));
  g_assert_false (baton_conversation_has_assignee (conversation, "agt_1"));
}

static void
test_conversation_last_message (void)
{
  g_autoptr(BatonConversation) conversation = baton_conversation_new ();
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) referral = parse_ok ("{\"source_url\":\"https://example.com/ad\","
                                             "\"headline\":\"Sale\"}");
  const char *assignees[] = { "agt_1", "agt_2", NULL };
  const char *tags[] = { "vip", NULL };
  JsonObject *last = NULL;
  JsonObject *referral_out = NULL;

  conversation->id = g_strdup ("cnv_2");
  conversation->channel_id = g_strdup ("chn_1");
  conversation->contact_id = g_strdup ("cnt_1");
  conversation->contact_name = g_strdup ("Customer");
  conversation->contact_phone = g_strdup ("+15550001");
  conversation->status = BATON_STATUS_RESOLVED;
  conversation->team_id = g_strdup ("tea_1");
  conversation->assignee_ids = g_strdupv ((char **) assignees);
  conversation->tags = g_strdupv ((char **) tags);
  conversation->version = 7;
  conversation->last_preview = g_strdup ("Hello there");
  conversation->last_direction = g_strdup ("inbound");
  conversation->last_at = SOME_TIME_MS;
  conversation->first_response_at = SOME_TIME_MS;
  conversation->resolved_at = SOME_TIME_MS;
  conversation->window_expires_at = SOME_TIME_MS + 24 * 3600 * 1000;
  conversation->referral = json_object_ref (referral);

  object = both_ways (baton_conversation_to_json (conversation),
                      baton_conversation_to_text (conversation));
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "resolved");
  g_assert_cmpstr (json_object_get_string_member (object, "team_id"), ==, "tea_1");
  assert_member_json (object, "assignee_ids", "[\"agt_1\",\"agt_2\"]");
  assert_member_json (object, "tags", "[\"vip\"]");
  assert_member_json (object, "version", "7");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                 "contact"),
                                                  "phone"), ==, "+15550001");
  last = json_object_get_object_member (object, "last_message");
  g_assert_nonnull (last);
  g_assert_cmpuint (json_object_get_size (last), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (last, "preview"), ==, "Hello there");
  g_assert_cmpstr (json_object_get_string_member (last, "direction"), ==, "inbound");
  g_assert_cmpstr (json_object_get_string_member (last, "at"), ==, SOME_TIME_TEXT);
  g_assert_cmpstr (json_object_get_string_member (object, "first_response_at"), ==,
                   SOME_TIME_TEXT);
  g_assert_cmpstr (json_object_get_string_member (object, "resolved_at"), ==, SOME_TIME_TEXT);
  g_assert_cmpstr (json_object_get_string_member (object, "window_expires_at"), ==,
                   "2026-11-23T09:30:00.123Z");
  referral_out = json_object_get_object_member (object, "referral");
  g_assert_nonnull (referral_out);
  g_assert_cmpstr (json_object_get_string_member (referral_out, "headline"), ==, "Sale");
  g_assert_cmpstr (json_object_get_string_member (referral_out, "source_url"), ==,
                   "https://example.com/ad");

  /* Serialising twice gives the same text: to_json does not consume the referral. */
  {
    g_autoptr(JsonNode) first = baton_conversation_to_json (conversation);
    g_autoptr(JsonNode) second = baton_conversation_to_json (conversation);
    g_autofree char *first_text = baton_json_to_string (first);
    g_autofree char *second_text = baton_json_to_string (second);

    g_assert_cmpstr (first_text, ==, second_text);
  }
  g_assert_false (baton_conversation_is_active (conversation));
  g_assert_true (baton_conversation_has_assignee (conversation, "agt_2"));
  g_assert_false (baton_conversation_has_assignee (conversation, "agt_3"));
}

static void
test_message_to_json (void)
{
  g_autoptr(BatonMessage) message = baton_message_new ();
  g_autoptr(JsonObject) object = NULL;
  JsonObject *author = NULL;

  message->id = g_strdup ("msg_1");
  message->conversation_id = g_strdup ("cnv_1");
  message->kind = BATON_MESSAGE_INBOUND;
  message->author_type = g_strdup ("contact");
  message->author_id = g_strdup ("cnt_1");
  message->author_name = g_strdup ("Customer");
  message->body = g_strdup ("Hi");
  message->created_at = SOME_TIME_MS;

  object = both_ways (baton_message_to_json (message), baton_message_to_text (message));
  g_assert_cmpuint (json_object_get_size (object), ==, 13);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "msg_1");
  g_assert_cmpstr (json_object_get_string_member (object, "conversation_id"), ==, "cnv_1");
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "inbound");
  author = json_object_get_object_member (object, "author");
  g_assert_nonnull (author);
  g_assert_cmpuint (json_object_get_size (author), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (author, "type"), ==, "contact");
  g_assert_cmpstr (json_object_get_string_member (author, "id"), ==, "cnt_1");
  g_assert_cmpstr (json_object_get_string_member (author, "name"), ==, "Customer");
  g_assert_cmpstr (json_object_get_string_member (object, "body"), ==, "Hi");
  /* Lists default to [], structured parts to null. */
  assert_member_json (object, "attachments", "[]");
  assert_member_json (object, "reactions", "[]");
  assert_null_member (object, "error");
  assert_null_member (object, "activity");
  assert_null_member (object, "external_id");
  assert_null_member (object, "in_reply_to");
  assert_null_member (object, "status");
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, SOME_TIME_TEXT);
}

static JsonNode *
parse_node (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_ref (json_parser_get_root (parser));
}

static void
test_message_parts (void)
{
  g_autoptr(BatonMessage) message = baton_message_new ();
  g_autoptr(JsonObject) object = NULL;
  JsonObject *author = NULL;

  message->id = g_strdup ("msg_2");
  message->conversation_id = g_strdup ("cnv_1");
  message->kind = BATON_MESSAGE_ACTIVITY;
  message->author_type = g_strdup ("system");
  message->external_id = g_strdup ("wamid.1");
  message->in_reply_to = g_strdup ("msg_1");
  message->status = g_strdup ("failed");
  message->attachments = parse_node ("[{\"type\":\"image\",\"mime_type\":\"image/png\"}]");
  message->reactions = parse_node ("[{\"emoji\":\"👍\",\"by\":\"contact\"}]");
  message->error = parse_node ("{\"code\":\"131047\",\"message\":\"Re-engagement\"}");
  message->activity = parse_node ("{\"action\":\"resolved\"}");

  object = both_ways (baton_message_to_json (message), baton_message_to_text (message));
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "activity");
  author = json_object_get_object_member (object, "author");
  g_assert_cmpstr (json_object_get_string_member (author, "type"), ==, "system");
  assert_null_member (author, "id");
  g_assert_cmpstr (json_object_get_string_member (author, "name"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (object, "body"), ==, "");
  assert_member_json (object, "attachments",
                      "[{\"type\":\"image\",\"mime_type\":\"image/png\"}]");
  assert_member_json (object, "reactions", "[{\"emoji\":\"👍\",\"by\":\"contact\"}]");
  assert_member_json (object, "error", "{\"code\":\"131047\",\"message\":\"Re-engagement\"}");
  assert_member_json (object, "activity", "{\"action\":\"resolved\"}");
  g_assert_cmpstr (json_object_get_string_member (object, "external_id"), ==, "wamid.1");
  g_assert_cmpstr (json_object_get_string_member (object, "in_reply_to"), ==, "msg_1");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "failed");
  assert_null_member (object, "created_at");
}

/* Every kind of value, nested, in objects and arrays, empty ones included. */
static void
write_sample (BatonJsonWriter *writer,
              JsonNode        *embedded)
{
  const char *names[] = { "Zoë", "a\"b", NULL };

  baton_json_writer_begin_object (writer);
  baton_json_writer_member (writer, "text");
  baton_json_writer_string (writer, "line\nbreak\ttab \x01 \\ \"quoted\"");
  baton_json_writer_member (writer, "broken");
  baton_json_writer_string (writer, "caf\xe9");
  baton_json_writer_member (writer, "none");
  baton_json_writer_string (writer, NULL);
  baton_json_writer_member (writer, "count");
  baton_json_writer_int (writer, -9007199254740993);
  baton_json_writer_member (writer, "yes");
  baton_json_writer_bool (writer, TRUE);
  baton_json_writer_member (writer, "no");
  baton_json_writer_bool (writer, FALSE);
  baton_json_writer_member (writer, "nothing");
  baton_json_writer_null (writer);
  baton_json_writer_member (writer, "at");
  baton_json_writer_time (writer, SOME_TIME_MS);
  baton_json_writer_member (writer, "never");
  baton_json_writer_time (writer, 0);
  baton_json_writer_member (writer, "names");
  baton_json_writer_strv (writer, names);
  baton_json_writer_member (writer, "no_names");
  baton_json_writer_strv (writer, NULL);
  baton_json_writer_member (writer, "empty");
  baton_json_writer_begin_object (writer);
  baton_json_writer_end_object (writer);
  baton_json_writer_member (writer, "rows");
  baton_json_writer_begin_array (writer);
  baton_json_writer_begin_array (writer);
  baton_json_writer_int (writer, 1);
  baton_json_writer_begin_object (writer);
  baton_json_writer_member (writer, "deep");
  baton_json_writer_node (writer, embedded);
  baton_json_writer_end_object (writer);
  baton_json_writer_end_array (writer);
  baton_json_writer_begin_array (writer);
  baton_json_writer_end_array (writer);
  baton_json_writer_node (writer, NULL);
  baton_json_writer_node (writer, embedded);
  baton_json_writer_end_array (writer);
  baton_json_writer_end_object (writer);
}

static void
test_writer (void)
{
  g_autoptr(JsonNode) embedded = parse_node ("{\"a\":[1,2.5,{\"b\":null}],\"c\":\"d\"}");
  BatonJsonWriter *tree_writer = baton_json_writer_new_tree ();
  BatonJsonWriter *text_writer = baton_json_writer_new_text ();
  g_autoptr(JsonNode) tree = NULL;
  g_autofree char *tree_text = NULL;
  g_autofree char *text = NULL;
  g_autoptr(BatonJsonWriter) unfinished = baton_json_writer_new_text ();

  write_sample (tree_writer, embedded);
  write_sample (text_writer, embedded);
  tree = baton_json_writer_free_to_node (tree_writer);
  text = baton_json_writer_free_to_text (text_writer);
  tree_text = baton_json_to_string (tree);
  g_assert_cmpstr (text, ==, tree_text);
  g_assert_cmpstr (text, ==,
                   "{\"text\":\"line\\nbreak\\ttab \\u0001 \\\\ \\\"quoted\\\"\","
                   "\"broken\":\"caf\xef\xbf\xbd\",\"none\":null,"
                   "\"count\":-9007199254740993,\"yes\":true,\"no\":false,"
                   "\"nothing\":null,\"at\":\"" SOME_TIME_TEXT "\",\"never\":null,"
                   "\"names\":[\"Zoë\",\"a\\\"b\"],\"no_names\":[],\"empty\":{},"
                   "\"rows\":[[1,{\"deep\":{\"a\":[1,2.5,{\"b\":null}],\"c\":\"d\"}}],[],null,"
                   "{\"a\":[1,2.5,{\"b\":null}],\"c\":\"d\"}]}");
  /* the tree shares the embedded node's object, and writing did not change it */
  g_assert_true (json_node_get_object (embedded)
                 == json_array_get_object_element (json_object_get_array_member (
                                                     json_node_get_object (tree), "rows"), 3));

  /* freed half-written, it leaks nothing */
  baton_json_writer_begin_object (unfinished);
  baton_json_writer_member (unfinished, "a");
}

static void
test_event_to_string (void)
{
  g_autoptr(BatonEvent) event = baton_event_new ("conversation.updated", SOME_TIME_MS, "agt_1",
                                                 parse_node ("{\"id\":\"cnv_1\"}"));
  g_autoptr(BatonEvent) empty = baton_event_new ("ping", SOME_TIME_MS, NULL, NULL);
  g_autofree char *text = NULL;
  g_autofree char *empty_text = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) empty_object = NULL;

  event->seq = 42;
  text = baton_event_to_string (event);
  object = parse_ok (text);
  /* The recipient is routing information, not part of the frame. */
  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  assert_member_json (object, "seq", "42");
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "conversation.updated");
  g_assert_cmpstr (json_object_get_string_member (object, "at"), ==, SOME_TIME_TEXT);
  assert_member_json (object, "data", "{\"id\":\"cnv_1\"}");
  g_assert_cmpstr (event->agent_id, ==, "agt_1");

  empty->seq = 1;
  empty_text = baton_event_to_string (empty);
  empty_object = parse_ok (empty_text);
  assert_member_json (empty_object, "seq", "1");
  assert_null_member (empty_object, "data");
}

/* A server's event carries its data's text, written once: the frame around it is the frame
 * written from the data itself, escapes and all. */
static void
test_event_to_string_from_text (void)
{
  const char *data = "{\"body\":\"tab\\there \\\"quoted\\\" \\\\ \\u0001 caf\u00e9\","
                     "\"n\":-7,\"ok\":true,\"none\":null,\"list\":[1.5,\"a/b\"]}";
  g_autoptr(BatonEvent) from_node = baton_event_new ("message.created", SOME_TIME_MS, NULL,
                                                     parse_node (data));
  g_autoptr(BatonEvent) from_text = baton_event_new ("message.created", SOME_TIME_MS, NULL,
                                                     parse_node (data));
  g_autoptr(BatonEvent) untimed = baton_event_new ("resync_required", 0, NULL, NULL);
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  g_autofree char *untimed_text = NULL;

  from_node->seq = from_text->seq = G_MAXINT64;
  from_text->data_text = baton_json_to_string (from_text->data);
  expected = baton_event_to_string (from_node);
  text = baton_event_to_string (from_text);
  g_assert_cmpstr (text, ==, expected);
  g_assert_true (g_str_has_prefix (text, "{\"seq\":9223372036854775807,"
                                         "\"type\":\"message.created\",\"at\":\""));
  g_assert_true (g_str_has_suffix (text, ",\"data\":{\"body\":\"tab\\there \\\"quoted\\\" "
                                         "\\\\ \\u0001 caf\u00e9\",\"n\":-7,\"ok\":true,"
                                         "\"none\":null,\"list\":[1.5,\"a/b\"]}}"));
  untimed->seq = 3;
  untimed_text = baton_event_to_string (untimed);
  g_assert_cmpstr (untimed_text, ==,
                   "{\"seq\":3,\"type\":\"resync_required\",\"at\":null,\"data\":null}");
}

static void
assert_round_trip (JsonNode *first,
                   JsonNode *second)
{
  g_autofree char *a = baton_json_to_string (first);
  g_autofree char *b = baton_json_to_string (second);

  g_assert_cmpstr (a, ==, b);
}

/* What the server writes, the client reads back to the same object. */
static void
test_from_json_round_trip (void)
{
  const char *agent_json = "{\"id\":\"agt_1\",\"name\":\"Ana Lima\",\"email\":\"ana@x.io\","
                           "\"role\":\"manager\",\"availability\":\"away\",\"online\":true,"
                           "\"active_count\":3,\"created_at\":\"2026-11-22T09:30:00.123Z\"}";
  const char *team_json = "{\"id\":\"tem_1\",\"name\":\"Sales\",\"member_ids\":[\"a\",\"b\"],"
                          "\"strategy\":\"default_user\",\"default_user_id\":\"a\","
                          "\"backup_user_id\":\"b\",\"only_online\":false,"
                          "\"max_active_per_agent\":4,\"reassign_after_minutes\":null,"
                          "\"created_at\":\"2026-11-22T09:30:00.000Z\","
                          "\"updated_at\":\"2026-11-22T10:30:00.000Z\"}";
  const char *contact_json = "{\"id\":\"ctc_1\",\"name\":\"Zoé\",\"phone\":\"+33\","
                             "\"wa_id\":\"33\",\"tags\":[\"vip\"],\"fields\":{\"a\":\"1\","
                             "\"b\":\"2\"},\"owner_ids\":[\"agt_1\"],"
                             "\"created_at\":\"2026-11-22T09:30:00.000Z\","
                             "\"last_inbound_at\":null}";
  const char *conversation_json = "{\"id\":\"cnv_1\",\"channel_id\":\"chn_1\",\"contact\":"
                                  "{\"id\":\"ctc_1\",\"name\":\"Zoé\",\"phone\":\"+33\"},"
                                  "\"status\":\"in_progress\",\"team_id\":\"tem_1\","
                                  "\"assignee_ids\":[\"agt_1\"],\"tags\":[\"x\"],\"version\":7,"
                                  "\"inbound_count\":2,"
                                  "\"last_message\":{\"preview\":\"hi\",\"direction\":"
                                  "\"inbound\",\"at\":\"2026-11-22T09:31:00.000Z\"},"
                                  "\"created_at\":\"2026-11-22T09:30:00.000Z\","
                                  "\"updated_at\":\"2026-11-22T09:31:00.000Z\","
                                  "\"activity_at\":\"2026-11-22T09:32:00.000Z\","
                                  "\"first_response_at\":null,\"resolved_at\":null,"
                                  "\"window_expires_at\":\"2026-11-23T09:31:00.000Z\","
                                  "\"referral\":{\"source_type\":\"ad\"}}";
  const char *message_json = "{\"id\":\"msg_1\",\"conversation_id\":\"cnv_1\",\"kind\":"
                             "\"activity\",\"author\":{\"type\":\"system\",\"id\":null,"
                             "\"name\":\"Baton\"},\"body\":\"Assigned\",\"attachments\":[],"
                             "\"external_id\":null,\"in_reply_to\":null,\"reactions\":[],"
                             "\"status\":null,\"error\":null,\"activity\":{\"action\":"
                             "\"assigned\",\"via\":\"manual\"},"
                             "\"created_at\":\"2026-11-22T09:30:00.000Z\"}";
  g_autoptr(JsonNode) agent_node = json_from_string (agent_json, NULL);
  g_autoptr(JsonNode) team_node = json_from_string (team_json, NULL);
  g_autoptr(JsonNode) contact_node = json_from_string (contact_json, NULL);
  g_autoptr(JsonNode) conversation_node = json_from_string (conversation_json, NULL);
  g_autoptr(JsonNode) message_node = json_from_string (message_json, NULL);
  g_autoptr(BatonAgent) agent = baton_agent_from_json (agent_node);
  g_autoptr(BatonTeam) team = baton_team_from_json (team_node);
  g_autoptr(BatonContact) contact = baton_contact_from_json (contact_node);
  g_autoptr(BatonConversation) conversation = baton_conversation_from_json (conversation_node);
  g_autoptr(BatonMessage) message = baton_message_from_json (message_node);
  g_autoptr(JsonNode) agent_again = baton_agent_to_json (agent);
  g_autoptr(JsonNode) team_again = baton_team_to_json (team);
  g_autoptr(JsonNode) contact_again = baton_contact_to_json (contact);
  g_autoptr(JsonNode) conversation_again = baton_conversation_to_json (conversation);
  g_autoptr(JsonNode) message_again = baton_message_to_json (message);
  g_autoptr(JsonNode) not_object = json_from_string ("[1]", NULL);

  assert_round_trip (agent_node, agent_again);
  assert_round_trip (team_node, team_again);
  assert_round_trip (contact_node, contact_again);
  assert_round_trip (conversation_node, conversation_again);
  assert_round_trip (message_node, message_again);
  g_assert_null (baton_agent_from_json (not_object));
  g_assert_null (baton_conversation_from_json (NULL));
}

/* What json-glib would let through but RFC 8259 does not. */
static void
test_parse_strict (void)
{
  const char *lenient[] = {
    "{'a':1}", "{\"a\":1 /* comment */}", "{\"a\":0x10}", "{\"a\":01}", "{\"a\":.5}",
    "{\"a\":1.}", "{\"a\":\"tab\there\"}", "{\"a\":\"\\x41\"}", "{\"a\":1}{\"b\":2}",
    "{\"a\":[1,]}", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":+1}", "{\"a\":NaN}",
    "{\"a\":\"\\u12\"}", "{\"a\":tru}", "{\"a\":1e}", "{\"a\":[1 2]}"
  };
  const char *strict[] = {
    "{}", " {\"a\" : [1, -0.5e+3, 2E-2, true, false, null, \"\\u00e9\\n\\/\"]} \r\n",
    "{\"nested\":{\"x\":[[],{}]}}", "{\"é\":\"ü\"}",
  };
  g_autoptr(GString) deep = g_string_new ("{\"a\":");

  for (guint i = 0; i < G_N_ELEMENTS (lenient); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = baton_json_parse_object (lenient[i], strlen (lenient[i]),
                                                              &error);

      if (object != NULL)
        g_error ("accepted %s", lenient[i]);
      g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
    }
  for (guint i = 0; i < G_N_ELEMENTS (strict); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = baton_json_parse_object (strict[i], strlen (strict[i]),
                                                              &error);

      g_assert_no_error (error);
      g_assert_nonnull (object);
    }
  /* Nesting is bounded, so a hostile body cannot exhaust the stack. */
  for (int i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 100; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_false (baton_json_is_strict (deep->str, deep->len));
}

static void
test_get_double (void)
{
  g_autoptr(JsonObject) object = baton_json_parse_object (
    "{\"lat\":51.50135,\"n\":-3,\"s\":\"1.5\",\"big\":1e400,\"no\":null}", 55, NULL);
  double value = 0;

  g_assert_nonnull (object);
  g_assert_true (baton_json_get_double (object, "lat", &value));
  g_assert_cmpfloat (value, ==, 51.50135);
  g_assert_true (baton_json_get_double (object, "n", &value));
  g_assert_cmpfloat (value, ==, -3);
  g_assert_false (baton_json_get_double (object, "s", &value));
  g_assert_false (baton_json_get_double (object, "big", &value));
  g_assert_false (baton_json_get_double (object, "no", &value));
  g_assert_false (baton_json_get_double (object, "absent", &value));
  g_assert_false (baton_json_get_double (NULL, "lat", &value));
}

/* The member "a" of a parsed object, as compact JSON text. */
static char *
parse_member_text (const char *text)
{
  g_autoptr(JsonObject) object = parse_ok (text);

  return member_to_string (object, "a");
}

/* A lone surrogate escape or \u0000 is one U+FFFD, in values and in member names; pairs and
 * escaped backslashes stay as they are. */
static void
test_parse_bad_escapes (void)
{
  const struct { const char *json; const char *value; } cases[] = {
    { "{\"a\":\"hi \\ude02 there\"}", "hi \xef\xbf\xbd there" },
    { "{\"a\":\"T\\ud800\"}", "T\xef\xbf\xbd" },
    { "{\"a\":\"\\ud800x\"}", "\xef\xbf\xbdx" },
    { "{\"a\":\"\\udc00\\ud800\"}", "\xef\xbf\xbd\xef\xbf\xbd" },
    { "{\"a\":\"\\ud800\\u0041\"}", "\xef\xbf\xbd" "A" },
    { "{\"a\":\"\\uD83D\\uDE00 \\ud83d\"}", "\xf0\x9f\x98\x80 \xef\xbf\xbd" },
    { "{\"a\":\"cut\\u0000here\"}", "cut\xef\xbf\xbdhere" },
    { "{\"a\":\"\\\\ude02\"}", "\\ude02" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = parse_ok (cases[i].json);

      g_assert_cmpstr (baton_json_get_string (object, "a"), ==, cases[i].value);
    }
  {
    g_autoptr(JsonObject) object = parse_ok ("{\"k\\udbff\":1}");

    g_assert_true (json_object_has_member (object, "k\xef\xbf\xbd"));
  }
}

/* Raw bytes that are not UTF-8 are refused, not replaced. */
static void
test_parse_invalid_utf8 (void)
{
  const char *bodies[] = {
    "{\"a\":\"\xff\"}", "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xed\xa0\x80\"}",
    "{\"a\":\"\xf0\x9f\x98\"}", "{\"\xfe\":1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = baton_json_parse (bodies[i], strlen (bodies[i]), &error);

      g_assert_null (node);
      g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = baton_json_parse ("{\"a\":\"x\0y\"}", 11, &error);

    g_assert_null (node);
    g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
  }
}

/* Integers beyond int64 read as doubles, numbers beyond a double as null. */
static void
test_parse_big_numbers (void)
{
  g_autoptr(JsonObject) object = parse_ok (
    "{\"a\":80000000000000000007,\"max\":9223372036854775807,"
    "\"min\":-9223372036854775808,\"over\":9223372036854775808,"
    "\"under\":-9223372036854775809,\"inf\":1e400,\"minus_inf\":-1e400,\"tiny\":1e-400,"
    "\"huge\":1" "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000}");
  double value = 0;

  g_assert_true (baton_json_get_double (object, "a", &value));
  g_assert_cmpfloat (value, ==, 8e19);
  g_assert_cmpint (baton_json_get_int (object, "max"), ==, G_MAXINT64);
  g_assert_cmpint (baton_json_get_int (object, "min"), ==, G_MININT64);
  g_assert_true (baton_json_get_double (object, "over", &value));
  g_assert_cmpfloat (value, ==, 9223372036854775808.0);
  g_assert_true (baton_json_get_double (object, "under", &value));
  g_assert_cmpfloat (value, ==, -9223372036854775808.0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "inf")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "minus_inf")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "huge")));
  g_assert_true (baton_json_get_double (object, "tiny", &value));
  g_assert_cmpfloat (value, ==, 0);
}

static void
test_parse_many_members (void)
{
  g_autoptr(GString) text = g_string_new ("{");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < 1001; i++)
    g_string_append_printf (text, "%s\"m%u\":%u", i ? "," : "", i, i);
  g_string_append_c (text, '}');
  node = baton_json_parse (text->str, text->len, &error);
  g_assert_null (node);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
}

/* Stored text is read even with the bytes an older batond stored for a lone surrogate. */
static void
test_parse_stored_text (void)
{
  g_autoptr(JsonNode) node = baton_json_parse_text ("{\"a\":\"hi \xed\xb8\x82 there\"}");
  g_autoptr(JsonNode) broken = baton_json_parse_text ("{\"a\":8e+19.0}");

  g_assert_nonnull (node);
  g_assert_cmpstr (baton_json_get_string (json_node_get_object (node), "a"), ==,
                   "hi \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd there");
  g_assert_null (broken);
  g_assert_null (baton_json_parse_text (NULL));
  g_assert_null (baton_json_parse_text (""));
}

static char *
double_text (double value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_double (node, value);
  return baton_json_to_string (node);
}

/* Doubles are written with the fewest digits that read back the same, a ".0" only where it
 * keeps them doubles, and non-finite ones as null. */
static void
test_write_doubles (void)
{
  const struct { double value; const char *text; } cases[] = {
    { 8e19, "8e+19" }, { 1e308, "1e+308" }, { -0.0, "-0.0" }, { 0.0, "0.0" }, { 3, "3.0" },
    { 1.5, "1.5" }, { 0.1, "0.1" }, { 1e21, "1e+21" }, { 1e-7, "1e-07" },
    { DBL_MAX, "1.7976931348623157e+308" }, { 5e-324, "4.94065645841247e-324" },
    { 9007199254740993.0, "9007199254740992.0" }, { NAN, "null" }, { INFINITY, "null" },
    { -INFINITY, "null" },
  };
  const double round_trips[] = {
    1.0 / 3, 2.0 / 3, M_PI, -M_E, 123456789.123456789, 1e15 + 0.3, 0.30000000000000004,
    DBL_MIN, -DBL_MAX, 4.35, 2.5e-300, 1e22, 1e23,
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = double_text (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autofree char *text = double_text (round_trips[i]);
      g_autofree char *wrapped = g_strdup_printf ("{\"a\":%s}", text);
      g_autoptr(JsonObject) object = parse_ok (wrapped);
      JsonNode *node = json_object_get_member (object, "a");

      g_assert_true (baton_json_is_strict (text, strlen (text)));
      g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
      g_assert_true (json_node_get_double (node) == round_trips[i]);
    }
}

static void
test_write_integers (void)
{
  g_autofree char *text = parse_member_text ("{\"a\":[9223372036854775807,"
                                             "-9223372036854775808,0,-0,-1]}");

  g_assert_cmpstr (text, ==, "[9223372036854775807,-9223372036854775808,0,0,-1]");
}

/* Strings come out as valid UTF-8 with every control character escaped. */
static void
test_write_strings (void)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (),
                                                    "q\" b\\ /\b\f\n\r\t\x01\x1f\x7f é "
                                                    "\xe2\x80\xa8 bad \xff\xed\xa0\x80 end");
  g_autofree char *text = baton_json_to_string (node);
  g_autofree char *null_text = baton_json_to_string (NULL);

  g_assert_cmpstr (text, ==, "\"q\\\" b\\\\ /\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f é "
                             "\xe2\x80\xa8 bad \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                             " end\"");
  g_assert_true (baton_json_is_strict (text, strlen (text)));
  g_assert_cmpstr (null_text, ==, "null");
}

/* What is parsed is written back as the same tree, the same text the second time. */
static void
test_write_round_trip (void)
{
  const char *text = "{\"a\":{\"n\":[1,-2.5,8e+19,null,true,false,\"\\u00e9\\ud83d\\ude00\"],"
                     "\"o\":{},\"e\":[],\"k\\u0001\":\"v\\\"\\\\\"}}";
  g_autoptr(JsonObject) object = parse_ok (text);
  g_autofree char *written = baton_json_object_to_string (object);
  g_autoptr(JsonObject) again = parse_ok (written);
  g_autofree char *written_again = baton_json_object_to_string (again);
  g_autoptr(GBytes) bytes = baton_json_object_to_bytes (again);

  g_assert_true (json_object_equal (object, again));
  g_assert_cmpstr (written, ==, written_again);
  g_assert_cmpstr (written, ==, "{\"a\":{\"n\":[1,-2.5,8e+19,null,true,false,\"é😀\"],"
                                "\"o\":{},\"e\":[],\"k\\u0001\":\"v\\\"\\\\\"}}");
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   written, strlen (written));
}

/* The lenient readers answer NULL for a member of another JSON type, without a critical. */
static void
test_get_typed (void)
{
  static const char json[] = "{\"s\":\"text\",\"a\":[1],\"o\":{\"k\":1},\"n\":null,"
                             "\"i\":7,\"d\":1.5,\"b\":true}";
  static const char * const others[] = { "a", "o", "n", "i", "d", "b", "absent" };
  g_autoptr(JsonObject) object = baton_json_parse_object (json, strlen (json), NULL);

  g_assert_nonnull (object);
  g_assert_cmpstr (baton_json_peek_string (object, "s"), ==, "text");
  g_assert_nonnull (baton_json_get_array (object, "a"));
  g_assert_cmpuint (json_array_get_length (baton_json_get_array (object, "a")), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_assert_null (baton_json_peek_string (object, others[i]));
      if (!g_str_equal (others[i], "a"))
        g_assert_null (baton_json_get_array (object, others[i]));
    }
  g_assert_null (baton_json_get_array (object, "s"));
  g_assert_null (baton_json_peek_string (NULL, "s"));
  g_assert_null (baton_json_get_array (NULL, "a"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/parse/strict", test_parse_strict);
  g_test_add_func ("/json/parse/bad-escapes", test_parse_bad_escapes);
  g_test_add_func ("/json/parse/invalid-utf8", test_parse_invalid_utf8);
  g_test_add_func ("/json/parse/big-numbers", test_parse_big_numbers);
  g_test_add_func ("/json/parse/many-members", test_parse_many_members);
  g_test_add_func ("/json/parse/stored-text", test_parse_stored_text);
  g_test_add_func ("/json/write/doubles", test_write_doubles);
  g_test_add_func ("/json/write/integers", test_write_integers);
  g_test_add_func ("/json/write/strings", test_write_strings);
  g_test_add_func ("/json/write/round-trip", test_write_round_trip);
  g_test_add_func ("/json/get/double", test_get_double);
  g_test_add_func ("/json/get/typed", test_get_typed);
  g_test_add_func ("/json/from-json/round-trip", test_from_json_round_trip);

  g_test_add_func ("/json/parse/valid", test_parse_valid);
  g_test_add_func ("/json/parse/invalid", test_parse_invalid);
  g_test_add_func ("/json/read/string", test_read_string);
  g_test_add_func ("/json/read/int", test_read_int);
  g_test_add_func ("/json/read/bool", test_read_bool);
  g_test_add_func ("/json/read/strv", test_read_strv);
  g_test_add_func ("/json/read/object", test_read_object);
  g_test_add_func ("/json/has", test_has);
  g_test_add_func ("/json/validate-name", test_validate_name);
  g_test_add_func ("/json/tag-normalize", test_tag_normalize);
  g_test_add_func ("/json/tags-normalize", test_tags_normalize);
  g_test_add_func ("/json/error/codes", test_error_codes);
  g_test_add_func ("/json/error/foreign", test_error_foreign);
  g_test_add_func ("/json/error/field", test_error_field);
  g_test_add_func ("/json/error/named", test_named_error);
  g_test_add_func ("/json/agent", test_agent_to_json);
  g_test_add_func ("/json/team", test_team_to_json);
  g_test_add_func ("/json/contact", test_contact_to_json);
  g_test_add_func ("/json/conversation/empty", test_conversation_to_json);
  g_test_add_func ("/json/conversation/full", test_conversation_last_message);
  g_test_add_func ("/json/message/defaults", test_message_to_json);
  g_test_add_func ("/json/message/parts", test_message_parts);
  g_test_add_func ("/json/writer", test_writer);
  g_test_add_func ("/json/event", test_event_to_string);
  g_test_add_func ("/json/event/from-text", test_event_to_string_from_text);

  return g_test_run ();
}
