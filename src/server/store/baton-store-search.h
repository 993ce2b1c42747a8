/* baton-store-search.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Full-text search: what a person typed, as queries of the backend's index: SQLite's FTS5
 * (migration 10), PostgreSQL's tsvector documents (search_text () in its schema). */

/* the most words a search may have (each costs a look-up in the index) */
#define BATON_SEARCH_MAX_TERMS 10

/* One query per term of text (baton_search_terms), in order; all must match. Each word is
 * quoted, so that nothing typed is query syntax; the last term matches as a prefix (the
 * word being typed); a number in groups ("+33 6 12") also matches written together
 * ("33612…"), as phone numbers are. Empty when text has no word. */
GStrv       baton_store_search_terms          (BatonStore          *store,
                                               const char          *text);
/* The condition that a row of contact_search, or of message_search, matches one term: one
 * parameter, the term. */
const char *baton_store_search_contacts_match (BatonStore          *store);
const char *baton_store_search_messages_match (BatonStore          *store);
/* The words around a match (FTS5's snippet, PostgreSQL's ts_headline) in the newest message
 * of conversation ?2 that matches ?1, a query of baton_store_search_any: one row, or none. */
const char *baton_store_search_snippet        (BatonStore          *store);
/* One query that matches any of the terms. */
char       *baton_store_search_any            (BatonStore          *store,
                                               const char * const  *terms);

/* New and edited messages and contacts wait to be indexed (migration 15): indexes them, in
 * one segment of the index. A search runs it first; writers run it every few hundred rows. */
gboolean baton_store_search_catch_up (BatonStore  *store,
                                      GError     **error);

G_END_DECLS
