/* baton-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-auth"

#include "config.h"

#include <sodium.h>

#include "baton-auth.h"

gboolean
baton_auth_init (void)
{
  return sodium_init () >= 0;
}

/* Argon2id with libsodium's interactive limits: about a tenth of a second and 64 MiB. */
char *
baton_auth_hash_password (const char *password)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str_alg (hash, password, strlen (password),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    return NULL;
  return g_strdup (hash);
}

gboolean
baton_auth_verify_password (const char *hash,
                            const char *password)
{
  if (hash == NULL || password == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/* 32 random bytes, base64url without padding: the tokens and channel secrets. */
char *
baton_auth_new_secret (void)
{
  guchar bytes[32];
  char encoded[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (encoded, sizeof encoded, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (encoded);
}

/* Secrets are stored as their SHA-256, so a copy of the database grants nothing. */
char *
baton_auth_hash_secret (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

gboolean
baton_auth_secret_matches (const char *hash,
                           const char *secret)
{
  g_autofree char *computed = NULL;

  if (hash == NULL || secret == NULL)
    return FALSE;
  computed = baton_auth_hash_secret (secret);
  if (strlen (computed) != strlen (hash))
    return FALSE;
  return sodium_memcmp (computed, hash, strlen (hash)) == 0;
}
