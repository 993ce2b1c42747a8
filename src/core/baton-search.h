/* baton-search.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a person types into a search, read alike by the server (which looks it up in its
 * full-text index) and the app (which judges the conversations events bring, and highlights
 * what matched): API.md, "Search and a contact's history". */

/* The terms of text, in order, each a NULL-terminated array of words (GStrv): one word, or
 * the groups of a number written in groups ("+33 6 12": "33", "6", "12"). A word is a run
 * of letters, digits and marks; anything else separates words. Not UTF-8: made valid. */
GPtrArray *baton_search_terms (const char *text);

/* word without case and accents, as SQLite's unicode61 tokenizer with remove_diacritics
 * folds it (near enough: decomposed, marks dropped, case-folded) */
char      *baton_search_fold  (const char *word);

typedef struct {
  /* bytes of the text */
  gsize start;
  gsize end;
} BatonSearchRange;

/* The words of text that a term of query matches (BatonSearchRange, in order): a term its
 * equal, the last term a word it starts (the word being typed), a number in groups also the
 * number written together. *all (when not NULL): whether every term matched a word. */
GArray    *baton_search_find  (const char *query,
                               const char *text,
                               gboolean   *all);
/* Whether every term of query matches a word of one of texts (NULL-terminated). */
gboolean   baton_search_matches (const char         *query,
                                 const char * const *texts);

G_END_DECLS
