/* baton-store-search.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Full-text search: what a person typed, as SQLite FTS5 queries. */

/* the most words a search may have (each costs a look-up in the index) */
#define BATON_SEARCH_MAX_TERMS 10

/* One FTS5 query per word of text, in order; all must match. Words are runs of letters,
 * digits and marks, each quoted, so that nothing typed is query syntax; the last one matches
 * as a prefix (the word being typed). Numbers split by spaces, dots, dashes, slashes or
 * brackets ("+33 6 12") also match written together ("33612…"), as phone numbers are.
 * Empty when text has no word. */
GStrv baton_store_search_terms (const char *text);

G_END_DECLS
