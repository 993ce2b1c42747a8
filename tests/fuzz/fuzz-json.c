/* fuzz-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "baton-json.h"

/* Fuzz target for the JSON codec every input path uses: the strict scan and the parser, the
 * strict and lenient readers, and the writer. Built with libFuzzer under -Dfuzzing=true
 * (clang), and run over the corpus and deterministic mutations of it by fuzz-driver.c in
 * every build. It checks what the codec promises: an error exactly when no value; a parsed
 * tree (of a body, or of stored text) holds only valid UTF-8 strings and finite numbers;
 * whatever was parsed is written as valid UTF-8 strict JSON that parses again to an equal
 * tree and is written the same; the writer makes any string and any double valid JSON. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_text (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    abort ();
}

static void
check_tree (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *names = json_object_get_members (object);

        for (GList *l = names; l; l = l->next)
          {
            check_text (l->data);
            check_tree (json_object_get_member (object, l->data));
          }
        g_list_free (names);
      }
      break;
    case JSON_NODE_ARRAY:
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        check_tree (json_array_get_element (json_node_get_array (node), i));
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        check_text (json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE
               && !isfinite (json_node_get_double (node)))
        abort ();
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* Every reader on every member of the first few: no critical, strings valid. */
static void
read_members (JsonObject *object)
{
  GList *names = json_object_get_members (object);
  guint n = 0;

  for (GList *l = names; l && n < 8; l = l->next, n++)
    {
      const char *member = l->data;
      const char *string = NULL;
      JsonObject *child = NULL;
      g_auto(GStrv) strv = NULL;
      g_auto(GStrv) lenient = NULL;
      g_auto(GStrv) tags = NULL;
      g_autoptr(JsonNode) copy = NULL;
      gint64 integer = 0;
      gboolean boolean = FALSE;
      double number = 0;

      if (baton_json_read_string (object, member, BATON_JSON_NULLABLE, &string, NULL)
          && string)
        {
          check_text (string);
          baton_validate_name (member, string, NULL);
          g_free (baton_tag_normalize (member, string, NULL));
        }
      baton_json_read_int (object, member, BATON_JSON_REQUIRED, &integer, NULL, NULL);
      baton_json_read_bool (object, member, BATON_JSON_OPTIONAL, &boolean, NULL);
      if (baton_json_read_strv (object, member, BATON_JSON_REQUIRED, &strv, NULL))
        tags = baton_tags_normalize (member, (const char * const *) strv, NULL);
      baton_json_read_object (object, member, BATON_JSON_NULLABLE, &child, NULL);
      check_text (baton_json_get_string (object, member));
      lenient = baton_json_dup_strv (object, member);
      baton_json_get_int (object, member);
      baton_json_get_bool (object, member);
      baton_json_get_time (object, member);
      if (baton_json_get_double (object, member, &number) && !isfinite (number))
        abort ();
      baton_json_get_object (object, member);
      copy = baton_json_dup_member (object, member);
    }
  g_list_free (names);
}

static void
check_round_trip (JsonNode *root)
{
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = baton_json_to_string (root);
  g_autofree char *text_again = NULL;

  check_text (text);
  if (!baton_json_is_strict (text, strlen (text)))
    abort ();
  again = baton_json_parse (text, strlen (text), NULL);
  if (again == NULL || !json_node_equal (root, again))
    abort ();
  text_again = baton_json_to_string (again);
  if (strcmp (text, text_again) != 0)
    abort ();
}

/* The input as one string value and, when it is long enough, its first bytes as a double:
 * the writer must make both valid JSON that reads back as the valid string / same double. */
static void
write_raw (const uint8_t *data,
           size_t         size)
{
  g_autofree char *string = g_strndup ((const char *) data, size);
  g_autofree char *valid = g_utf8_make_valid (string, -1);
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), string);
  g_autofree char *text = baton_json_to_string (node);
  g_autoptr(JsonNode) parsed = baton_json_parse (text, strlen (text), NULL);

  if (parsed == NULL || g_strcmp0 (json_node_get_string (parsed), valid) != 0)
    abort ();
  if (size >= sizeof (double))
    {
      double value = 0;
      g_autoptr(JsonNode) number = json_node_new (JSON_NODE_VALUE);
      g_autofree char *number_text = NULL;
      g_autoptr(JsonNode) number_parsed = NULL;

      memcpy (&value, data, sizeof value);
      json_node_set_double (number, value);
      number_text = baton_json_to_string (number);
      number_parsed = baton_json_parse (number_text, strlen (number_text), NULL);
      if (number_parsed == NULL)
        abort ();
      if (isfinite (value) ? json_node_get_value_type (number_parsed) != G_TYPE_DOUBLE
                             || json_node_get_double (number_parsed) != value
                             || signbit (json_node_get_double (number_parsed)) != signbit (value)
                           : !JSON_NODE_HOLDS_NULL (number_parsed))
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised = FALSE;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!initialised)
    {
      /* a critical from json-glib means a node was read with the wrong type */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      initialised = TRUE;
    }

  baton_json_is_strict ((const char *) data, size);
  root = baton_json_parse ((const char *) data, size, &error);
  if ((root == NULL) == (error == NULL))
    abort ();
  if (root)
    {
      check_tree (root);
      if (JSON_NODE_HOLDS_OBJECT (root))
        read_members (json_node_get_object (root));
      check_round_trip (root);
    }
  /* the input as stored text: bytes that are not UTF-8 read as U+FFFD */
  {
    g_autofree char *text = g_strndup ((const char *) data, size);
    g_autoptr(JsonNode) stored = baton_json_parse_text (text);

    if (stored)
      check_tree (stored);
  }
  write_raw (data, size);
  return 0;
}
