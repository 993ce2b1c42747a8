/* baton-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-error"

#include "config.h"

#include "baton-error.h"

/* Errors carry the field path of PROTOCOL.md ("steps[2].team_id") and, for some 4xx, a more
 * precise code than the status' own (window_closed). An extended GError keeps both. */
typedef struct {
  char *field;
  char *name;
} BatonErrorPrivate;

static void
baton_error_private_init (BatonErrorPrivate *priv)
{
  priv->field = NULL;
  priv->name = NULL;
}

static void
baton_error_private_copy (const BatonErrorPrivate *src,
                          BatonErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
  dest->name = g_strdup (src->name);
}

static void
baton_error_private_clear (BatonErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
  g_clear_pointer (&priv->name, g_free);
}

G_DEFINE_EXTENDED_ERROR (BatonError, baton_error)

static const struct {
  const char *name;
  guint status;
} codes[] = {
  [BATON_ERROR_BAD_REQUEST] = { "bad_request", 400 },
  [BATON_ERROR_UNAUTHORIZED] = { "unauthorized", 401 },
  [BATON_ERROR_FORBIDDEN] = { "forbidden", 403 },
  [BATON_ERROR_NOT_FOUND] = { "not_found", 404 },
  [BATON_ERROR_CONFLICT] = { "conflict", 409 },
  [BATON_ERROR_PAYLOAD_TOO_LARGE] = { "payload_too_large", 413 },
  [BATON_ERROR_UNPROCESSABLE] = { "unprocessable", 422 },
  [BATON_ERROR_RATE_LIMITED] = { "rate_limited", 429 },
  [BATON_ERROR_INTERNAL] = { "internal", 500 },
  [BATON_ERROR_CHANNEL] = { "channel_error", 502 },
  [BATON_ERROR_UNAVAILABLE] = { "unavailable", 503 },
  [BATON_ERROR_UNSUPPORTED_MEDIA_TYPE] = { "unsupported_media_type", 415 },
};

const char *
baton_error_code_name (BatonErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (codes))
    return "internal";
  return codes[code].name;
}

guint
baton_error_http_status (BatonErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (codes))
    return 500;
  return codes[code].status;
}

const char *
baton_error_get_field (const GError *error)
{
  BatonErrorPrivate *priv;

  if (error == NULL || error->domain != BATON_ERROR)
    return NULL;
  priv = baton_error_get_private (error);
  return priv ? priv->field : NULL;
}

/* Names the field inside its parent object: "name" becomes "template.name". */
void
baton_prefix_field_error (GError     *error,
                          const char *prefix)
{
  BatonErrorPrivate *priv;
  char *field;

  if (error == NULL || error->domain != BATON_ERROR)
    return;
  priv = baton_error_get_private (error);
  if (priv == NULL || priv->field == NULL)
    return;
  field = g_strconcat (prefix, priv->field, NULL);
  g_free (priv->field);
  priv->field = field;
}

/* The error's code as the wire shows it: its own name when it has one, else the status'. */
const char *
baton_error_get_name (const GError *error)
{
  BatonErrorPrivate *priv;

  if (error == NULL || error->domain != BATON_ERROR)
    return "internal";
  priv = baton_error_get_private (error);
  if (priv && priv->name)
    return priv->name;
  return baton_error_code_name (error->code);
}

static void
set_field_error_valist (GError        **error,
                        BatonErrorCode  code,
                        const char     *field,
                        const char     *format,
                        va_list         args)
{
  g_autofree char *message = NULL;
  GError *new_error = NULL;

  if (error == NULL)
    return;
  message = g_strdup_vprintf (format, args);
  new_error = g_error_new_literal (BATON_ERROR, code, message);
  baton_error_get_private (new_error)->field = g_strdup (field);
  g_propagate_error (error, new_error);
}

void
baton_set_field_error (GError     **error,
                       const char  *field,
                       const char  *format,
                       ...)
{
  va_list args;

  va_start (args, format);
  set_field_error_valist (error, BATON_ERROR_UNPROCESSABLE, field, format, args);
  va_end (args);
}

/* A value another object already has (an agent's email): 409 naming the field. */
void
baton_set_conflict_error (GError     **error,
                          const char  *field,
                          const char  *format,
                          ...)
{
  va_list args;

  va_start (args, format);
  set_field_error_valist (error, BATON_ERROR_CONFLICT, field, format, args);
  va_end (args);
}

void
baton_set_named_error (GError         **error,
                       BatonErrorCode   code,
                       const char      *name,
                       const char      *format,
                       ...)
{
  g_autofree char *message = NULL;
  GError *new_error = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  new_error = g_error_new_literal (BATON_ERROR, code, message);
  baton_error_get_private (new_error)->name = g_strdup (name);
  g_propagate_error (error, new_error);
}
