/* baton-json.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  BATON_JSON_OPTIONAL = 0,
  BATON_JSON_REQUIRED = 1 << 0,
  BATON_JSON_NULLABLE = 1 << 1,
} BatonJsonFlags;

gboolean    baton_json_is_strict     (const char      *data,
                                      gsize            length);
JsonNode   *baton_json_parse         (const char      *data,
                                      gsize            length,
                                      GError         **error);
JsonNode   *baton_json_parse_text    (const char      *text);

/* What baton_json_parse would make of data, for a caller that only checks its shape: the
 * kind of the value ('{', '[', '"', 't', 'f', 'n', or a number's first byte) and, for an
 * object, of its last member named member (0 when absent). exact is FALSE when a member's
 * name holds an escape: then only the parsed tree tells. */
typedef struct {
  char kind;
  char member_kind;
  gboolean exact;
} BatonJsonOutline;

/* FALSE, with baton_json_parse's error, when it would not read data. */
gboolean    baton_json_outline       (const char       *data,
                                      gsize             length,
                                      const char       *member,
                                      BatonJsonOutline *outline,
                                      GError          **error);
JsonObject *baton_json_parse_object  (const char      *data,
                                      gsize            length,
                                      GError         **error);
char       *baton_json_to_string     (JsonNode        *node);
/* node as baton_json_to_string () writes it, at the end of out */
void        baton_json_append_node   (GString         *out,
                                      JsonNode        *node);
/* value as a JSON string, quoted and escaped as baton_json_to_string () writes it */
void        baton_json_append_string (GString         *out,
                                      const char      *value);
GBytes     *baton_json_to_bytes      (JsonNode        *node);
GBytes     *baton_json_object_to_bytes (JsonObject    *object);
char       *baton_json_object_to_string (JsonObject   *object);
gboolean    baton_json_has           (JsonObject      *object,
                                      const char      *member);
gboolean    baton_json_read_string   (JsonObject      *object,
                                      const char      *member,
                                      BatonJsonFlags   flags,
                                      const char     **value,
                                      GError         **error);
gboolean    baton_json_read_int      (JsonObject      *object,
                                      const char      *member,
                                      BatonJsonFlags   flags,
                                      gint64          *value,
                                      gboolean        *is_null,
                                      GError         **error);
gboolean    baton_json_read_bool     (JsonObject      *object,
                                      const char      *member,
                                      BatonJsonFlags   flags,
                                      gboolean        *value,
                                      GError         **error);
gboolean    baton_json_read_strv     (JsonObject      *object,
                                      const char      *member,
                                      BatonJsonFlags   flags,
                                      GStrv           *value,
                                      GError         **error);
gboolean    baton_json_read_object   (JsonObject      *object,
                                      const char      *member,
                                      BatonJsonFlags   flags,
                                      JsonObject     **value,
                                      GError         **error);
gboolean    baton_validate_name      (const char      *field,
                                      const char      *value,
                                      GError         **error);
char       *baton_tag_normalize      (const char      *field,
                                      const char      *tag,
                                      GError         **error);
GStrv       baton_tags_normalize     (const char      *field,
                                      const char * const *tags,
                                      GError         **error);
/* Lenient readers for objects the server sent: a missing or mistyped member reads as
 * NULL / 0 / FALSE / an empty vector. */
const char *baton_json_get_string    (JsonObject      *object,
                                      const char      *member);
char       *baton_json_dup_string    (JsonObject      *object,
                                      const char      *member);
gint64      baton_json_get_int       (JsonObject      *object,
                                      const char      *member);
gboolean    baton_json_get_bool      (JsonObject      *object,
                                      const char      *member);
gint64      baton_json_get_time      (JsonObject      *object,
                                      const char      *member);
GStrv       baton_json_dup_strv      (JsonObject      *object,
                                      const char      *member);
/* a finite JSON number (integer or not) into *value; FALSE otherwise */
gboolean    baton_json_get_double    (JsonObject      *object,
                                      const char      *member,
                                      double          *value);
JsonObject *baton_json_get_object    (JsonObject      *object,
                                      const char      *member);
/* the string member, or NULL when it is absent or not a string */
const char *baton_json_peek_string   (JsonObject      *object,
                                      const char      *member);
JsonArray  *baton_json_get_array     (JsonObject      *object,
                                      const char      *member);
JsonNode   *baton_json_dup_member    (JsonObject      *object,
                                      const char      *member);
void        baton_json_add_strv      (JsonBuilder     *builder,
                                      const char      *member,
                                      const char * const *values);
void        baton_json_add_nullable_string (JsonBuilder *builder,
                                            const char  *member,
                                            const char  *value);
void        baton_json_add_positive_int (JsonBuilder  *builder,
                                         const char   *member,
                                         gint64        value);
void        baton_json_add_time      (JsonBuilder     *builder,
                                      const char      *member,
                                      gint64           ms);

G_END_DECLS
