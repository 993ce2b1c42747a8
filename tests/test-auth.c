/* test-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-auth.h"

#define PASSWORD "correct horse battery"

static gboolean
is_base64url (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_lower_hex (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static void
test_init (void)
{
  /* Safe to call more than once. */
  g_assert_true (baton_auth_init ());
  g_assert_true (baton_auth_init ());
}

static void
test_hash_password (void)
{
  g_autofree char *hash = baton_auth_hash_password (PASSWORD);

  g_assert_nonnull (hash);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  /* The password itself never appears in the hash. */
  g_assert_null (strstr (hash, PASSWORD));
  g_assert_true (baton_auth_verify_password (hash, PASSWORD));
  g_assert_false (baton_auth_verify_password (hash, "wrong horse battery"));
  g_assert_false (baton_auth_verify_password (hash, "correct horse batter"));
  g_assert_false (baton_auth_verify_password (hash, "Correct horse battery"));
  g_assert_false (baton_auth_verify_password (hash, ""));
  g_assert_false (baton_auth_verify_password (hash, NULL));
  g_assert_false (baton_auth_verify_password (NULL, PASSWORD));
  g_assert_false (baton_auth_verify_password ("not a hash", PASSWORD));
  g_assert_false (baton_auth_verify_password ("", PASSWORD));
}

static void
test_hash_salted (void)
{
  g_autofree char *first = baton_auth_hash_password (PASSWORD);
  g_autofree char *second = baton_auth_hash_password (PASSWORD);

  /* A fresh salt each time: equal passwords do not give equal hashes. */
  g_assert_cmpstr (first, !=, second);
  g_assert_true (baton_auth_verify_password (first, PASSWORD));
  g_assert_true (baton_auth_verify_password (second, PASSWORD));
}

static void
test_hash_unicode (void)
{
  g_autofree char *hash = baton_auth_hash_password ("pässwörd ✓ 日本");

  g_assert_true (baton_auth_verify_password (hash, "pässwörd ✓ 日本"));
  g_assert_false (baton_auth_verify_password (hash, "passwort ✓ 日本"));
}

static void
test_new_secret (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      char *secret = baton_auth_new_secret ();

      /* 32 bytes in base64url without padding. */
      g_assert_cmpuint (strlen (secret), ==, 43);
      g_assert_true (is_base64url (secret));
      g_assert_true (g_hash_table_add (seen, secret));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 200);
}

static void
test_hash_secret (void)
{
  g_autofree char *secret = baton_auth_new_secret ();
  g_autofree char *hash = baton_auth_hash_secret (secret);
  g_autofree char *again = baton_auth_hash_secret (secret);
  g_autofree char *known = baton_auth_hash_secret ("abc");

  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_true (is_lower_hex (hash));
  /* Deterministic, so a token can be looked up by its hash. */
  g_assert_cmpstr (hash, ==, again);
  g_assert_cmpstr (hash, !=, secret);
  /* SHA-256 of "abc" (FIPS 180-2). */
  g_assert_cmpstr (known, ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_secret_matches (void)
{
  g_autofree char *secret = baton_auth_new_secret ();
  g_autofree char *other = baton_auth_new_secret ();
  g_autofree char *hash = baton_auth_hash_secret (secret);
  g_autofree char *upper = g_ascii_strup (hash, -1);
  g_autofree char *shorter = g_strndup (hash, 63);

  g_assert_true (baton_auth_secret_matches (hash, secret));
  g_assert_false (baton_auth_secret_matches (hash, other));
  g_assert_false (baton_auth_secret_matches (hash, ""));
  /* The stored hash compares exactly: neither a prefix nor another case matches. */
  g_assert_false (baton_auth_secret_matches (shorter, secret));
  g_assert_false (baton_auth_secret_matches (upper, secret));
  g_assert_false (baton_auth_secret_matches ("", secret));
  /* The secret, not its hash, is what a caller presents. */
  g_assert_false (baton_auth_secret_matches (hash, hash));
  g_assert_false (baton_auth_secret_matches (hash, NULL));
  g_assert_false (baton_auth_secret_matches (NULL, secret));
  g_assert_false (baton_auth_secret_matches (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (baton_auth_init ());

  g_test_add_func ("/auth/init", test_init);
  g_test_add_func ("/auth/hash-password", test_hash_password);
  g_test_add_func ("/auth/hash-salted", test_hash_salted);
  g_test_add_func ("/auth/hash-unicode", test_hash_unicode);
  g_test_add_func ("/auth/new-secret", test_new_secret);
  g_test_add_func ("/auth/hash-secret", test_hash_secret);
  g_test_add_func ("/auth/secret-matches", test_secret_matches);

  return g_test_run ();
}
