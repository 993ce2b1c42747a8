/* baton-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-json"

#include "config.h"

#include <math.h>

#include "baton-error.h"
#include "baton-json.h"
#include "baton-time.h"

/* Strict readers for request bodies: malformed input is bad_request (400), a well-formed body
 * with a value of the wrong type or out of range is unprocessable (422) naming the field. */

/* json-glib accepts more than JSON (comments, single quotes, hex numbers, several values in a
 * row); PROTOCOL.md wants exactly RFC 8259, so a strict scan comes first. */
#define MAX_DEPTH 64

typedef struct {
  const char *p;
  const char *end;
  guint depth;
} Scanner;

static gboolean scan_value (Scanner *scanner);

static void
skip_space (Scanner *scanner)
{
  while (scanner->p < scanner->end
         && (*scanner->p == ' ' || *scanner->p == '\t' || *scanner->p == '\n'
             || *scanner->p == '\r'))
    scanner->p++;
}

static gboolean
scan_literal (Scanner    *scanner,
              const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (scanner->end - scanner->p) < length || memcmp (scanner->p, word, length) != 0)
    return FALSE;
  scanner->p += length;
  return TRUE;
}

static gboolean
scan_digits (Scanner *scanner)
{
  const char *start = scanner->p;

  while (scanner->p < scanner->end && g_ascii_isdigit (*scanner->p))
    scanner->p++;
  return scanner->p > start;
}

static gboolean
scan_number (Scanner *scanner)
{
  if (scanner->p < scanner->end && *scanner->p == '-')
    scanner->p++;
  if (scanner->p < scanner->end && *scanner->p == '0')
    scanner->p++;
  else if (scanner->p >= scanner->end || *scanner->p < '1' || *scanner->p > '9'
           || !scan_digits (scanner))
    return FALSE;
  if (scanner->p < scanner->end && *scanner->p == '.')
    {
      scanner->p++;
      if (!scan_digits (scanner))
        return FALSE;
    }
  if (scanner->p < scanner->end && (*scanner->p == 'e' || *scanner->p == 'E'))
    {
      scanner->p++;
      if (scanner->p < scanner->end && (*scanner->p == '+' || *scanner->p == '-'))
        scanner->p++;
      if (!scan_digits (scanner))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_string (Scanner *scanner)
{
  scanner->p++;
  while (scanner->p < scanner->end)
    {
      guchar c = (guchar) *scanner->p++;

      if (c == '"')
        return TRUE;
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        continue;
      if (scanner->p >= scanner->end)
        return FALSE;
      c = (guchar) *scanner->p++;
      if (c == 'u')
        {
          for (int i = 0; i < 4; i++)
            if (scanner->p + i >= scanner->end || !g_ascii_isxdigit (scanner->p[i]))
              return FALSE;
          /* A NUL would silently cut the string short once parsed. */
          if (memcmp (scanner->p, "0000", 4) == 0)
            return FALSE;
          scanner->p += 4;
        }
      else if (c == 0 || !strchr ("\"\\/bfnrt", c))
        {
          return FALSE;
        }
    }
  return FALSE;
}

static gboolean
scan_container (Scanner *scanner,
                char     close,
                gboolean keyed)
{
  if (++scanner->depth > MAX_DEPTH)
    return FALSE;
  scanner->p++;
  skip_space (scanner);
  if (scanner->p < scanner->end && *scanner->p == close)
    {
      scanner->p++;
      scanner->depth--;
      return TRUE;
    }
  for (;;)
    {
      if (keyed)
        {
          skip_space (scanner);
          if (scanner->p >= scanner->end || *scanner->p != '"' || !scan_string (scanner))
            return FALSE;
          skip_space (scanner);
          if (scanner->p >= scanner->end || *scanner->p++ != ':')
            return FALSE;
        }
      if (!scan_value (scanner))
        return FALSE;
      if (scanner->p >= scanner->end)
        return FALSE;
      if (*scanner->p == ',')
        {
          scanner->p++;
          continue;
        }
      if (*scanner->p++ != close)
        return FALSE;
      scanner->depth--;
      return TRUE;
    }
}

static gboolean
scan_value (Scanner *scanner)
{
  gboolean ok = FALSE;

  skip_space (scanner);
  if (scanner->p >= scanner->end)
    return FALSE;
  switch (*scanner->p)
    {
    case '{':
      ok = scan_container (scanner, '}', TRUE);
      break;
    case '[':
      ok = scan_container (scanner, ']', FALSE);
      break;
    case '"':
      ok = scan_string (scanner);
      break;
    case 't':
      ok = scan_literal (scanner, "true");
      break;
    case 'f':
      ok = scan_literal (scanner, "false");
      break;
    case 'n':
      ok = scan_literal (scanner, "null");
      break;
    default:
      ok = scan_number (scanner);
      break;
    }
  skip_space (scanner);
  return ok;
}

/* Whether data is exactly one JSON value (RFC 8259), nested at most 64 deep. */
gboolean
baton_json_is_strict (const char *data,
                      gsize       length)
{
  Scanner scanner = { data, data + length, 0 };

  return scan_value (&scanner) && scanner.p == scanner.end;
}

/* Reading: the text is first made safe for json-glib, which cuts a string at a \u0000, turns
 * a lone surrogate escape into invalid UTF-8 (or fails on it), wraps integers beyond int64
 * silently and reads 1e400 as infinity. So \u0000 and lone surrogate escapes become \ufffd,
 * integers beyond int64 become doubles and numbers beyond the range of a double become null,
 * before the strict scan and json-glib see the text. */

/* json-glib replaces a duplicate key after a linear search of the object's keys, so an
 * object of n members costs n² to parse. */
#define MAX_MEMBERS 1000

static gboolean
is_hex4 (const char *p,
         const char *end)
{
  if (end - p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isxdigit (p[i]))
      return FALSE;
  return TRUE;
}

static guint
hex4_value (const char *p)
{
  guint value = 0;

  for (guint i = 0; i < 4; i++)
    value = value << 4 | (guint) g_ascii_xdigit_value (p[i]);
  return value;
}

/* Rewrites, in place, every \u0000 escape and every surrogate escape that is not half of a
 * pair into \ufffd (the same length). Backslashes pair up from the left; outside strings a
 * backslash makes the text invalid anyway. */
static void
replace_bad_escapes (char  *text,
                     gsize  length)
{
  char *p = text;
  char *end = text + length;

  while (p < end)
    {
      guint unit;

      if (*p != '\\')
        {
          p++;
          continue;
        }
      if (end - p < 2 || p[1] != 'u' || !is_hex4 (p + 2, end))
        {
          p += 2;
          continue;
        }
      unit = hex4_value (p + 2);
      if (unit >= 0xd800 && unit <= 0xdbff && end - p >= 12 && p[6] == '\\' && p[7] == 'u'
          && is_hex4 (p + 8, end) && hex4_value (p + 8) >= 0xdc00
          && hex4_value (p + 8) <= 0xdfff)
        {
          p += 12;
          continue;
        }
      if (unit == 0 || (unit >= 0xd800 && unit <= 0xdfff))
        memcpy (p + 2, "fffd", 4);
      p += 6;
    }
}

/* Whether the integer literal digits[0..n) (after an optional minus) exceeds int64. */
static gboolean
integer_overflows (const char *digits,
                   gsize       n,
                   gboolean    negative)
{
  if (n != 19)
    return n > 19;
  return memcmp (digits, negative ? "9223372036854775808" : "9223372036854775807", 19) > 0;
}

/* The replacement for the number literal p[0..length) in a NUL-terminated text, or NULL
 * when json-glib reads it right as it is. */
static const char *
number_replacement (const char *p,
                    gsize       length)
{
  gboolean negative = (*p == '-');
  const char *digits = negative ? p + 1 : p;
  gboolean integer = TRUE;

  for (gsize i = 0; i < length; i++)
    if (p[i] == '.' || p[i] == 'e' || p[i] == 'E')
      integer = FALSE;

  if (integer && !integer_overflows (digits, length - (negative ? 1 : 0), negative))
    return NULL;
  if (!isfinite (g_ascii_strtod (p, NULL)))
    return "null";
  return integer ? ".0" : NULL;
}

/* Runs over a NUL-terminated text already known to be strict JSON: fails when an object has
 * more than MAX_MEMBERS members, and sets *rewritten to a copy where the numbers json-glib
 * would misread are replaced (see number_replacement), when there is one. */
static gboolean
check_members_rewrite_numbers (const char  *text,
                               gsize        length,
                               GString    **rewritten)
{
  guint members[MAX_DEPTH + 1] = { 0 };
  gboolean is_object[MAX_DEPTH + 1] = { FALSE };
  guint depth = 0;
  const char *p = text;
  const char *end = text + length;
  const char *copied = text;
  g_autoptr(GString) copy = NULL;

  while (p < end)
    {
      char c = *p;

      if (c == '"')
        {
          for (p++; p < end && *p != '"'; p++)
            if (*p == '\\')
              p++;
          p++;
        }
      else if (c == '{' || c == '[')
        {
          depth = MIN (depth + 1, MAX_DEPTH);
          members[depth] = 0;
          is_object[depth] = (c == '{');
          p++;
        }
      else if (c == '}' || c == ']')
        {
          depth = depth > 0 ? depth - 1 : 0;
          p++;
        }
      else if (c == ':')
        {
          if (is_object[depth] && ++members[depth] > MAX_MEMBERS)
            return FALSE;
          p++;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          const char *q = p + strspn (p, "0123456789.eE+-");
          const char *replacement = number_replacement (p, (gsize) (q - p));

          if (replacement)
            {
              if (copy == NULL)
                copy = g_string_sized_new (length + 16);
              g_string_append_len (copy, copied, (*replacement == '.' ? q : p) - copied);
              g_string_append (copy, replacement);
              copied = q;
            }
          p = q;
        }
      else
        {
          p++;
        }
    }
  if (copy)
    g_string_append_len (copy, copied, end - copied);
  *rewritten = g_steal_pointer (&copy);
  return TRUE;
}

/* The text made safe for json-glib (see above), or NULL with BATON_ERROR_BAD_REQUEST. */
static char *
prepare_text (const char  *data,
              gsize        length,
              gsize       *prepared_length,
              GError     **error)
{
  g_autofree char *text = NULL;
  GString *rewritten = NULL;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                           "The body is empty; a JSON value is expected");
      return NULL;
    }
  /* Also refuses a NUL byte. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                           "The body is not valid UTF-8");
      return NULL;
    }
  text = g_strndup (data, length);
  replace_bad_escapes (text, length);
  if (!baton_json_is_strict (text, length))
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                           "Malformed JSON: the body is not one JSON value as RFC 8259 defines");
      return NULL;
    }
  if (!check_members_rewrite_numbers (text, length, &rewritten))
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                   "The body has an object with more than %d members", MAX_MEMBERS);
      return NULL;
    }
  if (rewritten == NULL)
    {
      *prepared_length = length;
      return g_steal_pointer (&text);
    }
  *prepared_length = rewritten->len;
  return g_string_free (rewritten, FALSE);
}

/* The kind of the value of the last member named name in the object the scanner is at
 * (0 when it has none); FALSE when a member's name holds an escape, which only a parse
 * reads as json-glib does. The text is strict JSON. */
static gboolean
scan_member_kind (Scanner    *scanner,
                  const char *name,
                  char       *kind)
{
  gsize name_length = strlen (name);

  scanner->p++;
  for (;;)
    {
      const char *key = NULL;
      gsize key_length = 0;

      skip_space (scanner);
      if (*scanner->p == '}')
        return TRUE;
      key = scanner->p + 1;
      scan_string (scanner);
      key_length = (gsize) (scanner->p - 1 - key);
      if (memchr (key, '\\', key_length))
        return FALSE;
      skip_space (scanner);
      scanner->p++;
      skip_space (scanner);
      if (key_length == name_length && memcmp (key, name, name_length) == 0)
        *kind = *scanner->p;
      scan_value (scanner);
      if (*scanner->p == '}')
        return TRUE;
      scanner->p++;
    }
}

gboolean
baton_json_outline (const char        *data,
                    gsize              length,
                    const char        *member,
                    BatonJsonOutline  *outline,
                    GError           **error)
{
  gsize text_length = 0;
  g_autofree char *text = prepare_text (data, length, &text_length, error);
  Scanner scanner = { NULL, NULL, 0 };

  if (text == NULL)
    return FALSE;
  scanner.p = text;
  scanner.end = text + text_length;
  skip_space (&scanner);
  outline->kind = *scanner.p;
  outline->member_kind = 0;
  outline->exact = outline->kind != '{' || scan_member_kind (&scanner, member, &outline->member_kind);
  return TRUE;
}

/* The one JSON value of data[0..length) (RFC 8259, UTF-8), or NULL with
 * BATON_ERROR_BAD_REQUEST. Every string in it is valid UTF-8 without NUL, every number an
 * int64 or a finite double. */
JsonNode *
baton_json_parse (const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize text_length = 0;

  text = prepare_text (data, length, &text_length, error);
  if (text == NULL)
    return NULL;
  /* Not immutable: callers may change what they were given. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, (gssize) text_length, &local_error)
      || json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST, "Malformed JSON: %s",
                   local_error ? local_error->message : "no value");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* baton_json_parse for a NUL-terminated text the server stored; NULL when text is NULL or
 * not JSON. Bytes that are not UTF-8 (stored by an older batond from a lone surrogate
 * escape) read as U+FFFD rather than losing the whole value. */
JsonNode *
baton_json_parse_text (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return NULL;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  return baton_json_parse (text, strlen (text), NULL);
}

/* A JSON object (see baton_json_parse), or NULL with BATON_ERROR_BAD_REQUEST. */
JsonObject *
baton_json_parse_object (const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = baton_json_parse (data, length, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                           "The body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Writing: json-glib's generator writes 8e+19 as 8e+19.0 and infinity as inf.0, and copies
 * control characters and invalid UTF-8 into strings; this writer always writes JSON. */

static void write_node (GString  *out,
                        JsonNode *node);

/* TRUE for the bytes a JSON string cannot hold as they are */
static inline gboolean
needs_escape (guchar c)
{
  return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

void
baton_json_append_string (GString    *out,
                          const char *value)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);
  g_string_append_c (out, '"');
  for (const char *p = value; *p;)
    {
      const char *run = p;
      guchar c;
      const char *escape = NULL;

      /* the bytes that go as they are, in one append */
      while (*p && !needs_escape ((guchar) *p))
        p++;
      g_string_append_len (out, run, p - run);
      if (*p == '\0')
        break;
      c = (guchar) *p++;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default: break;
        }
      if (escape)
        g_string_append (out, escape);
      else
        g_string_append_printf (out, "\\u%04x", c);
    }
  g_string_append_c (out, '"');
}

/* The shortest of %.15g, %.16g and %.17g that reads back as the same double (%.17g always
 * does), with a ".0" when it would read as an integer; null when not finite. */
static void
write_double (GString *out,
              double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
  if (strpbrk (buffer, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
write_value (GString  *out,
             JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      write_double (out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      if (json_node_get_string (node))
        baton_json_append_string (out, json_node_get_string (node));
      else
        g_string_append (out, "null");
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

typedef struct {
  GString *out;
  gboolean first;
} ObjectWriter;

static void
write_member (JsonObject  *object,
              const char  *name,
              JsonNode    *node,
              gpointer     user_data)
{
  ObjectWriter *writer = user_data;

  if (!writer->first)
    g_string_append_c (writer->out, ',');
  writer->first = FALSE;
  baton_json_append_string (writer->out, name);
  g_string_append_c (writer->out, ':');
  write_node (writer->out, node);
}

/* the members in the order they were set, without copying their list */
static void
write_object (GString    *out,
              JsonObject *object)
{
  ObjectWriter writer = { out, TRUE };

  g_string_append_c (out, '{');
  json_object_foreach_member (object, write_member, &writer);
  g_string_append_c (out, '}');
}

static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (node ? JSON_NODE_TYPE (node) : JSON_NODE_NULL)
    {
    case JSON_NODE_OBJECT:
      write_object (out, json_node_get_object (node));
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      write_value (out, node);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* node as compact JSON text: valid UTF-8 (invalid sequences become U+FFFD), control
 * characters escaped, integers as integers, doubles that read back the same, non-finite
 * numbers as null. A NULL node is null. */
char *
baton_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  write_node (out, node);
  return g_string_free (out, FALSE);
}

void
baton_json_append_node (GString  *out,
                        JsonNode *node)
{
  write_node (out, node);
}

GBytes *
baton_json_to_bytes (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  write_node (out, node);
  return g_string_free_to_bytes (out);
}

GBytes *
baton_json_object_to_bytes (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return baton_json_to_bytes (node);
}

char *
baton_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return baton_json_to_string (node);
}

gboolean
baton_json_has (JsonObject *object,
                const char *member)
{
  return object != NULL && json_object_has_member (object, member);
}

/* Returns the member's node, or NULL when it is absent or null and that is allowed. */
static gboolean
lookup (JsonObject      *object,
        const char      *member,
        BatonJsonFlags   flags,
        JsonNode       **node,
        GError         **error)
{
  *node = object ? json_object_get_member (object, member) : NULL;

  if (*node == NULL)
    {
      if (flags & BATON_JSON_REQUIRED)
        {
          baton_set_field_error (error, member, "%s is required", member);
          return FALSE;
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_NULL (*node))
    {
      *node = NULL;
      if (!(flags & BATON_JSON_NULLABLE))
        {
          baton_set_field_error (error, member, "%s must not be null", member);
          return FALSE;
        }
    }
  return TRUE;
}

/* lookup () of a member that must hold a value of type (what must_be says) */
static gboolean
lookup_value (JsonObject      *object,
              const char      *member,
              BatonJsonFlags   flags,
              GType            type,
              const char      *must_be,
              JsonNode       **node,
              GError         **error)
{
  if (!lookup (object, member, flags, node, error))
    return FALSE;
  if (*node != NULL
      && (!JSON_NODE_HOLDS_VALUE (*node) || json_node_get_value_type (*node) != type))
    {
      baton_set_field_error (error, member, "%s must be %s", member, must_be);
      return FALSE;
    }
  return TRUE;
}

gboolean
baton_json_read_string (JsonObject      *object,
                        const char      *member,
                        BatonJsonFlags   flags,
                        const char     **value,
                        GError         **error)
{
  JsonNode *node = NULL;

  if (!lookup_value (object, member, flags, G_TYPE_STRING, "a string", &node, error))
    return FALSE;
  if (node)
    *value = json_node_get_string (node);
  return TRUE;
}

gboolean
baton_json_read_int (JsonObject      *object,
                     const char      *member,
                     BatonJsonFlags   flags,
                     gint64          *value,
                     gboolean        *is_null,
                     GError         **error)
{
  JsonNode *node = NULL;

  if (!lookup_value (object, member, flags, G_TYPE_INT64, "an integer", &node, error))
    return FALSE;
  if (is_null)
    *is_null = (node == NULL && json_object_has_member (object, member));
  if (node)
    *value = json_node_get_int (node);
  return TRUE;
}

gboolean
baton_json_read_bool (JsonObject      *object,
                      const char      *member,
                      BatonJsonFlags   flags,
                      gboolean        *value,
                      GError         **error)
{
  JsonNode *node = NULL;

  if (!lookup_value (object, member, flags, G_TYPE_BOOLEAN, "true or false", &node, error))
    return FALSE;
  if (node)
    *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
baton_json_read_strv (JsonObject      *object,
                      const char      *member,
                      BatonJsonFlags   flags,
                      GStrv           *value,
                      GError         **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node = NULL;
  JsonArray *array = NULL;
  guint i;

  if (!lookup (object, member, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      baton_set_field_error (error, member, "%s must be an array of strings", member);
      return FALSE;
    }
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *field = g_strdup_printf ("%s[%u]", member, i);

          baton_set_field_error (error, field, "%s must be a string", field);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  *value = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
baton_json_read_object (JsonObject      *object,
                        const char      *member,
                        BatonJsonFlags   flags,
                        JsonObject     **value,
                        GError         **error)
{
  JsonNode *node = NULL;

  if (!lookup (object, member, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      baton_set_field_error (error, member, "%s must be an object", member);
      return FALSE;
    }
  *value = json_node_get_object (node);
  return TRUE;
}

gboolean
baton_validate_name (const char  *field,
                     const char  *value,
                     GError     **error)
{
  glong length = g_utf8_strlen (value, -1);
  g_autofree char *stripped = g_strstrip (g_strdup (value));

  if (length < 1 || length > 200 || stripped[0] == '\0')
    {
      baton_set_field_error (error, field, "%s must be 1 to 200 characters", field);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_tag_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      return TRUE;
    default:
      return c == '_' || c == '.' || c == ':' || c == '-';
    }
}

/* Tags are 1–64 characters of [\p{L}\p{N}_.:-], compared and stored lower-case. */
char *
baton_tag_normalize (const char  *field,
                     const char  *tag,
                     GError     **error)
{
  glong length = g_utf8_strlen (tag, -1);
  const char *p;

  if (length < 1 || length > 64)
    {
      baton_set_field_error (error, field, "A tag has 1 to 64 characters");
      return NULL;
    }
  for (p = tag; *p; p = g_utf8_next_char (p))
    {
      if (!is_tag_char (g_utf8_get_char (p)))
        {
          baton_set_field_error (error, field,
                                 "A tag holds only letters, digits and _ . : -");
          return NULL;
        }
    }
  return g_utf8_strdown (tag, -1);
}

/* Normalises a list of tags, dropping repeats and keeping the first occurrence's place. */
GStrv
baton_tags_normalize (const char          *field,
                      const char * const  *tags,
                      GError             **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  for (i = 0; tags && tags[i]; i++)
    {
      g_autofree char *element = g_strdup_printf ("%s[%u]", field, i);
      char *tag = baton_tag_normalize (element, tags[i], error);

      if (tag == NULL)
        return NULL;
      if (g_hash_table_contains (seen, tag))
        {
          g_free (tag);
          continue;
        }
      g_strv_builder_add (builder, tag);
      g_hash_table_add (seen, tag);
    }
  return g_strv_builder_end (builder);
}

void
baton_json_add_strv (JsonBuilder        *builder,
                     const char         *member,
                     const char * const *values)
{
  guint i;

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (i = 0; values && values[i]; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* A time member; 0 or less writes null. */
void
baton_json_add_time (JsonBuilder *builder,
                     const char  *member,
                     gint64       ms)
{
  json_builder_set_member_name (builder, member);
  if (ms <= 0)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autofree char *text = baton_time_format (ms);

      json_builder_add_string_value (builder, text);
    }
}

void
baton_json_add_nullable_string (JsonBuilder *builder,
                                const char  *member,
                                const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* An optional count; 0 or less writes null. */
void
baton_json_add_positive_int (JsonBuilder *builder,
                             const char  *member,
                             gint64       value)
{
  json_builder_set_member_name (builder, member);
  if (value > 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static JsonNode *
value_member (JsonObject *object,
              const char *member,
              GType       type)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

/* The string member, or "" */
const char *
baton_json_get_string (JsonObject *object,
                       const char *member)
{
  JsonNode *node = value_member (object, member, G_TYPE_STRING);

  return node ? json_node_get_string (node) : "";
}

char *
baton_json_dup_string (JsonObject *object,
                       const char *member)
{
  JsonNode *node = value_member (object, member, G_TYPE_STRING);

  return node ? g_strdup (json_node_get_string (node)) : NULL;
}

gint64
baton_json_get_int (JsonObject *object,
                    const char *member)
{
  JsonNode *node = value_member (object, member, G_TYPE_INT64);

  return node ? json_node_get_int (node) : 0;
}

gboolean
baton_json_get_bool (JsonObject *object,
                     const char *member)
{
  JsonNode *node = value_member (object, member, G_TYPE_BOOLEAN);

  return node ? json_node_get_boolean (node) : FALSE;
}

/* An RFC 3339 member as milliseconds; 0 when absent, null or not a time. */
gint64
baton_json_get_time (JsonObject *object,
                     const char *member)
{
  JsonNode *node = value_member (object, member, G_TYPE_STRING);
  gint64 ms = 0;

  if (node == NULL || !baton_time_parse (json_node_get_string (node), &ms))
    return 0;
  return ms;
}

GStrv
baton_json_dup_strv (JsonObject *object,
                     const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element)
              && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  return g_strv_builder_end (builder);
}

/* A copy of a member that is not null, or NULL. */
JsonNode *
baton_json_dup_member (JsonObject *object,
                       const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_copy (node);
}

JsonObject *
baton_json_get_object (JsonObject *object,
                       const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
baton_json_peek_string (JsonObject *object,
                        const char *member)
{
  JsonNode *node = value_member (object, member, G_TYPE_STRING);

  return node ? json_node_get_string (node) : NULL;
}

JsonArray *
baton_json_get_array (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
baton_json_get_double (JsonObject *object,
                       const char *member,
                       double     *value)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  GType type = node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                     : G_TYPE_INVALID;

  if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else
    return FALSE;
  return isfinite (*value);
}
