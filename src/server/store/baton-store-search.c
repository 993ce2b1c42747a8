/* baton-store-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-search"

#include "config.h"

#include "baton-search.h"
#include "baton-store-search.h"

static gboolean
is_postgres (BatonStore *store)
{
  return g_str_equal (baton_store_backend (store), "postgresql");
}

/* "word", or for a number in groups ("33612" OR ("33" AND "6" AND "12")): written together
 * or as separate numbers; prefix: the last word matches as a prefix. In PostgreSQL's
 * tsquery: 'word', | for OR, & for AND, :* for a prefix. */
static char *
term_query (char     **words,
            gboolean   prefix,
            gboolean   tsquery)
{
  const char *star = !prefix ? "" : tsquery ? ":*" : "*";
  const char quote = tsquery ? '\'' : '"';
  g_autofree char *joined = g_strjoinv ("", words);
  GString *query = g_string_new (NULL);

  /* words never hold a quote (baton_search_terms): quoted, they are only text */
  g_string_printf (query, "%c%s%c%s", quote, joined, quote, star);
  if (words[1] == NULL)
    return g_string_free (query, FALSE);
  g_string_append (query, tsquery ? " | (" : " OR (");
  for (guint i = 0; words[i]; i++)
    g_string_append_printf (query, "%s%c%s%c", i == 0 ? "" : tsquery ? " & " : " AND ", quote,
                            words[i], quote);
  g_string_append_printf (query, "%s)", star);
  return g_string_free (query, FALSE);
}

GStrv
baton_store_search_terms (BatonStore *store,
                          const char *text)
{
  g_autoptr(GPtrArray) terms = baton_search_terms (text);
  g_autoptr(GStrvBuilder) queries = g_strv_builder_new ();

  for (guint i = 0; i < terms->len; i++)
    {
      g_autofree char *query = term_query (terms->pdata[i], i + 1 == terms->len,
                                           is_postgres (store));

      g_strv_builder_add (queries, query);
    }
  return g_strv_builder_end (queries);
}

/* PostgreSQL: the term folded as the documents are (lower case, then unaccent) */
#define TSQUERY "to_tsquery ('simple', unaccent (lower (?)))"

const char *
baton_store_search_contacts_match (BatonStore *store)
{
  return is_postgres (store) ? "contact_search.document @@ " TSQUERY
                             : "contact_search MATCH ?";
}

const char *
baton_store_search_messages_match (BatonStore *store)
{
  return is_postgres (store) ? "message_search.document @@ " TSQUERY
                             : "message_search MATCH ?";
}

const char *
baton_store_search_snippet (BatonStore *store)
{
  if (is_postgres (store))
    return "SELECT ts_headline ('simple', m.body,"
           " to_tsquery ('simple', unaccent (lower (?1))),"
           " 'StartSel=\"\", StopSel=\"\", MaxWords=12, MinWords=6')"
           " FROM message_search JOIN messages m ON m.n = message_search.n"
           " WHERE message_search.n IN (SELECT n FROM messages WHERE conversation_id = ?2)"
           " AND message_search.document @@ to_tsquery ('simple', unaccent (lower (?1)))"
           " ORDER BY message_search.n DESC LIMIT 1";
  return "SELECT snippet(message_search, 0, '', '', '…', 12)"
         " FROM message_search WHERE message_search MATCH ?1"
         " AND rowid IN (SELECT n FROM messages WHERE conversation_id = ?2)"
         " ORDER BY rowid DESC LIMIT 1";
}

char *
baton_store_search_any (BatonStore         *store,
                        const char * const *terms)
{
  g_autofree char *joined = g_strjoinv (is_postgres (store) ? ") | (" : ") OR (",
                                        (char **) terms);

  return g_strdup_printf ("(%s)", joined);
}

gboolean
baton_store_search_catch_up (BatonStore  *store,
                             GError     **error)
{
  /* PostgreSQL's triggers keep its index current themselves (GIN batches its writes) */
  if (is_postgres (store))
    return TRUE;
  return baton_store_exec (store, error,
                           "INSERT INTO message_search (rowid, body)"
                           " SELECT m.n, m.body FROM message_search_pending p"
                           " JOIN messages m ON m.n = p.n ORDER BY p.n", "") >= 0
         && baton_store_exec (store, error, "DELETE FROM message_search_pending", "") >= 0
         && baton_store_exec (store, error,
                              "INSERT INTO contact_search (contact_id, name, phone, wa_id)"
                              " SELECT k.id, k.name, k.phone, k.wa_id"
                              " FROM contact_search_pending p"
                              " JOIN contacts k ON k.id = p.contact_id", "") >= 0
         && baton_store_exec (store, error, "DELETE FROM contact_search_pending", "") >= 0;
}
