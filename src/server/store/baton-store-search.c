/* baton-store-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-search"

#include "config.h"

#include <string.h>

#include "baton-store-search.h"

typedef struct {
  /* the words of the term: several for a number written in groups */
  GPtrArray *words;
  gboolean digits;
} Term;

static void
term_free (Term *term)
{
  g_ptr_array_unref (term->words);
  g_free (term);
}

/* A character of a word, as FTS5's unicode61 tokenizer has them (a mark stays with its
 * letter: the tokenizer drops it with remove_diacritics). Quotes are never one. */
static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* what may stand between the groups of one phone number */
static gboolean
is_number_separator (gunichar c)
{
  return c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')' || c == '+';
}

static gboolean
is_digits (const char *word)
{
  return word[strspn (word, "0123456789")] == '\0';
}

/* The words of text; a number joins the previous one when only number separators stand
 * between them. */
static GPtrArray *
split_terms (const char *text)
{
  GPtrArray *terms = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);
  gboolean joinable = FALSE;
  const char *p = text;

  while (*p)
    {
      const char *start = p;
      g_autofree char *word = NULL;
      Term *last = terms->len ? g_ptr_array_index (terms, terms->len - 1) : NULL;

      if (!is_word_char (g_utf8_get_char (p)))
        {
          joinable = joinable && is_number_separator (g_utf8_get_char (p));
          p = g_utf8_next_char (p);
          continue;
        }
      while (*p && is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      word = g_strndup (start, p - start);
      if (last && joinable && last->digits && is_digits (word))
        g_ptr_array_add (last->words, g_steal_pointer (&word));
      else
        {
          Term *term = g_new0 (Term, 1);

          term->words = g_ptr_array_new_with_free_func (g_free);
          term->digits = is_digits (word);
          g_ptr_array_add (term->words, g_steal_pointer (&word));
          g_ptr_array_add (terms, term);
        }
      joinable = TRUE;
    }
  return terms;
}

/* "word", or for a number in groups ("33612" OR ("33" AND "6" AND "12")): written together
 * or as separate numbers; prefix: the last word matches as a prefix */
static char *
term_query (Term     *term,
            gboolean  prefix)
{
  const char *star = prefix ? "*" : "";
  GString *query = g_string_new (NULL);

  if (term->words->len == 1)
    {
      g_string_printf (query, "\"%s\"%s", (char *) term->words->pdata[0], star);
      return g_string_free (query, FALSE);
    }
  g_string_append_c (query, '"');
  for (guint i = 0; i < term->words->len; i++)
    g_string_append (query, term->words->pdata[i]);
  g_string_append_printf (query, "\"%s OR (", star);
  for (guint i = 0; i < term->words->len; i++)
    g_string_append_printf (query, "%s\"%s\"", i ? " AND " : "", (char *) term->words->pdata[i]);
  g_string_append_printf (query, "%s)", star);
  return g_string_free (query, FALSE);
}

GStrv
baton_store_search_terms (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autoptr(GPtrArray) terms = split_terms (valid);
  g_autoptr(GStrvBuilder) queries = g_strv_builder_new ();

  for (guint i = 0; i < terms->len; i++)
    {
      g_autofree char *query = term_query (terms->pdata[i], i + 1 == terms->len);

      g_strv_builder_add (queries, query);
    }
  return g_strv_builder_end (queries);
}
