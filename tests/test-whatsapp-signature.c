/* test-whatsapp-signature.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-auth.h"
#include "baton-test-helpers.h"
#include "baton-whatsapp-signature.h"
#include "whatsapp-corpus.h"

/* The X-Hub-Signature-256 vectors of the WhatsApp corpus (tests/fixtures/whatsapp, copied
 * from the project's reference corpus): every file's raw-bytes signature, the escaped-form
 * signature of files with non-ASCII bytes, and the negative vectors. */

static gboolean
matches (GBytes     *body,
         const char *header)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  return baton_whatsapp_signature_matches (APP_SECRET, data, length, header);
}

static void
test_corpus (void)
{
  g_autoptr(GBytes) table = baton_test_fixture_bytes ("SIGNATURES.tsv");
  g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (table, NULL), "\n", -1);
  guint files = 0, escaped = 0;

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) columns = NULL;
      g_autoptr(GBytes) body = NULL;

      if (!g_regex_match_simple ("^[0-9]{2}-.*\\.json\t", lines[i], 0, 0))
        continue;
      columns = g_strsplit (lines[i], "\t", -1);
      body = baton_test_fixture_bytes (columns[0]);
      if (!matches (body, columns[1]))
        g_error ("%s: the raw-bytes signature is refused", columns[0]);
      files++;
      if (columns[2] && *columns[2])
        {
          if (!matches (body, columns[2]))
            g_error ("%s: the escaped-form signature is refused", columns[0]);
          escaped++;
        }
    }
  g_assert_cmpuint (files, >=, 35);
  g_assert_cmpuint (escaped, >=, 5);
}

static void
test_negative (void)
{
  g_autoptr(GBytes) body = baton_test_fixture_bytes ("01-text-basic.json");
  g_autoptr(GBytes) table = baton_test_fixture_bytes ("SIGNATURES.tsv");
  g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (table, NULL), "\n", -1);
  guint negatives = 0;

  g_assert_false (matches (body, NULL));
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) columns = NULL;

      if (!g_str_has_prefix (lines[i], "NEG-"))
        continue;
      columns = g_strsplit (lines[i], "\t", 2);
      if (columns[1] && !g_str_has_prefix (columns[1], "(no "))
        {
          if (matches (body, columns[1]))
            g_error ("%s is accepted", columns[0]);
        }
      negatives++;
    }
  g_assert_cmpuint (negatives, >=, 9);
  /* Meta sends lowercase hex; uppercase carries the same digest and is accepted. */
  g_assert_true (matches (body, "sha256=1B162BEBA99677F88B08D9C22B89830D"
                                "F1855C965CBC590A3FBF78E1FF8101FE"));
  /* No secret configured: nothing verifies. */
  g_assert_false (baton_whatsapp_signature_matches ("", g_bytes_get_data (body, NULL),
                                                    g_bytes_get_size (body),
                                                    "sha256=1b162beba99677f88b08d9c22b89830d"
                                                    "f1855c965cbc590a3fbf78e1ff8101fe"));
}

static void
test_escape (void)
{
  const char *body = "{\"t\":\"äöå 😀 \\/\"}";
  gsize length = 0;
  g_autofree char *escaped = baton_whatsapp_escape_body (body, strlen (body), &length);

  g_assert_cmpstr (escaped, ==, "{\"t\":\"\\u00e4\\u00f6\\u00e5 \\ud83d\\ude00 \\/\"}");
  g_assert_cmpuint (length, ==, strlen (escaped));
  g_assert_null (baton_whatsapp_escape_body ("\xff", 1, &length));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (baton_auth_init ());

  g_test_add_func ("/whatsapp/signature/corpus", test_corpus);
  g_test_add_func ("/whatsapp/signature/negative", test_negative);
  g_test_add_func ("/whatsapp/signature/escape", test_escape);

  return g_test_run ();
}
