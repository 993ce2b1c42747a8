/* baton-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BATON_ERROR (baton_error_quark ())

/* One code per error of PROTOCOL.md §1; each maps to one HTTP status. */
typedef enum {
  BATON_ERROR_BAD_REQUEST,
  BATON_ERROR_UNAUTHORIZED,
  BATON_ERROR_FORBIDDEN,
  BATON_ERROR_NOT_FOUND,
  BATON_ERROR_CONFLICT,
  BATON_ERROR_PAYLOAD_TOO_LARGE,
  BATON_ERROR_UNPROCESSABLE,
  BATON_ERROR_RATE_LIMITED,
  BATON_ERROR_INTERNAL,
  /* the channel (the WhatsApp Graph API) would not do what was asked */
  BATON_ERROR_CHANNEL,
  /* the server is too busy for this now (with Retry-After) */
  BATON_ERROR_UNAVAILABLE,
  /* a file of a type the channel cannot send */
  BATON_ERROR_UNSUPPORTED_MEDIA_TYPE,
} BatonErrorCode;

GQuark       baton_error_quark       (void);
const char  *baton_error_code_name   (BatonErrorCode  code);
guint        baton_error_http_status (BatonErrorCode  code);
const char  *baton_error_get_field   (const GError   *error);
void         baton_prefix_field_error (GError        *error,
                                       const char    *prefix);
const char  *baton_error_get_name    (const GError   *error);
void         baton_set_field_error   (GError        **error,
                                      const char     *field,
                                      const char     *format,
                                      ...) G_GNUC_PRINTF (3, 4);
void         baton_set_conflict_error (GError       **error,
                                       const char     *field,
                                       const char     *format,
                                       ...) G_GNUC_PRINTF (3, 4);
void         baton_set_named_error   (GError        **error,
                                      BatonErrorCode  code,
                                      const char     *name,
                                      const char     *format,
                                      ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
