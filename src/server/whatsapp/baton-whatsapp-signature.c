/* baton-whatsapp-signature.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-whatsapp"

#include "config.h"

#include <sodium.h>

#include "baton-whatsapp-signature.h"

/* X-Hub-Signature-256 of the WhatsApp Cloud API webhook (REFERENCE.md §2): "sha256=" and the
 * HMAC-SHA256 of the request body keyed with the app secret, as 64 hex digits. Meta signs the
 * raw bytes, but documents signing an escaped form (every character above 0x7E as \uXXXX,
 * lowercase hex, UTF-16 surrogate pairs): a body with such bytes is accepted under either. */

#define DIGEST_SIZE crypto_auth_hmacsha256_BYTES

static gboolean
parse_header (const char *header,
              guchar      digest[DIGEST_SIZE])
{
  const char *hex = NULL;

  if (header == NULL || !g_str_has_prefix (header, "sha256="))
    return FALSE;
  hex = header + strlen ("sha256=");
  if (strlen (hex) != DIGEST_SIZE * 2)
    return FALSE;
  for (guint i = 0; i < DIGEST_SIZE; i++)
    {
      int high = g_ascii_xdigit_value (hex[2 * i]);
      int low = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (high < 0 || low < 0)
        return FALSE;
      digest[i] = (guchar) (high << 4 | low);
    }
  return TRUE;
}

static void
hmac (const char *secret,
      const char *data,
      gsize       length,
      guchar      digest[DIGEST_SIZE])
{
  crypto_auth_hmacsha256_state state;

  crypto_auth_hmacsha256_init (&state, (const guchar *) secret, strlen (secret));
  crypto_auth_hmacsha256_update (&state, (const guchar *) data, length);
  crypto_auth_hmacsha256_final (&state, digest);
  sodium_memzero (&state, sizeof state);
}

/* The body as Meta escapes it before signing; NULL when it is not valid UTF-8. */
char *
baton_whatsapp_escape_body (const char *body,
                            gsize       length,
                            gsize      *escaped_length)
{
  GString *escaped = NULL;
  const char *end = body + length;

  if (!g_utf8_validate_len (body, length, NULL))
    return NULL;
  escaped = g_string_sized_new (length + 64);
  for (const char *p = body; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c <= 0x7E)
        g_string_append_c (escaped, (char) c);
      else if (c <= 0xFFFF)
        g_string_append_printf (escaped, "\\u%04x", c);
      else
        g_string_append_printf (escaped, "\\u%04x\\u%04x", 0xD800 + ((c - 0x10000) >> 10),
                                0xDC00 + ((c - 0x10000) & 0x3FF));
    }
  *escaped_length = escaped->len;
  return g_string_free (escaped, FALSE);
}

static gboolean
has_high_bytes (const char *body,
                gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) body[i] > 0x7E)
      return TRUE;
  return FALSE;
}

/* Whether header signs body (the raw bytes, or their escaped form), in constant time. */
gboolean
baton_whatsapp_signature_matches (const char *app_secret,
                                  const char *body,
                                  gsize       length,
                                  const char *header)
{
  guchar expected[DIGEST_SIZE];
  guchar computed[DIGEST_SIZE];
  gboolean raw_ok, escaped_ok = FALSE;

  if (app_secret == NULL || *app_secret == '\0' || !parse_header (header, expected))
    return FALSE;
  hmac (app_secret, body, length, computed);
  raw_ok = sodium_memcmp (computed, expected, DIGEST_SIZE) == 0;
  if (!raw_ok && has_high_bytes (body, length))
    {
      gsize escaped_length = 0;
      g_autofree char *escaped = baton_whatsapp_escape_body (body, length, &escaped_length);

      if (escaped)
        {
          hmac (app_secret, escaped, escaped_length, computed);
          escaped_ok = sodium_memcmp (computed, expected, DIGEST_SIZE) == 0;
        }
    }
  return raw_ok || escaped_ok;
}
