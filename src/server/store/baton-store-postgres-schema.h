/* baton-store-postgres-schema.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The PostgreSQL schema, migration by migration: the same versions as the SQLite
 * backend's, element i brings a database from version i to i + 1. */
extern const char *const baton_store_postgres_migrations[];
extern const guint baton_store_postgres_n_migrations;
/* the statements that build the search index of the contacts and messages there are (its
 * tables empty), NULL-terminated */
extern const char *const baton_store_postgres_search_build[];

G_END_DECLS
