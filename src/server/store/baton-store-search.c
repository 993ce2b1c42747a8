/* baton-store-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-search"

#include "config.h"

#include "baton-search.h"
#include "baton-store-search.h"

/* "word", or for a number in groups ("33612" OR ("33" AND "6" AND "12")): written together
 * or as separate numbers; prefix: the last word matches as a prefix */
static char *
term_query (char     **words,
            gboolean   prefix)
{
  const char *star = prefix ? "*" : "";
  g_autofree char *joined = g_strjoinv ("", words);
  GString *query = g_string_new (NULL);

  /* words never hold a quote (baton_search_terms): quoted, they are only text */
  g_string_printf (query, "\"%s\"%s", joined, star);
  if (words[1] == NULL)
    return g_string_free (query, FALSE);
  g_string_append (query, " OR (");
  for (guint i = 0; words[i]; i++)
    g_string_append_printf (query, "%s\"%s\"", i ? " AND " : "", words[i]);
  g_string_append_printf (query, "%s)", star);
  return g_string_free (query, FALSE);
}

GStrv
baton_store_search_terms (const char *text)
{
  g_autoptr(GPtrArray) terms = baton_search_terms (text);
  g_autoptr(GStrvBuilder) queries = g_strv_builder_new ();

  for (guint i = 0; i < terms->len; i++)
    {
      g_autofree char *query = term_query (terms->pdata[i], i + 1 == terms->len);

      g_strv_builder_add (queries, query);
    }
  return g_strv_builder_end (queries);
}

gboolean
baton_store_search_catch_up (BatonStore  *store,
                             GError     **error)
{
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
