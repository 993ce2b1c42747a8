/* baton-strv.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lists of ids as NULL-terminated string arrays; NULL is the empty list. */

gboolean baton_strv_is_empty   (const char * const *strv);
/* the same ids, in any order (each list without repeats) */
gboolean baton_strv_equal_sets (const char * const *a,
                                const char * const *b);
/* a copy with added at the end, unless it is there already */
GStrv    baton_strv_with       (const char * const *strv,
                                const char         *added);
/* a copy without removed, in the same order */
GStrv    baton_strv_without    (const char * const *strv,
                                const char         *removed);
/* a copy without any of removed, in the same order */
GStrv    baton_strv_minus      (const char * const *strv,
                                const char * const *removed);
/* sorts the list in place, byte by byte */
void     baton_strv_sort       (const char        **strv);

G_END_DECLS
