/* test-pattern.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <regex.h>

#include "baton-error.h"
#include "baton-pattern.h"

/* Flows matched with regcomp (REG_EXTENDED | REG_ICASE) before; rows marked SAME give what
 * glibc gives in a UTF-8 locale, and the test checks that against regexec as well. */
#define SAME TRUE
#define OURS FALSE

static const struct {
  const char *pattern;
  const char *text;
  gboolean expected;
  gboolean posix;
} cases[] = {
  /* literals, case, alternation */
  { "order", "Where is my ORDER?", TRUE, SAME },
  { "^order #[0-9]+$", "Order #123", TRUE, SAME },
  { "^order #[0-9]+$", "order #12a", FALSE, SAME },
  { "commande|order", "Bonjour, où est ma commande ?", TRUE, SAME },
  { "urgent|asap", "please ASAP", TRUE, SAME },
  { "urgent|asap", "as soon as possible", FALSE, SAME },
  { "^(foo|bar)baz$", "BARBAZ", TRUE, SAME },
  { "a||b", "x", TRUE, SAME },
  { "(|a)", "x", TRUE, SAME },
  { "()", "x", TRUE, SAME },
  { "a)", "a)", TRUE, SAME },
  { "", "anything", TRUE, SAME },
  /* any character */
  { "a.c", "abc", TRUE, SAME },
  { "a.c", "ac", FALSE, SAME },
  { "a.c", "a\nc", TRUE, SAME },
  /* repeats */
  { "x*", "", TRUE, SAME },
  { "colou?r", "COLOR", TRUE, SAME },
  { "colou?r", "colouur", FALSE, SAME },
  { "ab+c", "ac", FALSE, SAME },
  { "ab+c", "abbbc", TRUE, SAME },
  { "^a{3}$", "aaa", TRUE, SAME },
  { "^a{3}$", "aaaa", FALSE, SAME },
  { "^a{2,}$", "a", FALSE, SAME },
  { "^a{2,}$", "aaaaa", TRUE, SAME },
  { "^a{1,2}$", "aaa", FALSE, SAME },
  { "^a{,2}$", "aa", TRUE, SAME },
  { "^a{,2}$", "aaa", FALSE, SAME },
  { "^a{,}$", "aaaa", TRUE, SAME },
  { "^x{0}y$", "y", TRUE, SAME },
  { "a{2}{3}", "aaaaaa", TRUE, SAME },
  { "^(ab){2}$", "abab", TRUE, SAME },
  { "^(a|b)+$", "abba", TRUE, SAME },
  { "^(a|b)+$", "abc", FALSE, SAME },
  { "a**", "aa", TRUE, SAME },
  { "^(a*)*$", "aaa", TRUE, SAME },
  { "^(a*)*$", "aab", FALSE, SAME },
  { "(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaab", FALSE, SAME },
  { "(a+)+$", "baaa", TRUE, SAME },
  /* bracket expressions */
  { "[]a]", "]", TRUE, SAME },
  { "[^]a]", "b", TRUE, SAME },
  { "[^]a]", "a", FALSE, SAME },
  { "[a-]", "-", TRUE, SAME },
  { "[%--]", ",", TRUE, SAME },
  { "[[:digit:]]+", "abc 42", TRUE, SAME },
  { "^[[:digit:]]+$", "4a", FALSE, SAME },
  { "[[:upper:]]", "a", TRUE, SAME },
  { "[^[:lower:]]", "a", FALSE, SAME },
  { "[[:alpha:]]", "1", FALSE, SAME },
  { "[[:space:]]", "a b", TRUE, SAME },
  { "[[:alnum:]]", "!?", FALSE, SAME },
  { "[[:punct:]]", "hi!", TRUE, SAME },
  { "^[[:xdigit:]]+$", "0BeeF", TRUE, SAME },
  { "[[.a.]]", "a", TRUE, SAME },
  { "[[=a=]]", "a", TRUE, SAME },
  { "[A-Z]", "q", TRUE, SAME },
  { "[\\d]", "\\", TRUE, SAME },
  { "[[]", "[", TRUE, SAME },
  /* escapes */
  { "\\.", ".", TRUE, SAME },
  { "\\.", "x", FALSE, SAME },
  { "a\\*b", "a*b", TRUE, SAME },
  { "\\{", "{", TRUE, SAME },
  { "\\w+", "é", TRUE, SAME },
  { "\\W", "é", FALSE, SAME },
  { "\\s", " ", TRUE, SAME },
  { "\\S+$", "ab", TRUE, SAME },
  { "\\bfoo\\b", "a foo b", TRUE, SAME },
  { "\\bfoo\\b", "afoo b", FALSE, SAME },
  { "\\<f", "foo", TRUE, SAME },
  { "o\\>", "foo bar", TRUE, SAME },
  { "\\Boo", "foo", TRUE, SAME },
  { "\\`a", "a", TRUE, SAME },
  { "a\\'", "a", TRUE, SAME },
  /* glibc reads \d as a "d" it then fails to fold; flows mean a digit */
  { "\\d+", "abc 42", TRUE, OURS },
  { "^\\D+$", "abc", TRUE, OURS },
  { "\\.\\d", "v1.2", TRUE, OURS },
  /* anchors */
  { "$a", "a", FALSE, SAME },
  { "a^", "a", FALSE, SAME },
  { "(^a)", "a", TRUE, SAME },
  { "b(^a)", "ba", FALSE, SAME },
  { "x$|y", "xz", FALSE, SAME },
  { "x$|y", "zx", TRUE, SAME },
  { "^$", "", TRUE, SAME },
  { "^$", "x", FALSE, SAME },
  /* Unicode: by code point, either case */
  { "É", "é", TRUE, SAME },
  { "[É]", "é", TRUE, SAME },
  { "^.$", "é", TRUE, SAME },
  { "^..$", "é", FALSE, SAME },
  { "ǅ", "ǆ", TRUE, SAME },
  { "ς", "Σ", TRUE, SAME },
  { "[[:alpha:]]", "é", TRUE, SAME },
  { "[[:digit:]]", "٣", FALSE, SAME },
  { "[^a]", "é", TRUE, SAME },
  { "ﬀ", "FF", FALSE, SAME },
  /* glibc's C.UTF-8 refuses a range beyond ASCII (REG_ECOLLATE); code points order it here */
  { "^[а-я]+$", "ПРИВЕТ", TRUE, OURS },
  { "^.$", "😀", TRUE, SAME },
  { "x😀+y", "X😀😀Y", TRUE, SAME },
};

static const char * const invalid[] = {
  "(unclosed", "*a", "a|*b", "(*a)", "^*", "+", "?", "{1}", "a{", "a{x", "a{1", "a{}",
  "a{3,2}", "[z-a]", "[[:foo:]]", "[a", "[", "(a", "\\", "a\\", "[a-c-e]", "[[:alpha:]-z]",
  "[[.ab.]]", "(a)\\1", "a{32768}", "$*", "a\\<+", "\\b?", "x\\B{2}",
};

static gboolean
posix_matches (const char *pattern,
               const char *text)
{
  regex_t regex;
  gboolean matched = FALSE;

  g_assert_cmpint (regcomp (&regex, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB), ==, 0);
  matched = regexec (&regex, text, 0, NULL, 0) == 0;
  regfree (&regex);
  return matched;
}

static void
test_table (void)
{
  gboolean compare = setlocale (LC_ALL, "C.UTF-8") != NULL;

  if (!compare)
    g_test_message ("no C.UTF-8 locale: not comparing with regexec");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BatonPattern) pattern = baton_pattern_new (cases[i].pattern, &error);

      g_test_message ("/%s/ on \"%s\"", cases[i].pattern, cases[i].text);
      g_assert_no_error (error);
      g_assert_cmpint (baton_pattern_match (pattern, cases[i].text, -1), ==,
                       cases[i].expected);
      if (compare && cases[i].posix)
        g_assert_cmpint (posix_matches (cases[i].pattern, cases[i].text), ==,
                         cases[i].expected);
    }
  setlocale (LC_ALL, "C");
}

static void
test_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BatonPattern) pattern = baton_pattern_new (invalid[i], &error);

      g_test_message ("/%s/: %s", invalid[i], error ? error->message : "accepted");
      g_assert_null (pattern);
      g_assert_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE);
    }
}

/* The program is at most BATON_PATTERN_MAX_PROGRAM instructions, counted before anything is
 * built; groups nest at most 100 deep. */
static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonPattern) largest = baton_pattern_new ("a{9999}", &error);
  g_autoptr(BatonPattern) pattern = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *long_source = g_strnfill (BATON_PATTERN_MAX_PROGRAM + 1, 'a');

  g_assert_no_error (error);
  g_assert_cmpuint (baton_pattern_get_size (largest), ==, BATON_PATTERN_MAX_PROGRAM);
  for (guint i = 0; i < 4; i++)
    {
      static const char * const too_large[] = {
        "a{10000}", "(a{100}){101}", "((((a{10}){10}){10}){10}){10}", "(.*){4999}x",
      };

      pattern = baton_pattern_new (too_large[i], &error);
      g_assert_null (pattern);
      g_assert_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE);
      g_clear_error (&error);
    }
  /* what repeats nothing costs nothing to compile, however often it is repeated */
  pattern = baton_pattern_new ("-(((((abc){0}){90}){990}){8990}){32767}x", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (baton_pattern_get_size (pattern), ==, 3);
  g_clear_pointer (&pattern, baton_pattern_unref);

  pattern = baton_pattern_new (long_source, &error);
  g_assert_null (pattern);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE);
  g_clear_error (&error);

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, '(');
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, ')');
  pattern = baton_pattern_new (deep->str, &error);
  g_assert_null (pattern);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE);
}

/* A catastrophic pattern for a backtracking matcher takes a bounded number of steps: at most
 * 4 × size + 1 a character, and the whole 99,001 characters are read. */
static void
test_linear_bound (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonPattern) pattern = baton_pattern_new ("(a+)+$", &error);
  g_autofree char *as = g_strnfill (99000, 'a');
  g_autofree char *text = g_strconcat (as, "b", NULL);
  guint64 length = strlen (text);
  guint64 steps = 0;

  g_assert_no_error (error);
  g_assert_false (baton_pattern_match_counted (pattern, text, -1, &steps));
  g_test_message ("%" G_GUINT64_FORMAT " steps for %" G_GUINT64_FORMAT " characters and %u"
                  " instructions", steps, length, baton_pattern_get_size (pattern));
  g_assert_cmpuint (steps, >=, length);
  g_assert_cmpuint (steps, <=, (4 * (guint64) baton_pattern_get_size (pattern) + 1)
                               * (length + 1));
  /* without the "b", it matches */
  g_assert_true (baton_pattern_match_counted (pattern, text, length - 1, NULL));
}

/* A pattern that starts with ^ stops reading once no thread is left. */
static void
test_anchored (void)
{
  g_autoptr(BatonPattern) pattern = baton_pattern_new ("^(hello|hi)\\b", NULL);
  g_autofree char *text = g_strnfill (99000, 'h');
  guint64 steps = 0;

  g_assert_false (baton_pattern_match_counted (pattern, text, -1, &steps));
  g_assert_cmpuint (steps, <, 100);
  g_assert_true (baton_pattern_match_counted (pattern, "Hi there", -1, NULL));
  g_assert_false (baton_pattern_match_counted (pattern, "Oh hi", -1, NULL));
}

/* baton_pattern_match() reads BATON_PATTERN_MAX_TEXT characters; $ does not match at the
 * cut, since the text goes on. */
static void
test_text_limit (void)
{
  g_autoptr(BatonPattern) ends_with_b = baton_pattern_new ("b$", NULL);
  g_autoptr(BatonPattern) only_a = baton_pattern_new ("^a*$", NULL);
  g_autoptr(BatonPattern) last_seen = baton_pattern_new ("é", NULL);
  g_autofree char *as = g_strnfill (BATON_PATTERN_MAX_TEXT - 1, 'a');
  g_autofree char *within = g_strconcat (as, "é", NULL);
  g_autofree char *beyond = g_strconcat (as, "aé", NULL);
  g_autofree char *long_b = g_strconcat (as, "aab", NULL);

  g_assert_true (baton_pattern_match (last_seen, within, -1));
  g_assert_false (baton_pattern_match (last_seen, beyond, -1));
  g_assert_true (baton_pattern_match_counted (last_seen, beyond, -1, NULL));
  g_assert_false (baton_pattern_match (ends_with_b, long_b, -1));
  g_assert_false (baton_pattern_match (only_a, long_b, -1));
  g_assert_true (baton_pattern_match (only_a, as, -1));
}

/* Bytes that are not UTF-8 are one character each, which only . and [^…] match. */
static void
test_invalid_text (void)
{
  g_autoptr(BatonPattern) any = baton_pattern_new ("^a.b$", NULL);
  g_autoptr(BatonPattern) negated = baton_pattern_new ("^a[^x]b$", NULL);
  g_autoptr(BatonPattern) word = baton_pattern_new ("\\w", NULL);

  g_assert_true (baton_pattern_match (any, "a\xff" "b", -1));
  g_assert_true (baton_pattern_match (negated, "a\xc3" "b", -1));
  g_assert_false (baton_pattern_match (word, "\xff\xfe", -1));
  g_assert_true (baton_pattern_match (any, "a\0b", 3));
  g_assert_false (baton_pattern_match (any, "a\0b", -1));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pattern/table", test_table);
  g_test_add_func ("/pattern/invalid", test_invalid);
  g_test_add_func ("/pattern/limits", test_limits);
  g_test_add_func ("/pattern/linear-bound", test_linear_bound);
  g_test_add_func ("/pattern/anchored", test_anchored);
  g_test_add_func ("/pattern/text-limit", test_text_limit);
  g_test_add_func ("/pattern/invalid-text", test_invalid_text);

  return g_test_run ();
}
