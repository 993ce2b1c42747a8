/* baton-json-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-json-writer"

#include "config.h"

#include "baton-json.h"
#include "baton-json-writer.h"
#include "baton-time.h"

/* Containers nest at most this deep in a writer (a tree written as a node may go deeper). */
#define MAX_DEPTH 64

struct _BatonJsonWriter {
  /* one of the two */
  GString *text;
  JsonBuilder *builder;
  /* the text's open containers: bit d set when the one at depth d holds a value already */
  guint64 filled;
  guint depth;
  /* a member's name was written: its value needs no comma */
  gboolean named;
};

BatonJsonWriter *
baton_json_writer_new_text (void)
{
  BatonJsonWriter *writer = g_new0 (BatonJsonWriter, 1);

  writer->text = g_string_sized_new (256);
  return writer;
}

BatonJsonWriter *
baton_json_writer_new_tree (void)
{
  BatonJsonWriter *writer = g_new0 (BatonJsonWriter, 1);

  writer->builder = json_builder_new_immutable ();
  return writer;
}

void
baton_json_writer_free (BatonJsonWriter *writer)
{
  if (writer->text)
    g_string_free (writer->text, TRUE);
  g_clear_object (&writer->builder);
  g_free (writer);
}

char *
baton_json_writer_free_to_text (BatonJsonWriter *writer)
{
  char *text = NULL;

  g_return_val_if_fail (writer->text != NULL, NULL);
  g_warn_if_fail (writer->depth == 0);

  text = g_string_free (g_steal_pointer (&writer->text), FALSE);
  baton_json_writer_free (writer);
  return text;
}

JsonNode *
baton_json_writer_free_to_node (BatonJsonWriter *writer)
{
  JsonNode *node = NULL;

  g_return_val_if_fail (writer->builder != NULL, NULL);

  node = json_builder_get_root (writer->builder);
  baton_json_writer_free (writer);
  return node;
}

/* Before a value or a member's name in the text: the comma that parts it from the last. */
static void
separate (BatonJsonWriter *writer)
{
  guint64 bit;

  if (writer->named)
    {
      writer->named = FALSE;
      return;
    }
  if (writer->depth == 0)
    return;
  bit = G_GUINT64_CONSTANT (1) << (writer->depth - 1);
  if (writer->filled & bit)
    g_string_append_c (writer->text, ',');
  writer->filled |= bit;
}

static void
open_container (BatonJsonWriter *writer,
                char             bracket)
{
  g_return_if_fail (writer->depth < MAX_DEPTH);

  separate (writer);
  g_string_append_c (writer->text, bracket);
  writer->depth++;
  writer->filled &= ~(G_GUINT64_CONSTANT (1) << (writer->depth - 1));
}

static void
close_container (BatonJsonWriter *writer,
                 char             bracket)
{
  g_return_if_fail (writer->depth > 0);

  g_string_append_c (writer->text, bracket);
  writer->depth--;
}

void
baton_json_writer_begin_object (BatonJsonWriter *writer)
{
  if (writer->builder)
    json_builder_begin_object (writer->builder);
  else
    open_container (writer, '{');
}

void
baton_json_writer_end_object (BatonJsonWriter *writer)
{
  if (writer->builder)
    json_builder_end_object (writer->builder);
  else
    close_container (writer, '}');
}

void
baton_json_writer_begin_array (BatonJsonWriter *writer)
{
  if (writer->builder)
    json_builder_begin_array (writer->builder);
  else
    open_container (writer, '[');
}

void
baton_json_writer_end_array (BatonJsonWriter *writer)
{
  if (writer->builder)
    json_builder_end_array (writer->builder);
  else
    close_container (writer, ']');
}

void
baton_json_writer_member (BatonJsonWriter *writer,
                          const char      *name)
{
  if (writer->builder)
    {
      json_builder_set_member_name (writer->builder, name);
      return;
    }
  separate (writer);
  baton_json_append_string (writer->text, name);
  g_string_append_c (writer->text, ':');
  writer->named = TRUE;
}

void
baton_json_writer_string (BatonJsonWriter *writer,
                          const char      *value)
{
  if (value == NULL)
    {
      baton_json_writer_null (writer);
    }
  else if (writer->builder)
    {
      json_builder_add_string_value (writer->builder, value);
    }
  else
    {
      separate (writer);
      baton_json_append_string (writer->text, value);
    }
}

void
baton_json_writer_int (BatonJsonWriter *writer,
                       gint64           value)
{
  if (writer->builder)
    {
      json_builder_add_int_value (writer->builder, value);
      return;
    }
  separate (writer);
  g_string_append_printf (writer->text, "%" G_GINT64_FORMAT, value);
}

void
baton_json_writer_bool (BatonJsonWriter *writer,
                        gboolean         value)
{
  if (writer->builder)
    {
      json_builder_add_boolean_value (writer->builder, value);
      return;
    }
  separate (writer);
  g_string_append (writer->text, value ? "true" : "false");
}

void
baton_json_writer_null (BatonJsonWriter *writer)
{
  if (writer->builder)
    {
      json_builder_add_null_value (writer->builder);
      return;
    }
  separate (writer);
  g_string_append (writer->text, "null");
}

void
baton_json_writer_node (BatonJsonWriter *writer,
                        JsonNode        *node)
{
  if (node == NULL)
    {
      baton_json_writer_null (writer);
    }
  else if (writer->builder)
    {
      /* shares the node's objects and arrays, as the builder's own copies would */
      json_builder_add_value (writer->builder, json_node_copy (node));
    }
  else
    {
      separate (writer);
      baton_json_append_node (writer->text, node);
    }
}

void
baton_json_writer_time (BatonJsonWriter *writer,
                        gint64           ms)
{
  g_autofree char *text = ms > 0 ? baton_time_format (ms) : NULL;

  baton_json_writer_string (writer, text);
}

void
baton_json_writer_strv (BatonJsonWriter    *writer,
                        const char * const *values)
{
  baton_json_writer_begin_array (writer);
  for (guint i = 0; values && values[i]; i++)
    baton_json_writer_string (writer, values[i]);
  baton_json_writer_end_array (writer);
}

JsonNode *
baton_json_describe_tree (BatonJsonDescribe describe,
                          gpointer          object)
{
  BatonJsonWriter *writer = baton_json_writer_new_tree ();

  describe (object, writer);
  return baton_json_writer_free_to_node (writer);
}

char *
baton_json_describe_text (BatonJsonDescribe describe,
                          gpointer          object)
{
  BatonJsonWriter *writer = baton_json_writer_new_text ();

  describe (object, writer);
  return baton_json_writer_free_to_text (writer);
}
