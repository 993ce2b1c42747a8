/* baton-json-writer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Writes one JSON object or array, either as text or as a tree: an object described once through a
 * writer serves a reply that embeds it in a tree and an event that only ever needs its text,
 * which then costs no tree to build and free. The text is what baton_json_to_string ()
 * writes for the tree. */
typedef struct _BatonJsonWriter BatonJsonWriter;

BatonJsonWriter *baton_json_writer_new_text    (void);
BatonJsonWriter *baton_json_writer_new_tree    (void);
void             baton_json_writer_free        (BatonJsonWriter *writer);
/* the value written, and the writer freed */
char            *baton_json_writer_free_to_text (BatonJsonWriter *writer);
JsonNode        *baton_json_writer_free_to_node (BatonJsonWriter *writer);

void baton_json_writer_begin_object (BatonJsonWriter    *writer);
void baton_json_writer_end_object   (BatonJsonWriter    *writer);
void baton_json_writer_begin_array  (BatonJsonWriter    *writer);
void baton_json_writer_end_array    (BatonJsonWriter    *writer);
/* the next value is this member's */
void baton_json_writer_member       (BatonJsonWriter    *writer,
                                     const char         *name);
/* NULL writes null */
void baton_json_writer_string       (BatonJsonWriter    *writer,
                                     const char         *value);
void baton_json_writer_int          (BatonJsonWriter    *writer,
                                     gint64              value);
void baton_json_writer_bool         (BatonJsonWriter    *writer,
                                     gboolean            value);
void baton_json_writer_null         (BatonJsonWriter    *writer);
/* a tree as it is (NULL writes null); the writer does not take it */
void baton_json_writer_node         (BatonJsonWriter    *writer,
                                     JsonNode           *node);
/* a time in ms as PROTOCOL.md writes it; 0 or less writes null */
void baton_json_writer_time         (BatonJsonWriter    *writer,
                                     gint64              ms);
/* an array of strings; NULL writes [] */
void baton_json_writer_strv         (BatonJsonWriter    *writer,
                                     const char * const *values);

/* One object's description (baton_conversation_write, ...) run into a new writer. */
typedef void (*BatonJsonDescribe) (gpointer         object,
                                   BatonJsonWriter *writer);

JsonNode *baton_json_describe_tree (BatonJsonDescribe describe,
                                    gpointer          object);
char     *baton_json_describe_text (BatonJsonDescribe describe,
                                    gpointer          object);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonJsonWriter, baton_json_writer_free)

G_END_DECLS
