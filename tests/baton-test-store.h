/* baton-test-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* A migrated store for the store unit tests: SQLite in a temporary directory of its own, or
 * with BATON_TEST_STORE=postgresql a database of its own in a throwaway PostgreSQL cluster
 * (baton-test-postgres.h). */
typedef struct {
  char *dir;
  BatonStore *store;
} BatonTestStore;

gboolean baton_test_store_is_postgres (void);
void baton_test_store_setup    (BatonTestStore *fixture,
                                gconstpointer   data);
void baton_test_store_teardown (BatonTestStore *fixture,
                                gconstpointer   data);
/* runs a statement the test needs and asserts it worked */
void baton_test_store_exec     (BatonTestStore *fixture,
                                const char     *sql);

/* a WhatsApp channel chn_1, a contact ctc_1 (wa_id 331) and its conversation cnv_1 there */
void baton_test_store_add_thread (BatonTestStore *fixture);

#define baton_test_store_add(path, func) \
  g_test_add ((path), BatonTestStore, NULL, baton_test_store_setup, (func), \
              baton_test_store_teardown)

G_END_DECLS
