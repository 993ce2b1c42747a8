/* test-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-auth.h"
#include "baton-error.h"
#include "baton-proxies.h"

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

static void
test_proxies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = baton_proxies_parse (NULL, &error);
  g_autoptr(GPtrArray) trusted = baton_proxies_parse (" 127.0.0.1, ::1,10.0.0.0/8 ,", &error);
  g_autoptr(GPtrArray) bad = NULL;
  const struct {
    const char *peer;
    const char *forwarded_for;
    const char *client;
  } cases[] = {
    /* no header, or an untrusted peer: the peer */
    { "127.0.0.1", NULL, "127.0.0.1" },
    { "192.0.2.1", "198.51.100.7", "192.0.2.1" },
    /* a trusted peer: the right-most address that is not a trusted proxy */
    { "127.0.0.1", "198.51.100.7", "198.51.100.7" },
    { "127.0.0.1", "203.0.113.5, 198.51.100.7", "198.51.100.7" },
    { "::1", "203.0.113.5, 198.51.100.7, 10.1.2.3", "198.51.100.7" },
    { "127.0.0.1", "[2001:db8::7]", "2001:db8::7" },
    /* all trusted: the left-most */
    { "127.0.0.1", "10.0.0.1, 10.0.0.2", "10.0.0.1" },
    /* garbage stops the walk at the last hop believed */
    { "127.0.0.1", "198.51.100.7, nonsense", "127.0.0.1" },
    { "127.0.0.1", "nonsense, 10.0.0.9", "10.0.0.9" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (trusted->len, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *client = baton_proxies_client_address (trusted, cases[i].peer,
                                                              cases[i].forwarded_for);

      g_assert_cmpstr (client, ==, cases[i].client);
    }
  /* Nothing trusted: the header is never read. */
  {
    g_autofree char *client = baton_proxies_client_address (none, "127.0.0.1", "198.51.100.7");

    g_assert_cmpstr (client, ==, "127.0.0.1");
  }
  bad = baton_proxies_parse ("127.0.0.1, proxy.example.com", &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static struct {
  GPtrArray *order;
  guint done;
  guint refused;
} checks;

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean matches = baton_auth_verify_password_finish (result, &error);

  checks.done++;
  if (g_error_matches (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE))
    {
      checks.refused++;
      return;
    }
  g_assert_no_error (error);
  g_assert_true (matches == (GPOINTER_TO_UINT (user_data) % 2 == 0));
  g_ptr_array_add (checks.order, user_data);
}

/* One check at a time, two waiting: the rest are refused; those let in run in order. */
static void
test_bounded (void)
{
  g_autofree char *hash = baton_auth_hash_password (PASSWORD);
  GMainContext *context = g_main_context_default ();

  checks.order = g_ptr_array_new ();
  baton_auth_set_limits (1, 2);
  for (guint i = 0; i < 5; i++)
    {
      /* even: the right password */
      baton_auth_verify_password_async (hash, i % 2 == 0 ? PASSWORD : "wrong", checked_cb,
                                        GUINT_TO_POINTER (i));
      g_assert_cmpuint (baton_auth_get_in_flight (), ==, 1);
      g_assert_cmpuint (baton_auth_get_queued (), ==, MIN (i, 2));
    }
  g_assert_cmpuint (baton_auth_retry_after (), >=, 1);
  while (checks.done < 5)
    g_main_context_iteration (context, TRUE);
  g_assert_cmpuint (checks.refused, ==, 2);
  g_assert_cmpuint (checks.order->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (checks.order->pdata[i]), ==, i);
  g_assert_cmpuint (baton_auth_get_in_flight (), ==, 0);
  g_assert_cmpuint (baton_auth_get_queued (), ==, 0);
  g_ptr_array_unref (checks.order);
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
  g_test_add_func ("/auth/proxies", test_proxies);
  g_test_add_func ("/auth/bounded", test_bounded);

  return g_test_run ();
}
