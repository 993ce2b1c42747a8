/* whatsapp-corpus.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Values the WhatsApp corpus (tests/fixtures/whatsapp, its README the contract) was made
 * with, for the tests and fuzz targets that replay it. */

/* The app secret every corpus file is signed with (SIGNATURES.tsv). */
#define APP_SECRET "corpus_app_secret_5f2c9a"
/* The phone_number_id of the corpus's first business number. */
#define NUMBER_A "389104726650318"

/* The wamids of the outbound messages the corpus's statuses and replies name. */
#define OUT1 "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSNjJEMUE5Nzg4NjFDODYzRTAxAA=="
#define OUT2 "wamid.HBgLMTIwMjU1NTAxNDMVAgARGBJBREI2MDVGREM0Q0MxODQ0NUQA"
#define OUT3 "wamid.HBgLNjE0OTE1NzAxNTYVAgARGBJCQjI3RDcyMzkzNzM4RkVBNTEA"
#define OUT4 "wamid.HBgLMTIwNjU1NTAxNzcVAgARGBJEMTRFNTcxOEU2NkJFNzM2OTMA"
#define OUT5 "wamid.HBgLNjE0OTE1NzAxNTYVAgARGBIwRTQxRTc5MTY5MkM1ODZDQTcA"
#define OUT6 "wamid.HBgLMTIwMjU1NTAxODgVAgARGBIyQzhEQzM4MkFCODE1QkI4QzEA"
