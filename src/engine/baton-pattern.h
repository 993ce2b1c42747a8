/* baton-pattern.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BATON_TYPE_PATTERN (baton_pattern_get_type ())

/* The most instructions a compiled pattern may have. */
#define BATON_PATTERN_MAX_PROGRAM 10000
/* The most characters of a text baton_pattern_match() reads; the rest is not looked at. */
#define BATON_PATTERN_MAX_TEXT 4096

/* A POSIX extended regular expression matched case-insensitively by code point, in time
 * linear in the text (a Thompson NFA: no backtracking, no back-references). */
typedef struct _BatonPattern BatonPattern;

GType         baton_pattern_get_type     (void) G_GNUC_CONST;
BatonPattern *baton_pattern_new          (const char    *source,
                                          GError       **error);
BatonPattern *baton_pattern_ref          (BatonPattern  *pattern);
void          baton_pattern_unref        (BatonPattern  *pattern);
guint         baton_pattern_get_size     (BatonPattern  *pattern);
gboolean      baton_pattern_match        (BatonPattern  *pattern,
                                          const char    *text,
                                          gssize         length);
gboolean      baton_pattern_match_counted (BatonPattern *pattern,
                                           const char   *text,
                                           gssize        length,
                                           guint64      *steps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonPattern, baton_pattern_unref)

G_END_DECLS
