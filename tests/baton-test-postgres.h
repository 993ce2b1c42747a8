/* baton-test-postgres.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A throwaway PostgreSQL 15 cluster for the tests (SCALE-OUT.md): its own directory under
 * the temporary one, a Unix socket there and no TCP port, no fsync. It is started once per
 * test program, on first use, and stopped and removed once the program has ended. PostgreSQL's binaries are
 * looked for in BATON_TEST_PGBIN, else /usr/lib/postgresql/15/bin. initdb refuses root: as
 * root the cluster runs as nobody. */

/* Whether PostgreSQL's binaries are installed. */
gboolean  baton_test_postgres_available (void);
/* Whether the tests run on PostgreSQL (BATON_TEST_STORE=postgresql): then, where its
 * binaries are not installed, the whole program is skipped (exit 77). */
gboolean  baton_test_postgres_wanted    (void);
/* A new empty database in the cluster (started if need be), as a libpq URL; NULL with
 * error when the cluster cannot be started. template: a database to copy, or NULL;
 * name, when not NULL, is set to the new database's name. */
char     *baton_test_postgres_new_database (const char  *template,
                                            char       **name,
                                            GError     **error);
/* Before the cluster starts: whether it keeps PostgreSQL's defaults (fsync, synchronous
 * commits, full pages written), as a benchmark wants, rather than the tests' speed. */
void      baton_test_postgres_set_durable (gboolean durable_cluster);
/* Instead of the throwaway cluster, an existing server (a libpq URL whose role may create
 * databases): each new database is made there, named baton_bench_PID_N. Before the first. */
void      baton_test_postgres_use_server  (const char *url);
/* Drops the databases made on that server (their clients stopped or not). */
void      baton_test_postgres_drop_databases (void);
/* Stops the cluster as a crash would (immediate: what its log buffers held is lost), then
 * starts it again; its databases recover from their log. */
gboolean  baton_test_postgres_crash     (GError    **error);
/* The directory of the cluster's socket, NULL before it started. */
const char *baton_test_postgres_socket_dir (void);

G_END_DECLS
