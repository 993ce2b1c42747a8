/* baton-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-search"

#include "config.h"

#include <string.h>

#include "baton-search.h"

/* as FTS5's unicode61 tokenizer has them (a mark stays with its letter); never a quote */
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

/* Calls found (text, start, end) for each word of text (valid UTF-8); after is whether
 * only number separators stand between it and the previous word. */
typedef void (*WordFunc) (const char *start,
                          const char *end,
                          gboolean    after_number_separators,
                          gpointer    user_data);

static void
each_word (const char *text,
           WordFunc    found,
           gpointer    user_data)
{
  gboolean joinable = FALSE;
  const char *p = text;

  while (*p)
    {
      const char *start = p;

      if (!is_word_char (g_utf8_get_char (p)))
        {
          joinable = joinable && is_number_separator (g_utf8_get_char (p));
          p = g_utf8_next_char (p);
          continue;
        }
      while (*p && is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      found (start, p, joinable, user_data);
      joinable = TRUE;
    }
}

static void
add_term_word (const char *start,
               const char *end,
               gboolean    after_number_separators,
               gpointer    user_data)
{
  GPtrArray *terms = user_data;
  g_autofree char *word = g_strndup (start, end - start);
  GPtrArray *last = terms->len ? g_ptr_array_index (terms, terms->len - 1) : NULL;

  /* a term is built as a GPtrArray of words, NULL-terminated at the end */
  if (last && after_number_separators && is_digits (word) && is_digits (last->pdata[0]))
    {
      g_ptr_array_add (last, g_steal_pointer (&word));
      return;
    }
  last = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  g_ptr_array_add (last, g_steal_pointer (&word));
  g_ptr_array_add (terms, last);
}

GPtrArray *
baton_search_terms (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autoptr(GPtrArray) building = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  g_ptr_array_unref);
  GPtrArray *terms = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  each_word (valid, add_term_word, building);
  for (guint i = 0; i < building->len; i++)
    g_ptr_array_add (terms, g_ptr_array_steal (building->pdata[i], NULL));
  return terms;
}

char *
baton_search_fold (const char *word)
{
  g_autofree char *decomposed = g_utf8_normalize (word, -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) bare = g_string_new (NULL);

  for (const char *p = decomposed ? decomposed : ""; *p; p = g_utf8_next_char (p))
    if (!g_unichar_ismark (g_utf8_get_char (p)))
      g_string_append_unichar (bare, g_utf8_get_char (p));
  return g_utf8_casefold (bare->str, -1);
}

typedef struct {
  /* folded: each term's words, and the term written together */
  GPtrArray *words;
  GPtrArray *joined;
  /* which terms matched a word */
  gboolean *matched;
  GArray *ranges;
  const char *text;
} Finder;

static gboolean
word_matches (const char *term,
              const char *word,
              gboolean    prefix)
{
  return prefix ? g_str_has_prefix (word, term) : g_str_equal (word, term);
}

static void
find_word (const char *start,
           const char *end,
           gboolean    after_number_separators,
           gpointer    user_data)
{
  Finder *finder = user_data;
  g_autofree char *word = g_strndup (start, end - start);
  g_autofree char *folded = baton_search_fold (word);
  gboolean hit = FALSE;

  for (guint t = 0; t < finder->words->len; t++)
    {
      char **groups = finder->words->pdata[t];
      gboolean last = t + 1 == finder->words->len;
      gboolean term_hit = word_matches (finder->joined->pdata[t], folded, last);

      for (guint g = 0; groups[g] && !term_hit; g++)
        term_hit = word_matches (groups[g], folded, last && groups[g + 1] == NULL);
      finder->matched[t] = finder->matched[t] || term_hit;
      hit = hit || term_hit;
    }
  if (hit)
    {
      BatonSearchRange range = { start - finder->text, end - finder->text };

      g_array_append_val (finder->ranges, range);
    }
}

static void
finder_init (Finder     *finder,
             const char *query)
{
  g_autoptr(GPtrArray) terms = baton_search_terms (query);

  finder->words = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  finder->joined = g_ptr_array_new_with_free_func (g_free);
  for (guint t = 0; t < terms->len; t++)
    {
      char **groups = terms->pdata[t];
      g_autofree char *joined = g_strjoinv ("", groups);
      GStrvBuilder *folded = g_strv_builder_new ();

      for (guint g = 0; groups[g]; g++)
        {
          g_autofree char *word = baton_search_fold (groups[g]);

          g_strv_builder_add (folded, word);
        }
      g_ptr_array_add (finder->words, g_strv_builder_end (folded));
      g_strv_builder_unref (folded);
      g_ptr_array_add (finder->joined, baton_search_fold (joined));
    }
  finder->matched = g_new0 (gboolean, terms->len + 1);
  finder->ranges = g_array_new (FALSE, FALSE, sizeof (BatonSearchRange));
}

static void
finder_clear (Finder *finder)
{
  g_ptr_array_unref (finder->words);
  g_ptr_array_unref (finder->joined);
  g_free (finder->matched);
  g_clear_pointer (&finder->ranges, g_array_unref);
}

/* finder's terms against text (finder->ranges: its words that matched) */
static void
finder_run (Finder     *finder,
            const char *text)
{
  g_autofree char *valid = NULL;

  g_array_set_size (finder->ranges, 0);
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  finder->text = text;
  each_word (text, find_word, finder);
}

static gboolean
finder_all (Finder *finder)
{
  for (guint t = 0; t < finder->words->len; t++)
    if (!finder->matched[t])
      return FALSE;
  return TRUE;
}

GArray *
baton_search_find (const char *query,
                   const char *text,
                   gboolean   *all)
{
  Finder finder = { 0 };
  GArray *ranges = NULL;

  finder_init (&finder, query);
  finder_run (&finder, text);
  if (all)
    *all = finder_all (&finder);
  ranges = g_steal_pointer (&finder.ranges);
  finder_clear (&finder);
  return ranges;
}

gboolean
baton_search_matches (const char         *query,
                      const char * const *texts)
{
  Finder finder = { 0 };
  gboolean all = FALSE;

  finder_init (&finder, query);
  for (guint i = 0; texts && texts[i]; i++)
    finder_run (&finder, texts[i]);
  all = finder_all (&finder);
  finder_clear (&finder);
  return all;
}
