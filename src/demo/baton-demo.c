/* baton-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-demo"

#include "config.h"

#include "baton-auth.h"
#include "baton-demo.h"
#include "baton-demo-history.h"
#include "baton-error.h"
#include "baton-json.h"
#include "baton-whatsapp-channel.h"
#include "baton-workspace.h"

/* The demo workspace of "Rouleur", an online shop for bikes with repair workshops in London
 * and Lyon, whose customers write in English and French. Everything is made through the
 * domain operations, with the workspace's clock set to the moment each step happens, so the
 * threads, activity lines, versions and events look as if the team had really worked them. */

#define MINUTE_MS ((gint64) 60 * 1000)
#define WHATSAPP_CHANNEL_NAME "Rouleur WhatsApp"
#define HOUR 60
#define DAY (24 * 60)

/* Agents: logins[] below, in this order (baton-demo-history.h's). */
enum { MAYA = BATON_DEMO_MAYA, LEA = BATON_DEMO_LEA, TOM = BATON_DEMO_TOM,
       SOFIA = BATON_DEMO_SOFIA, JULIEN = BATON_DEMO_JULIEN, HANNAH = BATON_DEMO_HANNAH,
       N_AGENTS = BATON_DEMO_N_AGENTS };

static const BatonDemoLogin logins[N_AGENTS] = {
  { "Maya Okafor", "maya@demo.baton.chat", "demo-manager", "manager" },
  { "Léa Martin", "lea@demo.baton.chat", "demo-agent", "agent" },
  { "Tom Becker", "tom@demo.baton.chat", "demo-agent", "agent" },
  { "Sofia Rossi", "sofia@demo.baton.chat", "demo-agent", "agent" },
  { "Julien Moreau", "julien@demo.baton.chat", "demo-agent", "agent" },
  { "Hannah Price", "hannah@demo.baton.chat", "demo-agent", "agent" },
};

enum { TEAM_NONE = -1, TEAM_KEEP = -2, SUPPORT = 0, SALES, VIP_DESK, NIGHT, N_TEAMS };

typedef struct {
  const char *name;
  BatonStrategy strategy;
  int members[4];
  /* for the default_user strategy; -1: nobody */
  int default_user;
  int backup_user;
  gboolean only_online;
  int reassign_after_minutes;  /* 0: off */
} DemoTeam;

/* One team per strategy, and more: Support hands a chat on when its agent stays silent for a
 * quarter of an hour; the VIP desk and the night crew take conversations even when nobody is
 * signed in, so that the routing flows below show at once. */
static const DemoTeam teams[N_TEAMS] = {
  { "Support", BATON_STRATEGY_ROUND_ROBIN, { LEA, TOM, SOFIA, -1 }, -1, -1, TRUE, 15 },
  { "Sales", BATON_STRATEGY_LEAST_BUSY, { JULIEN, HANNAH, -1 }, -1, -1, TRUE, 0 },
  { "VIP desk", BATON_STRATEGY_DEFAULT_USER, { TOM, LEA, -1 }, TOM, LEA, FALSE, 0 },
  { "Night", BATON_STRATEGY_ROUND_ROBIN, { SOFIA, JULIEN, -1 }, -1, -1, FALSE, 0 },
};

/* Canned replies: the shop's, which Maya wrote, and a few agents' own (typed after "/"). */
static const struct {
  int owner;  /* -1: the workspace's */
  const char *shortcut;
  const char *title;
  const char *body;
} canned_replies[] = {
  { -1, "greet", "Greeting",
    "Hello {{contact.name}}, this is {{agent.name}} from Rouleur Bikes. How can I help?" },
  { -1, "hours", "Opening hours",
    "We are open Monday to Friday 9:00–18:00 and Saturday 10:00–14:00 (London time)." },
  { -1, "repair", "Repair booking",
    "You can book a repair slot at rouleur.example/repair; a standard service takes two "
    "working days." },
  { -1, "thanks", "Thanks and goodbye",
    "Thank you {{contact.name}}! Have a great ride." },
  { LEA, "bonjour", "Bonjour",
    "Bonjour {{contact.name}}, c’est {{agent.name}} de Rouleur Bikes. Que puis-je faire pour "
    "vous ?" },
  { JULIEN, "quote", "Quote follows",
    "Thanks {{contact.name}}, I am preparing your quote and will send it within the hour." },
};

/* Phone numbers are in the ranges reserved for fiction (Ofcom's 07700 900xxx, ARCEP's
 * 06 39 98 xx xx, NANP's 555-01xx) or made up. */
enum {
  OLIVIA, JAMES, PRIYA, DANIEL, EMILY, MARCUS, SOPHIE, LIAM, GRACE, ETHAN,
  CHLOE, OLIVER, AMELIA, NOAH, ISLA, JACK, RUBY, HARRY, MIA, LUCAS,
  CAMILLE, ANTOINE, MANON, NICOLAS, CHLOE_L, HUGO, INES, THOMAS, ELODIE, MATHIEU,
  N_CONTACTS
};

typedef struct {
  const char *name;
  const char *phone;
  const char *tags;
  const char *company;
  const char *plan;
  int owner;
} DemoContact;

static const DemoContact contacts[N_CONTACTS] = {
  [OLIVIA] = { "Olivia Bennett", "+447700900123", "vip", NULL, "Care+", TOM },
  [JAMES] = { "James Whitaker", "+447700900456", "wholesale", "Whitaker Cycle Hire", NULL, HANNAH },
  [PRIYA] = { "Priya Shah", "+447700900218", NULL, NULL, NULL, -1 },
  [DANIEL] = { "Daniel O'Connor", "+353871234567", NULL, NULL, NULL, -1 },
  [EMILY] = { "Emily Carter", "+447700900789", NULL, NULL, NULL, -1 },
  [MARCUS] = { "Marcus Reid", "+447700900334", "wholesale", "Reid Couriers", NULL, HANNAH },
  [SOPHIE] = { "Sophie Hughes", "+447700900541", NULL, NULL, NULL, -1 },
  [LIAM] = { "Liam Patel", "+447700900602", NULL, NULL, NULL, -1 },
  [GRACE] = { "Grace Robinson", "+447700900915", NULL, NULL, "Care+", -1 },
  [ETHAN] = { "Ethan Clarke", "+447700900377", NULL, NULL, NULL, -1 },
  [CHLOE] = { "Chloe Evans", "+447700900268", NULL, NULL, NULL, -1 },
  [OLIVER] = { "Oliver Grant", "+447700900483", "club", "Peak District Riders", NULL, -1 },
  [AMELIA] = { "Amelia Brooks", "+447700900736", NULL, NULL, NULL, -1 },
  [NOAH] = { "Noah Fisher", "+14155550132", NULL, NULL, NULL, -1 },
  [ISLA] = { "Isla Campbell", "+447700900190", NULL, NULL, NULL, -1 },
  [JACK] = { "Jack Morrison", "+447700900806", NULL, NULL, NULL, -1 },
  [RUBY] = { "Ruby Ahmed", "+447700900274", NULL, NULL, NULL, -1 },
  [HARRY] = { "Harry Collins", "+447700900618", NULL, NULL, "Care+", -1 },
  [MIA] = { "Mia Thompson", "+447700900093", NULL, NULL, NULL, -1 },
  [LUCAS] = { "Lucas Wright", "+447700900412", "wholesale", "Wright Hotels", NULL, -1 },
  [CAMILLE] = { "Camille Dubois", "+33639981234", "vip", NULL, "Care+", LEA },
  [ANTOINE] = { "Antoine Lefèvre", "+33639987182", "wholesale", "Vélos Lefèvre Location", NULL, JULIEN },
  [MANON] = { "Manon Girard", "+33639982245", NULL, NULL, NULL, -1 },
  [NICOLAS] = { "Nicolas Fournier", "+33639981877", NULL, NULL, NULL, -1 },
  [CHLOE_L] = { "Chloé Lambert", "+33639988765", NULL, NULL, NULL, -1 },
  [HUGO] = { "Hugo Bernard", "+33639983120", NULL, NULL, NULL, -1 },
  [INES] = { "Inès Mercier", "+33639984012", NULL, NULL, NULL, -1 },
  [THOMAS] = { "Thomas Roux", "+33639989054", "wholesale", "Roux Coursiers", NULL, JULIEN },
  [ELODIE] = { "Élodie Faure", "+32470123456", NULL, NULL, NULL, -1 },
  [MATHIEU] = { "Mathieu Garnier", "+41791234567", "supplier", "Garnier Sacoches", NULL, -1 },
};

typedef enum {
  STEP_START,
  STEP_CUSTOMER,
  STEP_REPLY,
  STEP_NOTE,
  STEP_CLAIM,
  STEP_ASSIGN,
  STEP_TEAM,
  STEP_UNASSIGN,
  STEP_RESOLVE,
  STEP_TAGS,
} StepKind;

typedef struct {
  StepKind kind;
  int actor;
  int target;   /* START: the contact; ASSIGN: the agent who gets it */
  int team;     /* ASSIGN, TEAM: a team, TEAM_NONE or TEAM_KEEP */
  int minutes;  /* START: how long ago the thread starts; others: after the previous step */
  const char *text;
} Step;

#define START(contact, ago) { STEP_START, 0, contact, 0, ago, NULL }
#define SAY(after, text) { STEP_CUSTOMER, 0, 0, 0, after, text }
#define REPLY(actor, after, text) { STEP_REPLY, actor, 0, 0, after, text }
#define NOTE(actor, after, text) { STEP_NOTE, actor, 0, 0, after, text }
#define CLAIM(actor, after) { STEP_CLAIM, actor, 0, 0, after, NULL }
#define ASSIGN(actor, agent, team, after) { STEP_ASSIGN, actor, agent, team, after, NULL }
#define MOVE(actor, team, after) { STEP_TEAM, actor, 0, team, after, NULL }
#define UNASSIGN(actor, after) { STEP_UNASSIGN, actor, 0, 0, after, NULL }
#define RESOLVE(actor, after) { STEP_RESOLVE, actor, 0, 0, after, NULL }
#define TAGS(text) { STEP_TAGS, 0, 0, 0, 0, text }

/* One thread per contact and channel: a contact's earlier threads are resolved before the
 * next one starts. The order here does not matter; steps are played in time order. */
static const Step script[] = {
  /* Olivia Bennett: a Care+ member whose owner is Tom */
  START (OLIVIA, 5 * DAY + 7 * HOUR),
  SAY (0, "Hi! I'd like to book my Care+ service for the Roadster 7. Any slot next week?"),
  REPLY (TOM, 12, "Hi Olivia, of course! We have Tuesday 9:00 or Thursday 14:00 at the London workshop. Which suits you?"),
  SAY (20, "Thursday 14:00 please"),
  REPLY (TOM, 4, "Booked ✅ Thursday 14:00. As a Care+ member the service and new brake pads are included. See you then!"),
  SAY (6, "Brilliant, thanks Tom"),
  RESOLVE (TOM, 2),
  TAGS ("repair,booking"),

  START (OLIVIA, 3 * HOUR),
  SAY (0, "Hi Tom, picked up the bike yesterday and it rides beautifully. But the rear light you fitted isn't charging over USB."),
  REPLY (TOM, 6, "Sorry to hear that! Does the little LED turn red at all when you plug it in?"),
  SAY (9, "No, nothing at all. I tried two different cables."),
  NOTE (TOM, 3, "Same faulty batch of Lumo R2 lights as last week's tickets. Replacing it under warranty."),
  REPLY (TOM, 2, "Thanks for checking. It's a known fault on that batch, so we'll swap it for free. Shall I post a new one, or would you rather pop in?"),
  SAY (25, "Posting would be great, I'm not near the shop this week."),
  REPLY (TOM, 4, "Done: a new light goes out today by Royal Mail, tracking to follow by email. Send the old one back with the prepaid label whenever you like."),
  TAGS ("warranty"),

  /* James Whitaker: a cycle hire business, Hannah's key account */
  START (JAMES, 6 * DAY + 2 * HOUR),
  SAY (0, "Hello, I run a cycle hire business in Brighton. Do you offer trade prices for 10+ city bikes?"),
  REPLY (TOM, 8, "Hi James, thanks for getting in touch! Trade orders are handled by our Sales team, I'm passing you over to Hannah."),
  ASSIGN (TOM, HANNAH, SALES, 1),
  REPLY (HANNAH, 20, "Hi James, Hannah from Sales here. For 10+ Urban 3 bikes we can do 18% off list price, and 22% from 25 units. I'm emailing you our trade price sheet now."),
  SAY (60, "Perfect, got it. We'll start with 12 for the season, I'll send the PO this week."),
  REPLY (HANNAH, 5, "Great! I've set your account up as a trade customer. Speak soon."),
  RESOLVE (HANNAH, 1),
  TAGS ("wholesale,quote"),

  START (JAMES, 40),
  SAY (0, "Hi Hannah, the 12 bikes arrived, thanks! Could we add 6 more Urban 3 in size M and 4 child seats before the bank holiday weekend?"),
  SAY (2, "Also, we need the invoice with our VAT number on it: GB 123 4567 89"),

  /* Priya Shah */
  START (PRIYA, 4 * DAY + 3 * HOUR),
  SAY (0, "Hi, my order RL-20481 was supposed to arrive yesterday but the tracking hasn't moved since Monday."),
  REPLY (SOFIA, 15, "Hi Priya, sorry about that! I've checked with DPD: the parcel was held at their Leeds depot. It's out for delivery today."),
  SAY (180, "It's here, thanks!"),
  REPLY (SOFIA, 3, "Great, enjoy the ride! 🚲"),
  RESOLVE (SOFIA, 1),
  TAGS ("order,delivery"),

  START (PRIYA, 5 * HOUR),
  SAY (0, "Hello again! I'm 1.68 m tall, would a size S or M Gravel 500 fit me better?"),
  REPLY (SOFIA, 12, "Hi Priya! At 1.68 m you're right between the two. What's your inseam, roughly?"),
  SAY (20, "About 77 cm"),
  REPLY (SOFIA, 5, "Then S is the better fit: more standover clearance and a more relaxed position. The M would feel stretched on long rides."),
  SAY (8, "Ok, and can I return it if it doesn't fit?"),
  REPLY (SOFIA, 3, "Yes, 30 days free returns as long as it hasn't been ridden outdoors 🙂"),
  TAGS ("sizing"),

  /* Daniel O'Connor, in Ireland */
  START (DANIEL, 3 * DAY + 5 * HOUR),
  SAY (0, "Do you ship bikes to Ireland? And how much is it?"),
  REPLY (TOM, 30, "Hi Daniel, we do! Complete bikes to Ireland are €35 and take 3–5 working days."),
  SAY (10, "Grand, thanks."),
  RESOLVE (TOM, 5),
  TAGS ("delivery"),

  START (DANIEL, 25),
  SAY (0, "Hi, I ordered the E-City 2 on Friday (RL-20877). Will the charger have an Irish plug or a UK one?"),

  /* Emily Carter */
  START (EMILY, 5 * DAY + 4 * HOUR),
  SAY (0, "Hi, I returned a helmet (order RL-19950) two weeks ago and I still haven't seen the refund."),
  REPLY (SOFIA, 40, "Hi Emily, I can see the return arrived on the 3rd; the refund was held up by a stock check, sorry! I've just pushed it through: £64.99 back on your card within 3–5 days."),
  SAY (15, "Thank you!"),
  RESOLVE (SOFIA, 2),
  TAGS ("refund"),

  START (EMILY, 26 * HOUR),
  SAY (0, "Hello, the cycling shoes I got are a size too small. Can I swap them for a 40?"),
  REPLY (TOM, 18, "Hi Emily! Sure, the 40 is in stock. I'll email you a prepaid return label, and we'll send the 40 as soon as your parcel is scanned."),
  SAY (45, "Amazing, thanks. Do I need the original box?"),
  REPLY (TOM, 5, "Ideally yes, but any sturdy box is fine."),
  SAY (16 * HOUR, "Dropped them off at the post office this morning 👍"),
  TAGS ("exchange"),

  /* Marcus Reid: a courier company, Hannah's key account */
  START (MARCUS, 6 * DAY + 5 * HOUR),
  SAY (0, "Hi, we're a courier company in Manchester looking at cargo bikes for our riders. Do you do fleet deals?"),
  CLAIM (HANNAH, 14),
  MOVE (HANNAH, SALES, 1),
  REPLY (HANNAH, 3, "Hi Marcus, yes! For fleets of 5+ Carga Pro we offer 15% off, with workshop servicing included for the first year. How many riders do you have?"),
  SAY (35, "8 riders to start, possibly 15 by the summer."),
  REPLY (HANNAH, 10, "Great. I'll put together a quote for 8, with an option for 7 more at the same price until August."),
  SAY (20, "Sounds good, send it over."),
  RESOLVE (HANNAH, 30),
  TAGS ("wholesale,quote"),

  START (MARCUS, 20 * HOUR),
  SAY (0, "Hi Hannah, the quote is approved by our director 🎉 What's the lead time for 8 Carga Pro?"),
  REPLY (HANNAH, 10, "Fantastic news! All 8 are in stock at our warehouse, so we can deliver in 10 working days. Would you like the rain cover kit with them?"),
  SAY (30, "Yes please, and could you put our logo on the cargo boxes?"),
  NOTE (HANNAH, 5, "Logo printing on cargo boxes: minimum quantity? @Julien you did this for Roux Coursiers."),
  NOTE (JULIEN, 15, "Yes, the supplier prints logos from 5 boxes, +45 € a box and 3 more weeks."),
  REPLY (HANNAH, 10, "Logo printing is possible: +£39 per box and 3 extra weeks. Shall I add it to the order, or deliver the bikes now and the branded boxes later?"),
  TAGS ("wholesale,order"),

  /* Sophie Hughes */
  START (SOPHIE, 2 * DAY + 6 * HOUR),
  SAY (0, "Hi! What size of kids bike for a 6 year old, about 115 cm tall?"),
  REPLY (TOM, 20, "Hi Sophie! At 115 cm a 20\" wheel is ideal; the Pip 20 is very popular at that age."),
  SAY (10, "Lovely, does it come with stabilisers?"),
  REPLY (TOM, 4, "It doesn't, but they're £14.99 and fit in 5 minutes. Shall I add them if you order today?"),
  SAY (25, "Just ordered it with the stabilisers, thanks!"),
  RESOLVE (TOM, 3),
  TAGS ("sizing"),

  START (SOPHIE, 65),
  SAY (0, "Hi, the Pip 20 arrived but the pedals are missing from the box 😕 Order RL-21034"),

  /* Liam Patel */
  START (LIAM, 4 * DAY + 8 * HOUR),
  SAY (0, "Is the Gravel 500 compatible with 45 mm tyres?"),
  REPLY (SOFIA, 25, "Hi Liam! Yes, clearance goes up to 45 mm with 700c wheels, or 2.1\" with 650b."),
  SAY (5, "Cool, thanks"),
  RESOLVE (SOFIA, 2),
  TAGS ("product"),

  START (LIAM, 7 * HOUR),
  SAY (0, "Hey, I'd like to book a full service for my Gravel 500 before a bikepacking trip on the 20th."),
  REPLY (TOM, 20, "Hi Liam! A full service takes 2 days. We can take it on Monday and have it ready on Wednesday. Would that work?"),
  SAY (15, "Monday works. Could you also fit a dynamo hub while it's in?"),
  REPLY (TOM, 10, "Yes, we have the SON 28 in stock. Wheel build and fitting come to £260 on top of the service. Shall I book both?"),
  SAY (40, "Let me think about the dynamo, I'll confirm tomorrow. Please book the service anyway."),
  REPLY (TOM, 5, "Booked for Monday 9:00 ✅"),
  TAGS ("repair,booking"),

  /* Grace Robinson: a Care+ member whose resolved thread reopened */
  START (GRACE, 5 * DAY + 2 * HOUR),
  SAY (0, "Hi, my Care+ plan renews next month. Can I switch to monthly payments?"),
  REPLY (SOFIA, 30, "Hi Grace! Yes, it's £8.50 a month instead of £89 a year. I've switched it for you from the next renewal."),
  SAY (10, "Thanks so much"),
  RESOLVE (SOFIA, 2),
  TAGS ("care-plus"),

  START (GRACE, 29 * HOUR),
  SAY (0, "Hello, my e-bike battery shows 5 bars but dies after 10 km."),
  REPLY (TOM, 15, "Hi Grace, that sounds like a cell imbalance. Could you bring it in? With Care+ the diagnosis is free."),
  SAY (10, "Ok, I'll drop it off tomorrow morning"),
  REPLY (TOM, 20 * HOUR, "Battery checked: one cell pack was faulty and has been replaced under warranty. Your bike is ready for collection!"),
  SAY (90, "Collected, thanks!"),
  RESOLVE (TOM, 5),
  SAY (2 * HOUR, "Sorry, now the display shows error E07 😩"),
  REPLY (TOM, 10, "Oh no! E07 is usually the display connector after a battery swap. It's a 2-minute fix, could you pop in again?"),
  SAY (12, "Will come by at lunch."),
  TAGS ("battery,warranty"),

  /* Ethan Clarke */
  START (ETHAN, 3 * DAY + 2 * HOUR),
  SAY (0, "Hi, my bike was stolen 😢 Could you send me a copy of the invoice for the insurance? I bought it in March."),
  REPLY (SOFIA, 20, "So sorry to hear that, Ethan. I've emailed you the invoice for order RL-17302. Good luck with the claim."),
  SAY (15, "Got it, thanks"),
  RESOLVE (SOFIA, 2),
  TAGS ("invoice"),

  START (ETHAN, 9 * HOUR),
  SAY (0, "The insurance paid out 👍 Is there any discount if I buy the same bike again?"),
  REPLY (TOM, 15, "Glad it worked out! Let me check with my manager."),
  NOTE (TOM, 1, "Returning customer after a theft: can we do 10%?"),
  NOTE (MAYA, 20, "Yes: 10% and a free D-lock, code COMEBACK10."),
  REPLY (TOM, 3, "Good news: you get 10% off and a free D-lock with the code COMEBACK10 😊"),
  SAY (12, "That's really kind, ordering now!"),
  TAGS ("order"),

  /* Chloe Evans */
  START (CHLOE, 6 * DAY + 1 * HOUR),
  SAY (0, "What time does the London shop open on Saturday?"),
  REPLY (TOM, 10, "Hi Chloe, 9:00 to 18:00 on Saturdays."),
  RESOLVE (TOM, 1),

  START (CHLOE, 12),
  SAY (0, "Hi, I'd like to order the Urban 3 in green but it says out of stock. Any idea when it's back?"),

  /* Oliver Grant: a cycling club */
  START (OLIVER, 5 * DAY + 6 * HOUR),
  SAY (0, "Hi, I'm the treasurer of Peak District Riders (40 members). Do you have a club discount?"),
  REPLY (SOFIA, 10, "Hi Oliver! Clubs are looked after by our Sales team, I'm passing you over."),
  ASSIGN (SOFIA, HANNAH, SALES, 1),
  REPLY (HANNAH, 30, "Hi Oliver, clubs get 10% on parts and clothing, with a code for each member. I'll email you the agreement."),
  SAY (20, "Great, thanks Hannah"),
  RESOLVE (HANNAH, 2),
  TAGS ("club,quote"),

  START (OLIVER, 2 * HOUR),
  SAY (0, "Hi, we'd like to order 40 club jerseys with our logo. Do you do custom kit?"),
  MOVE (SOFIA, SALES, 8),
  NOTE (SOFIA, 1, "Custom kit for a club: one of you in Sales please pick this up."),
  TAGS ("club,quote"),

  /* Amelia Brooks */
  START (AMELIA, 4 * DAY + 4 * HOUR),
  SAY (0, "Can I buy a gift card online?"),
  REPLY (SOFIA, 15, "Yes! Gift cards from £20 to £500 are on the website under Gifts, and they're sent by email instantly."),
  SAY (5, "Perfect"),
  RESOLVE (SOFIA, 1),

  START (AMELIA, 30 * HOUR),
  SAY (0, "Hi, I bought a £100 gift card for my dad yesterday but the email never arrived."),
  REPLY (TOM, 10, "Hi Amelia! It was sent to the address on your order; maybe it went to spam? I've just resent it."),
  SAY (8, "Found it in spam, sorry! Thanks"),
  REPLY (TOM, 2, "No problem, enjoy!"),
  RESOLVE (TOM, 1),
  TAGS ("gift-card"),

  /* Noah Fisher, visiting from the US */
  START (NOAH, 4 * HOUR),
  SAY (0, "Hi there, I'm visiting London next month. Do you rent bikes for a week?"),
  REPLY (SOFIA, 18, "Hi Noah! We don't rent bikes ourselves, but we sell refurbished city bikes from £249 and buy them back at 50% when you leave."),
  SAY (10, "The buy-back sounds interesting. How does it work?"),
  REPLY (SOFIA, 4, "You buy the bike, ride it during your stay, and bring it back within 60 days in good shape: we refund half the price. Shall I reserve one?"),
  SAY (15, "Yes! I'm 1.85 m and I arrive on the 14th."),
  TAGS ("buyback"),

  /* Isla Campbell */
  START (ISLA, 3 * DAY + 7 * HOUR),
  SAY (0, "My new mudguards arrived bent 😞 RL-20655"),
  REPLY (TOM, 20, "Sorry Isla! Could you send us a photo? We'll ship new ones straight away."),
  SAY (15, "Just sent it by email"),
  REPLY (TOM, 10, "Got it, the replacements go out today. No need to return the bent ones."),
  RESOLVE (TOM, 1),
  TAGS ("damaged,order"),

  START (ISLA, 3 * HOUR),
  SAY (0, "Hi, do you do bike fitting sessions? I get knee pain after 30 km."),
  ASSIGN (MAYA, SOFIA, TEAM_KEEP, 20),
  NOTE (MAYA, 1, "Sofia, you did the bike fitting course: can you take this one?"),
  TAGS ("bike-fit"),

  /* Jack Morrison: two earlier threads */
  START (JACK, 6 * DAY + 3 * HOUR),
  SAY (0, "Do you price match?"),
  REPLY (SOFIA, 20, "Hi Jack, we don't price match, but first orders get 10% off with the code WELCOME10."),
  SAY (5, "Ok thanks"),
  RESOLVE (SOFIA, 1),

  START (JACK, 4 * DAY + 1 * HOUR),
  SAY (0, "Hi, I used WELCOME10 but it says the code is invalid?"),
  REPLY (TOM, 12, "Hi Jack, the code only works on full-price items, and the helmet in your basket is already on sale. Sorry!"),
  SAY (6, "Ah ok, makes sense"),
  RESOLVE (TOM, 2),
  TAGS ("promo"),

  START (JACK, 2 * HOUR),
  SAY (0, "Hello, my chain keeps slipping on the smallest cog since I changed the rear wheel."),
  REPLY (TOM, 10, "Hi Jack! It sounds like the derailleur's limit screw needs adjusting for the new wheel. Want to try it yourself? I can send you a video."),
  SAY (5, "Yes please send the video"),
  REPLY (TOM, 3, "Here you go: rouleur.example/fix/limit-screws. Turn the H screw a quarter turn anticlockwise at a time."),
  SAY (25, "Fixed it!! You're a legend"),
  REPLY (TOM, 2, "Happy riding 😄"),
  TAGS ("repair"),

  /* Ruby Ahmed */
  START (RUBY, 5 * DAY + 3 * HOUR),
  SAY (0, "Hi, do you have women's saddles? My current one is really uncomfortable."),
  REPLY (SOFIA, 25, "Hi Ruby! Yes, we have the Selle Italia Lady and the Brooks B17 S. We can also measure your sit bones in the shop to find the right width."),
  SAY (10, "Great, I'll order the Selle Italia"),
  RESOLVE (SOFIA, 2),
  TAGS ("product"),

  START (RUBY, 50),
  SAY (0, "Hi, I'd like to return the saddle I bought 3 weeks ago, it's not comfortable at all."),
  SAY (1, "I've only used it twice."),

  /* Harry Collins */
  START (HARRY, 2 * DAY + 4 * HOUR),
  SAY (0, "Hi, is the workshop open on bank holidays?"),
  REPLY (TOM, 30, "Hi Harry, we're closed on bank holidays but open the Saturday before."),
  RESOLVE (TOM, 1),

  START (HARRY, 22 * HOUR),
  SAY (0, "My E-City 2 motor makes a clicking noise when I pedal hard uphill."),
  REPLY (SOFIA, 15, "Hi Harry! Is it a click once per pedal turn, or constant?"),
  SAY (20, "Once per turn, I think"),
  REPLY (SOFIA, 5, "Then it's most likely the bottom bracket or a pedal, not the motor. Try tightening the pedals first; if it persists, bring it in, it's covered by the 2-year warranty."),
  SAY (3 * HOUR, "Tightened the pedals, still clicking"),
  NOTE (SOFIA, 10, "Could be the crank arm bolt. Booking him in for a warranty check."),
  REPLY (SOFIA, 2, "Thanks for trying. Let's book a warranty check: Thursday 10:00 or Friday 15:00?"),
  TAGS ("warranty,repair,e-bike"),

  /* Mia Thompson */
  START (MIA, 6 * DAY + 6 * HOUR),
  SAY (0, "Hi, do you have a student discount?"),
  REPLY (TOM, 30, "Hi Mia! Yes, 10% off with a valid student card, in the shop or online with your university email."),
  SAY (5, "Thanks!"),
  RESOLVE (TOM, 1),
  TAGS ("promo"),

  START (MIA, 5 * HOUR),
  SAY (0, "Hi! Do you have the Roadster 7 in size M at the London shop? I'd like to try it before buying."),

  /* Lucas Wright: a hotel group */
  START (LUCAS, 6 * DAY + 4 * HOUR),
  SAY (0, "Hello, we're a hotel group in the Cotswolds looking for 20 bikes for our guests."),
  REPLY (SOFIA, 15, "Hello Lucas, thanks for your message! I'm passing you to Hannah in our Sales team."),
  ASSIGN (SOFIA, HANNAH, SALES, 1),
  REPLY (HANNAH, 40, "Hi Lucas, I'll send you a proposal for 20 Urban 3 in your colours, with maintenance visits included."),
  SAY (30, "Thanks, looking forward to it"),
  RESOLVE (HANNAH, 1 * DAY),
  TAGS ("wholesale,quote"),

  START (LUCAS, 28 * HOUR),
  SAY (0, "Hi Hannah, our board liked the proposal. Could you do 24 bikes with 2 maintenance visits a year?"),
  ASSIGN (SOFIA, HANNAH, SALES, 10),
  REPLY (HANNAH, 25, "Hi Lucas, great to hear! 24 bikes with 2 visits a year come to £9,840 + VAT, delivered in 3 weeks. I'll send the updated quote today."),
  SAY (2 * HOUR, "Could you do £9,500?"),
  NOTE (HANNAH, 10, "Maya, ok to go down to £9,500 for 24 units? The margin is still 21%."),
  NOTE (MAYA, 40, "OK for £9,500 if they sign this month."),
  REPLY (HANNAH, 5, "We can do £9,500 + VAT if the order is confirmed by the end of the month 🙂"),
  TAGS ("wholesale,quote"),

  /* Camille Dubois : cliente Care+, suivie par Léa */
  START (CAMILLE, 5 * DAY + 5 * HOUR),
  SAY (0, "Bonjour, je voudrais réserver la révision Care+ de mon vélo électrique."),
  REPLY (LEA, 10, "Bonjour Camille ! Avec plaisir. Nous avons mardi à 10h ou jeudi à 16h à l'atelier de Lyon."),
  SAY (15, "Jeudi 16h, c'est parfait"),
  REPLY (LEA, 3, "C'est noté ✅ Jeudi 16h. À bientôt !"),
  RESOLVE (LEA, 1),
  TAGS ("repair,booking"),

  START (CAMILLE, 6 * HOUR),
  SAY (0, "Bonjour Léa, depuis la révision le frein arrière siffle."),
  REPLY (LEA, 10, "Bonjour Camille, désolée ! Ce sont souvent les plaquettes neuves qui doivent se roder. Vous avez fait combien de kilomètres depuis ?"),
  SAY (20, "Une cinquantaine"),
  REPLY (LEA, 5, "Normalement ça disparaît après 100 km. Sinon, repassez à l'atelier et on règle ça gratuitement."),
  SAY (10, "D'accord, merci beaucoup !"),
  TAGS ("repair"),

  /* Antoine Lefèvre : loueur de vélos à Annecy, compte de Julien */
  START (ANTOINE, 6 * DAY + 5 * HOUR),
  SAY (0, "Bonjour, je gère une location de vélos à Annecy. Vous faites des tarifs pros pour 15 VTC ?"),
  REPLY (LEA, 12, "Bonjour Antoine ! Je transmets votre demande à Julien, notre responsable des comptes pros."),
  ASSIGN (LEA, JULIEN, SALES, 1),
  REPLY (JULIEN, 30, "Bonjour Antoine, pour 15 Urban 3 je peux vous proposer -18 % sur le prix catalogue, livraison offerte. Je vous envoie le devis par e-mail."),
  SAY (45, "Merci, je regarde ça avec mon associé."),
  RESOLVE (JULIEN, 3 * HOUR),
  TAGS ("wholesale,quote"),

  START (ANTOINE, 3 * DAY + 4 * HOUR),
  SAY (0, "Bonjour Julien, devis validé ! On part sur 15 vélos, livrés sous trois semaines si possible."),
  REPLY (JULIEN, 20, "Excellente nouvelle ! Livraison confirmée dans 15 jours. Je vous envoie la facture d'acompte."),
  SAY (15, "Parfait, merci"),
  RESOLVE (JULIEN, 2),
  TAGS ("wholesale,order"),

  START (ANTOINE, 90),
  SAY (0, "Bonjour, les vélos sont bien arrivés, merci ! Petit souci : deux béquilles étaient cassées dans les cartons."),
  SAY (2, "Je vous envoie les photos par e-mail."),

  /* Manon Girard */
  START (MANON, 4 * DAY + 6 * HOUR),
  SAY (0, "Bonjour, ma commande RL-20512 est indiquée comme livrée mais je n'ai rien reçu."),
  REPLY (LEA, 15, "Bonjour Manon, je suis désolée. J'ouvre une enquête chez Colissimo et je reviens vers vous sous 48 h."),
  SAY (5, "D'accord, merci"),
  REPLY (LEA, 26 * HOUR, "Bonne nouvelle : le colis avait été déposé chez votre gardien. Vous pouvez le récupérer dès aujourd'hui."),
  SAY (2 * HOUR, "Je l'ai, merci beaucoup !"),
  RESOLVE (LEA, 5),
  TAGS ("order,delivery"),

  START (MANON, 35),
  SAY (0, "Bonjour, est-ce que vous reprenez les vieux vélos si j'en achète un neuf ?"),

  /* Nicolas Fournier */
  START (NICOLAS, 5 * DAY + 1 * HOUR),
  SAY (0, "Bonjour, je mesure 1,82 m, quelle taille me conseillez-vous pour le Gravel 500 ?"),
  REPLY (SOFIA, 20, "Bonjour Nicolas ! À 1,82 m, c'est un L. Avec un entrejambe de plus de 87 cm, le XL peut aussi convenir."),
  SAY (10, "Entrejambe 85, donc L. Merci !"),
  RESOLVE (SOFIA, 2),
  TAGS ("sizing"),

  START (NICOLAS, 8 * HOUR),
  SAY (0, "Bonjour, j'ai renvoyé le casque commandé par erreur (RL-20733). Quand serai-je remboursé ?"),
  REPLY (LEA, 12, "Bonjour Nicolas, le colis est arrivé hier à l'entrepôt. Le remboursement part sous 5 jours ouvrés après contrôle."),
  SAY (10, "D'accord, ce sera sur ma carte ?"),
  REPLY (LEA, 3, "Oui, sur la carte utilisée pour la commande."),
  SAY (3 * HOUR, "Il manque 4,90 € sur le remboursement, c'est normal ?"),
  NOTE (LEA, 15, "Frais de retour déduits alors que l'erreur de taille venait de nous ? Je vérifie avec Maya."),
  REPLY (LEA, 2, "Je vérifie avec ma responsable et je reviens vers vous aujourd'hui."),
  TAGS ("refund"),

  /* Chloé Lambert */
  START (CHLOE_L, 3 * HOUR),
  SAY (0, "Bonjour ! Je cherche un vélo pour aller au travail, 12 km par trajet avec une côte. Électrique ou pas ?"),
  REPLY (LEA, 15, "Bonjour Chloé ! Pour 12 km avec une côte, un VAE vous fera arriver sans transpirer 😊 Le E-City 2 a 80 km d'autonomie."),
  SAY (10, "Il coûte combien ? Et il y a des aides ?"),
  REPLY (LEA, 6, "Il est à 1 899 €. Selon votre ville et vos revenus, des aides peuvent aller jusqu'à 400 €, et votre employeur peut participer avec le forfait mobilités durables."),
  SAY (20, "Je peux l'essayer à Lyon ?"),
  REPLY (LEA, 4, "Bien sûr, au magasin du lundi au samedi, de 10h à 19h. Je vous réserve un essai ?"),
  SAY (15, "Samedi matin, ce serait top"),
  TAGS ("e-bike,test-ride"),

  /* Hugo Bernard : deux conversations plus anciennes */
  START (HUGO, 6 * DAY + 2 * HOUR),
  SAY (0, "Salut, vous avez des chambres à air 700x35 en stock ?"),
  REPLY (LEA, 20, "Bonjour Hugo ! Oui, 6,90 € pièce ou 18 € le lot de 3."),
  SAY (5, "Top, je commande"),
  RESOLVE (LEA, 1),
  TAGS ("product"),

  START (HUGO, 3 * DAY + 3 * HOUR),
  SAY (0, "Bonjour, j'ai reçu des chambres à air 700x25 au lieu de 700x35 😅"),
  REPLY (SOFIA, 15, "Oups, désolée Hugo ! Les bonnes partent aujourd'hui, et gardez les autres, c'est cadeau."),
  SAY (10, "Merci, c'est sympa !"),
  RESOLVE (SOFIA, 1),
  TAGS ("order"),

  START (HUGO, 10 * HOUR),
  SAY (0, "Bonjour, je voudrais faire réviser mon vélo de route avant une cyclosportive dans 10 jours."),
  REPLY (LEA, 20, "Bonjour Hugo ! La révision complète est à 89 €. On a de la place vendredi, ça vous va ?"),
  SAY (15, "Vendredi, c'est parfait. Vous pouvez aussi changer la guidoline ?"),
  REPLY (LEA, 5, "Oui, 15 € posée. Je note les deux."),
  TAGS ("repair,booking"),

  /* Inès Mercier */
  START (INES, 4 * DAY + 2 * HOUR),
  SAY (0, "Bonjour, quels sont vos délais de livraison pour un vélo complet ?"),
  REPLY (LEA, 25, "Bonjour Inès, 3 à 5 jours ouvrés en France métropolitaine, et la livraison est offerte dès 500 €."),
  RESOLVE (LEA, 30),
  TAGS ("delivery"),

  START (INES, 20),
  SAY (0, "Bonjour, le vélo enfant que j'ai commandé pour l'anniversaire de ma fille peut-il être livré en point relais ?"),
  SAY (1, "Commande RL-21102"),

  /* Thomas Roux : coursiers à vélo à Lyon, compte de Julien */
  START (THOMAS, 5 * DAY + 7 * HOUR),
  SAY (0, "Bonjour, il nous faudrait 3 vélos cargo de plus pour nos coursiers."),
  CLAIM (JULIEN, 10),
  MOVE (JULIEN, SALES, 1),
  REPLY (JULIEN, 2, "Bonjour Thomas ! 3 Carga Pro au même tarif que la dernière fois (-15 %), avec votre logo sur les caisses. Livraison sous 3 semaines."),
  SAY (40, "Parfait, on valide."),
  RESOLVE (JULIEN, 10),
  TAGS ("wholesale,order"),

  START (THOMAS, 12 * HOUR),
  SAY (0, "Bonjour Julien, un de nos cargos a le moteur qui se coupe en pleine charge. C'est urgent, le vélo roule tous les jours."),
  REPLY (JULIEN, 8, "Bonjour Thomas, je préviens l'atelier tout de suite."),
  NOTE (JULIEN, 1, "@Léa tu peux caler un créneau atelier prioritaire demain pour Roux Coursiers ? Contrat pro, prévoir un vélo de prêt."),
  NOTE (LEA, 15, "C'est fait : demain 8h30, et un Carga de prêt est prêt."),
  REPLY (JULIEN, 3, "On vous prend demain à 8h30 à l'atelier, et on vous prête un cargo le temps de la réparation."),
  SAY (10, "Merci, super réactif 👍"),
  TAGS ("wholesale,urgent,repair"),

  /* Élodie Faure, en Belgique */
  START (ELODIE, 3 * DAY + 1 * HOUR),
  SAY (0, "Bonjour, vous livrez en Belgique ?"),
  REPLY (SOFIA, 20, "Bonjour Élodie ! Oui, en 4 à 6 jours ouvrés, 29 € pour un vélo complet."),
  SAY (5, "Merci !"),
  RESOLVE (SOFIA, 1),
  TAGS ("delivery"),

  START (ELODIE, 4 * HOUR),
  SAY (0, "Bonjour, j'ai commandé le Roadster 7 (RL-21077) mais je voudrais changer la couleur, c'est possible ?"),
  CLAIM (SOFIA, 15),
  NOTE (SOFIA, 10, "La commande est déjà préparée à l'entrepôt et je n'ai pas accès au back-office aujourd'hui : je la laisse à l'équipe."),
  UNASSIGN (SOFIA, 1),
  TAGS ("order"),

  /* Mathieu Garnier, fabricant suisse : pas une question pour le support */
  START (MATHIEU, 150),
  SAY (0, "Bonjour, je suis fabricant suisse de sacoches vélo. Seriez-vous intéressés pour référencer nos produits ?"),
  MOVE (MAYA, TEAM_NONE, 30),
  NOTE (MAYA, 1, "Proposition d'un fournisseur, pas pour le support. Je m'en occupe la semaine prochaine."),
};

/* Lines for --simulate. */
static const char * const en_answers[] = {
  "Ok, that works for me.",
  "Perfect, thank you!",
  "Thanks for the quick reply 👍",
  "Great, thanks. I'll get back to you tomorrow.",
  "Could you confirm that by email as well please?",
  "Sorry, I'm not sure I understand. Could you explain again?",
  "Ok! And how long would that take?",
  "Thursday would suit me better, if that's possible.",
};

static const char * const fr_answers[] = {
  "D'accord, ça me va.",
  "Parfait, merci !",
  "Merci pour la réponse rapide 👍",
  "Super, merci. Je reviens vers vous demain.",
  "Vous pouvez me le confirmer par e-mail aussi ?",
  "Pardon, je n'ai pas bien compris. Vous pouvez réexpliquer ?",
  "D'accord ! Et ça prendrait combien de temps ?",
  "Jeudi m'arrangerait mieux, si c'est possible.",
};

static const char * const en_nudges[] = {
  "Hi, any news on this?",
  "Just checking you got my last message 🙂",
  "Is someone able to help today?",
  "Hello? I'd really need an answer before the weekend.",
  "Sorry, I forgot to say: I'm only free after 5 pm.",
  "I can send photos if that helps.",
};

static const char * const fr_nudges[] = {
  "Bonjour, vous avez des nouvelles ?",
  "Je me permets de relancer 🙂",
  "Quelqu'un peut m'aider aujourd'hui ?",
  "Bonjour ? J'aurais vraiment besoin d'une réponse avant le week-end.",
  "J'ai oublié de préciser : je ne suis disponible qu'après 17h.",
  "Je peux envoyer des photos si ça aide.",
};

static const char * const en_openers[] = {
  "Hi! Do you have the Gravel 500 in size L in stock?",
  "Hello, where is my order? I ordered on Monday and haven't had any email since.",
  "Hi, can I book a service for my road bike next week?",
  "Do you sell second-hand bikes?",
  "Hi there, my e-bike battery won't charge any more. Can you help?",
  "Hello, what's your returns policy for clothing?",
  "Hi! I need a bike for my 9 year old, about 135 cm. What size?",
  "Good morning, do you accept cycle-to-work scheme vouchers?",
  "Hi, I got a puncture on my new tubeless tyres, is that covered?",
  "Hello, we're a small company looking for 5 e-bikes for our staff. Can we get a quote?",
  "Hi, can I collect my order from the London shop instead of having it delivered?",
  "Hey, does the Urban 3 come with lights and mudguards?",
};

static const char * const fr_openers[] = {
  "Bonjour ! Vous avez le Gravel 500 en taille L en stock ?",
  "Bonjour, où en est ma commande ? J'ai commandé lundi et je n'ai reçu aucun e-mail depuis.",
  "Bonjour, je peux prendre rendez-vous pour une révision la semaine prochaine ?",
  "Vous vendez des vélos d'occasion ?",
  "Bonjour, la batterie de mon vélo électrique ne charge plus. Vous pouvez m'aider ?",
  "Bonjour, quelle est votre politique de retour pour les vêtements ?",
  "Bonjour ! Quelle taille de vélo pour un enfant de 9 ans, environ 1,35 m ?",
  "Bonjour, vous acceptez le forfait mobilités durables de mon employeur ?",
  "Bonjour, j'ai crevé avec mes pneus tubeless neufs, c'est couvert ?",
  "Bonjour, nous sommes une PME et cherchons 5 vélos électriques pour nos salariés. Un devis est possible ?",
  "Bonjour, je peux retirer ma commande au magasin de Lyon ?",
  "Salut ! L'Urban 3 est livré avec éclairage et garde-boue ?",
};

static const char * const en_returns[] = {
  "Hi again! The same problem is back since yesterday 😕",
  "Hello, I'd like to order the same thing as last time, is it still available?",
  "Hi, it's me again: could I book another service?",
  "Hello! A quick question about my last order.",
  "Hi, the part you sent doesn't quite fit, can you help?",
};

static const char * const fr_returns[] = {
  "Rebonjour ! Le même problème est revenu depuis hier 😕",
  "Bonjour, je voudrais recommander la même chose que la dernière fois, c'est toujours disponible ?",
  "Bonjour, c'est encore moi : je peux reprendre rendez-vous pour une révision ?",
  "Bonjour ! Une petite question sur ma dernière commande.",
  "Bonjour, la pièce envoyée ne s'adapte pas tout à fait, vous pouvez m'aider ?",
};

static const char * const en_first_names[] = {
  "Ava", "Leo", "Freya", "Arthur", "Poppy", "Oscar", "Evie", "George", "Lily", "Alfie",
  "Rosie", "Henry",
};

static const char * const en_last_names[] = {
  "Walker", "Hall", "Young", "King", "Baker", "Cooper", "Ward", "Morgan", "Bell", "Murphy",
  "Kelly", "Hughes",
};

static const char * const fr_first_names[] = {
  "Léna", "Louis", "Jade", "Gabriel", "Zoé", "Arthur", "Louise", "Raphaël", "Alice", "Jules",
  "Emma", "Paul",
};

static const char * const fr_last_names[] = {
  "Petit", "Durand", "Leroy", "Simon", "Laurent", "Michel", "Garcia", "David", "Bertrand",
  "Rousseau", "Vincent", "Blanc",
};

typedef struct {
  BatonWorkspace *workspace;
  BatonAgent *agents[N_AGENTS];
  char *team_ids[N_TEAMS];
  char *channel_id;
  /* by thread: the START step's index in script[], and the conversation once it started */
  GArray *thread_starts;
  GPtrArray *conversation_ids;
} Demo;

typedef struct {
  gint64 at;
  guint step;
  guint thread;
} Moment;

static void
demo_clear (Demo *demo)
{
  for (guint i = 0; i < N_AGENTS; i++)
    g_clear_pointer (&demo->agents[i], baton_agent_unref);
  for (guint i = 0; i < N_TEAMS; i++)
    g_clear_pointer (&demo->team_ids[i], g_free);
  g_clear_pointer (&demo->channel_id, g_free);
  g_clear_pointer (&demo->thread_starts, g_array_unref);
  g_clear_pointer (&demo->conversation_ids, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Demo, demo_clear)

static void
travel_to (BatonWorkspace *workspace,
           gint64          at)
{
  g_autoptr(BatonClock) clock = baton_clock_new_fixed (at);

  baton_workspace_set_clock (workspace, clock);
}

static gpointer
hash_password_cb (gpointer data)
{
  return baton_auth_hash_password (data);
}

/* Hashing is the slow part: the agents' passwords are hashed on threads of their own while
 * the manager's is, once for the agents who share one. */
static GPtrArray *
start_hashing (void)
{
  GPtrArray *threads = g_ptr_array_new ();

  for (guint i = 1; i < N_AGENTS; i++)
    {
      GThread *thread = NULL;

      for (guint j = 1; j < i && thread == NULL; j++)
        if (g_str_equal (logins[j].password, logins[i].password))
          thread = threads->pdata[j - 1];
      if (thread == NULL)
        thread = g_thread_new ("demo-hash", hash_password_cb, (gpointer) logins[i].password);
      g_ptr_array_add (threads, thread);
    }
  return threads;
}

/* The hashes of start_hashing (), by agent, or NULL where one failed. */
static GPtrArray *
finish_hashing (GPtrArray *threads)
{
  g_autoptr(GHashTable) joined = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  GPtrArray *hashes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < threads->len; i++)
    {
      if (!g_hash_table_contains (joined, threads->pdata[i]))
        g_hash_table_insert (joined, threads->pdata[i], g_thread_join (threads->pdata[i]));
      g_ptr_array_add (hashes, g_strdup (g_hash_table_lookup (joined, threads->pdata[i])));
    }
  g_ptr_array_unref (threads);
  return hashes;
}

static gboolean
create_agents (Demo    *demo,
               GError **error)
{
  BatonWorkspace *workspace = demo->workspace;
  GPtrArray *threads = start_hashing ();
  gboolean initialized = baton_workspace_initialize (workspace, logins[MAYA].name,
                                                     logins[MAYA].email,
                                                     logins[MAYA].password, error);
  g_autoptr(GPtrArray) hashes = finish_hashing (threads);
  g_autoptr(GPtrArray) agents = NULL;

  if (!initialized)
    return FALSE;
  /* the manager, the workspace's only agent yet */
  agents = baton_workspace_list_agents (workspace, error);
  if (agents == NULL)
    return FALSE;
  if (agents->len != 1)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                           "The demo starts from an empty workspace");
      return FALSE;
    }
  demo->agents[MAYA] = baton_agent_ref (agents->pdata[0]);
  for (guint i = 1; i < N_AGENTS; i++)
    {
      BatonAgentPatch patch = { logins[i].name, logins[i].email, logins[i].role, NULL, NULL };

      if (hashes->pdata[i - 1] == NULL)
        {
          g_set_error_literal (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                               "Cannot hash a password");
          return FALSE;
        }
      demo->agents[i] = baton_workspace_create_agent (workspace, &patch, hashes->pdata[i - 1],
                                                      error);
      if (demo->agents[i] == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_timezone (Demo    *demo,
              GError **error)
{
  const char *changes[] = { "timezone", "Europe/London", NULL };
  g_autoptr(JsonNode) settings = baton_workspace_update_settings (demo->workspace, changes,
                                                                  error);

  return settings != NULL;
}

static gboolean
create_team (Demo            *demo,
             const DemoTeam  *team,
             char           **id,
             GError         **error)
{
  g_autoptr(BatonTeam) created = baton_team_new ();
  g_autoptr(GStrvBuilder) members = g_strv_builder_new ();
  g_autoptr(BatonTeam) saved = NULL;

  created->name = g_strdup (team->name);
  created->strategy = team->strategy;
  if (team->default_user >= 0)
    created->default_user_id = g_strdup (demo->agents[team->default_user]->id);
  if (team->backup_user >= 0)
    created->backup_user_id = g_strdup (demo->agents[team->backup_user]->id);
  created->only_online = team->only_online;
  created->reassign_after_minutes = team->reassign_after_minutes;
  for (guint i = 0; i < G_N_ELEMENTS (team->members) && team->members[i] >= 0; i++)
    g_strv_builder_add (members, demo->agents[team->members[i]]->id);
  created->member_ids = g_strv_builder_end (members);
  saved = baton_workspace_save_team (demo->workspace, created, TRUE, error);
  if (saved == NULL)
    return FALSE;
  *id = g_strdup (saved->id);
  return TRUE;
}

static gboolean
create_teams_and_channel (Demo    *demo,
                          GError **error)
{
  BatonChannelPatch patch = {
    .kind = "api", .name = "Website chat", .set_default_team = TRUE,
  };
  g_autoptr(JsonNode) channel = NULL;

  for (guint i = 0; i < N_TEAMS; i++)
    if (!create_team (demo, &teams[i], &demo->team_ids[i], error))
      return FALSE;
  /* The secret is not kept: nobody outside pushes messages into the demo. */
  patch.default_team_id = demo->team_ids[SUPPORT];
  channel = baton_workspace_create_channel (demo->workspace, &patch, NULL, error);
  if (channel == NULL)
    return FALSE;
  demo->channel_id = g_strdup (json_object_get_string_member (json_node_get_object (channel),
                                                              "id"));
  return TRUE;
}

static gboolean
create_canned_replies (Demo    *demo,
                       GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (canned_replies); i++)
    {
      int owner = canned_replies[i].owner;
      BatonCannedReplyEdit edit = {
        canned_replies[i].shortcut, canned_replies[i].title, canned_replies[i].body,
        .owner_given = owner < 0,
      };
      g_autoptr(BatonCannedReply) reply = NULL;

      reply = baton_workspace_create_reply (demo->workspace, demo->agents[owner < 0 ? MAYA : owner],
                                            &edit, error);
      if (reply == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The shop's WhatsApp number, set up as a manager would with what Meta's dashboard shows. Its
 * Graph API is the sandbox on this very server, whose address is only known once batond
 * listens (baton_demo_connect_whatsapp). Sales answers it. */
static gboolean
create_whatsapp_channel (Demo    *demo,
                         GError **error)
{
  g_autoptr(BatonWhatsappChannel) whatsapp = g_new0 (BatonWhatsappChannel, 1);
  BatonChannelPatch patch = {
    .kind = "whatsapp", .name = WHATSAPP_CHANNEL_NAME, .set_default_team = TRUE,
    .default_team_id = demo->team_ids[SALES],
  };
  g_autoptr(JsonNode) channel = NULL;

  whatsapp->name = g_strdup (WHATSAPP_CHANNEL_NAME);
  whatsapp->phone_number_id = g_strdup (BATON_DEMO_GRAPH_PHONE_NUMBER_ID);
  whatsapp->display_phone_number = g_strdup (BATON_DEMO_GRAPH_DISPLAY_NUMBER);
  whatsapp->waba_id = g_strdup (BATON_DEMO_GRAPH_WABA_ID);
  whatsapp->graph_base_url = baton_demo_graph_base_url ("http://127.0.0.1");
  whatsapp->access_token = g_strdup (BATON_DEMO_GRAPH_ACCESS_TOKEN);
  whatsapp->app_secret = g_strdup (BATON_DEMO_GRAPH_APP_SECRET);
  whatsapp->verify_token = g_strdup (BATON_DEMO_GRAPH_VERIFY_TOKEN);
  channel = baton_workspace_create_channel (demo->workspace, &patch, whatsapp, error);
  return channel != NULL;
}

/* What the team knows about a contact, filled in once the contact first wrote. */
static gboolean
describe_contact (Demo         *demo,
                  int           index,
                  const char   *contact_id,
                  GError      **error)
{
  const DemoContact *contact = &contacts[index];
  BatonWorkspace *workspace = demo->workspace;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_auto(GStrv) tags = g_strsplit (contact->tags ? contact->tags : "", ",", -1);
  BatonContactPatch patch = { .fields = fields };
  const char *owners[] = { NULL, NULL };
  g_autoptr(BatonContact) described = NULL;
  g_autoptr(BatonContact) owned = NULL;

  if (contact->company)
    json_object_set_string_member (fields, "company", contact->company);
  if (contact->plan)
    json_object_set_string_member (fields, "plan", contact->plan);
  if (tags[0] && *tags[0])
    patch.tags = (const char * const *) tags;
  described = baton_workspace_update_contact (workspace, contact_id, &patch, error);
  if (described == NULL)
    return FALSE;
  if (contact->owner < 0)
    return TRUE;
  owners[0] = demo->agents[contact->owner]->id;
  owned = baton_workspace_set_contact_owners (workspace, contact_id, owners, error);
  return owned != NULL;
}

static gboolean
customer_says (Demo        *demo,
               guint        thread,
               const Step  *step,
               GError     **error)
{
  BatonWorkspace *workspace = demo->workspace;
  int index = script[g_array_index (demo->thread_starts, guint, thread)].target;
  const DemoContact *contact = &contacts[index];
  const char *started = demo->conversation_ids->pdata[thread];
  BatonInbound inbound = { .from = contact->phone, .name = contact->name, .body = step->text };
  g_autofree char *contact_id = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *conversation_id = NULL;
  gboolean duplicate = FALSE;
  gboolean new_contact = FALSE;

  if (started == NULL)
    {
      if (!baton_demo_start_thread (workspace, demo->channel_id, &inbound, &conversation_id,
                                    &new_contact, error))
        return FALSE;
      demo->conversation_ids->pdata[thread] = g_steal_pointer (&conversation_id);
      if (!new_contact)
        return TRUE;
      contact_id = baton_workspace_find_contact (workspace, contact->phone, NULL);
      if (contact_id == NULL)
        {
          g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                       "The message of %s made no contact", contact->name);
          return FALSE;
        }
      return describe_contact (demo, index, contact_id, error);
    }
  if (!baton_workspace_receive (workspace, demo->channel_id, &inbound, &message_id,
                                &conversation_id, &duplicate, error))
    return FALSE;
  if (g_strcmp0 (started, conversation_id) != 0)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                   "A message of %s went to another thread", contact->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
play_step (Demo          *demo,
           const Moment  *moment,
           GError       **error)
{
  BatonWorkspace *workspace = demo->workspace;
  const Step *step = &script[moment->step];
  const char *conversation_id = demo->conversation_ids->pdata[moment->thread];
  BatonAgent *actor = demo->agents[step->actor];
  const char *team_id = step->team >= 0 ? demo->team_ids[step->team] : NULL;
  const char *nobody[] = { NULL };
  const char *assignee[] = { NULL, NULL };
  BatonAssignment assignment = { 0 };
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(BatonMessage) message = NULL;
  g_auto(GStrv) tags = NULL;

  if (step->kind == STEP_CUSTOMER)
    return customer_says (demo, moment->thread, step, error);
  if (conversation_id == NULL)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                   "Step %u comes before the customer wrote", moment->step);
      return FALSE;
    }

  switch (step->kind)
    {
    case STEP_REPLY:
    case STEP_NOTE:
      message = baton_workspace_post_message (workspace, conversation_id, actor, step->text,
                                              step->kind == STEP_NOTE, error);
      return message != NULL;
    case STEP_CLAIM:
      conversation = baton_workspace_claim (workspace, conversation_id, actor, error);
      break;
    case STEP_ASSIGN:
      assignee[0] = demo->agents[step->target]->id;
      assignment.set_assignees = TRUE;
      assignment.assignee_ids = assignee;
      assignment.set_team = step->team != TEAM_KEEP;
      assignment.team_id = team_id;
      conversation = baton_workspace_assign (workspace, conversation_id, actor, &assignment,
                                             error);
      break;
    case STEP_TEAM:
      assignment.set_team = TRUE;
      assignment.team_id = team_id;
      conversation = baton_workspace_assign (workspace, conversation_id, actor, &assignment,
                                             error);
      break;
    case STEP_UNASSIGN:
      assignment.set_assignees = TRUE;
      assignment.assignee_ids = nobody;
      conversation = baton_workspace_assign (workspace, conversation_id, actor, &assignment,
                                             error);
      break;
    case STEP_RESOLVE:
      conversation = baton_workspace_resolve (workspace, conversation_id, actor, error);
      break;
    case STEP_TAGS:
      tags = g_strsplit (step->text, ",", -1);
      conversation = baton_workspace_set_tags (workspace, conversation_id,
                                               (const char * const *) tags, "replace", error);
      break;
    case STEP_START:
    case STEP_CUSTOMER:
    default:
      g_assert_not_reached ();
    }
  return conversation != NULL;
}

static int
compare_moments (gconstpointer a,
                 gconstpointer b)
{
  const Moment *first = a;
  const Moment *second = b;

  if (first->at != second->at)
    return first->at < second->at ? -1 : 1;
  return first->step < second->step ? -1 : first->step > second->step;
}

/* When each step happens: threads start so long ago, steps follow some minutes (and a few
 * seconds) apart, and no thread reaches into the future. */
static GArray *
schedule_script (Demo   *demo,
                 gint64  now)
{
  GArray *moments = g_array_new (FALSE, FALSE, sizeof (Moment));
  guint i = 0;

  while (i < G_N_ELEMENTS (script))
    {
      guint start = i;
      guint thread = demo->thread_starts->len;
      guint first = moments->len;
      gint64 at = now - script[start].minutes * MINUTE_MS + (gint64) (start * 37 % 60) * 1000;
      gint64 overshoot = 0;

      g_assert (script[start].kind == STEP_START);
      g_array_append_val (demo->thread_starts, start);
      g_ptr_array_add (demo->conversation_ids, NULL);
      for (i = start + 1; i < G_N_ELEMENTS (script) && script[i].kind != STEP_START; i++)
        {
          Moment moment = { 0 };

          at += script[i].minutes * MINUTE_MS + (gint64) (5 + i * 17 % 45) * 1000;
          moment.at = at;
          moment.step = i;
          moment.thread = thread;
          g_array_append_val (moments, moment);
        }
      overshoot = at - (now - MINUTE_MS);
      for (guint m = first; overshoot > 0 && m < moments->len; m++)
        g_array_index (moments, Moment, m).at -= overshoot;
    }
  g_array_sort (moments, compare_moments);
  return moments;
}

static GHashTable *reserved_phones (void);

/* The generated history comes first, then the hand-written threads, played together in time
 * order where a generated thread goes on while they start. */
static gboolean
play_script (Demo    *demo,
             gint64   now,
             GError **error)
{
  g_autoptr(GArray) moments = schedule_script (demo, now);
  g_autoptr(GHashTable) reserved = reserved_phones ();
  BatonDemoCast cast = {
    demo->workspace, demo->agents, demo->channel_id, demo->team_ids[SALES], reserved,
  };
  g_autoptr(BatonDemoHistory) history = NULL;

  /* the history's last thread starts an hour before the first hand-written one */
  history = baton_demo_history_new (&cast, g_array_index (moments, Moment, 0).at - 60 * MINUTE_MS,
                                    now);
  for (guint m = 0; m < moments->len; m++)
    {
      const Moment *moment = &g_array_index (moments, Moment, m);

      if (!baton_demo_history_play_until (history, moment->at, error))
        return FALSE;
      travel_to (demo->workspace, moment->at);
      if (!play_step (demo, moment, error))
        {
          g_prefix_error (error, "Demo step %u: ", moment->step);
          return FALSE;
        }
    }
  return baton_demo_history_play_until (history, now, error);
}

/* Routing rules */

#define AFTER_HOURS_REPLY \
  "Thanks for your message! Our team is offline right now; our night crew will get back to" \
  " you shortly."

static JsonNode *
parse_json (const char  *text,
            GError     **error)
{
  return baton_json_parse (text, strlen (text), error);
}

/* Checked and saved as POST /api/v1/schedules does. */
static gboolean
create_schedule (Demo        *demo,
                 const char  *text,
                 char       **id,
                 GError     **error)
{
  g_autoptr(JsonNode) given = parse_json (text, error);
  g_autoptr(BatonSchedule) schedule = baton_schedule_new ();
  g_autoptr(BatonSchedule) saved = NULL;

  if (given == NULL || !baton_schedule_update (schedule, json_node_get_object (given), TRUE,
                                               error))
    return FALSE;
  saved = baton_workspace_save_schedule (demo->workspace, schedule, TRUE, error);
  if (saved == NULL)
    return FALSE;
  *id = g_strdup (saved->id);
  return TRUE;
}

/* Checked and saved as POST /api/v1/flows does. */
static gboolean
create_flow (Demo        *demo,
             const char  *text,
             GError     **error)
{
  g_autoptr(JsonNode) given = parse_json (text, error);
  g_autoptr(BatonFlow) flow = baton_flow_new ();
  g_autoptr(BatonFlow) saved = NULL;
  BatonFlowLookup lookup = { 0 };

  baton_workspace_flow_lookup (demo->workspace, &lookup);
  if (given == NULL
      || !baton_flow_update (flow, json_node_get_object (given), TRUE, &lookup, error))
    return FALSE;
  saved = baton_workspace_save_flow (demo->workspace, flow, TRUE, error);
  return saved != NULL;
}

/* Business hours in London, and two flows: VIP contacts go to the VIP desk (its default user,
 * or the backup while the default user is away); outside business hours everyone else goes
 * to the night crew with an automatic reply. Only the first flow whose trigger matches runs
 * for an event (ASSIGNMENT.md §2), so one flow holds both rules for new conversations and a
 * second one holds them for returning customers, whose resolved thread reopens. During
 * business hours nothing matches and the channel's default team, Support, takes the chat. */
static gboolean
create_routing (Demo    *demo,
                GError **error)
{
  BatonWorkspace *workspace = demo->workspace;
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autofree char *schedule_text = NULL;
  g_autofree char *schedule_id = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *created = NULL;
  g_autofree char *reopened = NULL;

  if (london == NULL)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                           "The Europe/London time zone is missing");
      return FALSE;
    }
  utc = g_date_time_new_from_unix_utc (baton_workspace_now (workspace) / 1000);
  today = g_date_time_to_timezone (utc, london);
  /* This year's Christmas and Boxing Day */
  schedule_text = g_strdup_printf (
    "{\"name\":\"Business hours\",\"timezone\":\"Europe/London\",\"weekly\":["
    "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"tue\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"wed\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"thu\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"fri\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"sat\",\"from\":\"10:00\",\"to\":\"14:00\"}],"
    "\"holidays\":[\"%d-12-25\",\"%d-12-26\"]}",
    g_date_time_get_year (today), g_date_time_get_year (today));

  if (!create_schedule (demo, schedule_text, &schedule_id, error))
    return FALSE;
  steps = g_strdup_printf (
    "[{\"type\":\"condition\",\"match\":\"all\",\"conditions\":["
    "{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"%s\",\"conversation_tags\":[\"vip\"],"
    "\"add_tags\":true}],"
    "\"else\":[{\"type\":\"condition\",\"match\":\"all\",\"conditions\":["
    "{\"field\":\"time\",\"op\":\"outside\",\"value\":\"%s\"}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"%s\","
    "\"conversation_tags\":[\"after-hours\"],\"add_tags\":true},"
    "{\"type\":\"send_message\",\"body\":\"" AFTER_HOURS_REPLY "\"}]}]}]",
    demo->team_ids[VIP_DESK], schedule_id, demo->team_ids[NIGHT]);
  created = g_strdup_printf ("{\"name\":\"New conversations\",\"enabled\":true,\"position\":1,"
                             "\"trigger\":{\"on\":\"conversation.created\"},\"steps\":%s}",
                             steps);
  reopened = g_strdup_printf ("{\"name\":\"Returning customers\",\"enabled\":true,"
                              "\"position\":2,\"trigger\":{\"on\":\"conversation.reopened\"},"
                              "\"steps\":%s}", steps);
  return create_flow (demo, created, error) && create_flow (demo, reopened, error);
}

const BatonDemoLogin *
baton_demo_logins (guint *n_logins)
{
  *n_logins = G_N_ELEMENTS (logins);
  return logins;
}

gboolean
baton_demo_populate (BatonWorkspace  *workspace,
                     GError         **error)
{
  g_auto(Demo) demo = { 0 };
  g_autoptr(BatonClock) clock = g_object_ref (baton_workspace_get_clock (workspace));
  gint64 now = baton_workspace_now (workspace);
  gboolean done = FALSE;

  demo.workspace = workspace;
  demo.thread_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  demo.conversation_ids = g_ptr_array_new_with_free_func (g_free);

  /* The shop set up its inbox ten weeks ago, in London. */
  travel_to (workspace, now - 70 * DAY * MINUTE_MS);
  done = create_agents (&demo, error)
         && set_timezone (&demo, error)
         && create_teams_and_channel (&demo, error)
         && create_canned_replies (&demo, error)
         && play_script (&demo, now, error);
  /* WhatsApp came a week ago; its conversations come once batond listens. */
  travel_to (workspace, now - 7 * DAY * MINUTE_MS);
  done = done && create_whatsapp_channel (&demo, error);
  baton_workspace_set_clock (workspace, clock);
  /* The routing rules start today: the history above was routed without them. */
  return done && create_routing (&demo, error);
}

/* WhatsApp */

gboolean
baton_demo_connect_whatsapp (BatonWorkspace  *workspace,
                             const char      *server_url,
                             GError         **error)
{
  g_autoptr(BatonWhatsappChannel) whatsapp = NULL;
  g_autoptr(GUri) current = NULL;
  g_autoptr(JsonNode) channel = NULL;
  g_autofree char *base_url = baton_demo_graph_base_url (server_url);
  BatonChannelPatch unchanged = { 0 };

  whatsapp = baton_workspace_find_whatsapp_number (workspace, BATON_DEMO_GRAPH_PHONE_NUMBER_ID,
                                                   NULL);
  if (whatsapp == NULL || base_url == NULL)
    return TRUE;
  /* A manager who pointed the number at another Graph API keeps it. */
  current = g_uri_parse (whatsapp->graph_base_url, G_URI_FLAGS_NONE, NULL);
  if (current == NULL
      || !g_str_has_prefix (g_uri_get_path (current), BATON_DEMO_GRAPH_PREFIX "/")
      || g_str_equal (whatsapp->graph_base_url, base_url))
    return TRUE;
  g_free (whatsapp->graph_base_url);
  whatsapp->graph_base_url = g_steal_pointer (&base_url);
  channel = baton_workspace_update_channel (workspace, whatsapp->id, &unchanged, whatsapp,
                                            error);
  return channel != NULL;
}

/* Four customers write on WhatsApp: George sends a photo of his dented wheel and likes the
 * answer; Léna shares her workshop's location and a signed order form; Jules books a brake
 * service by quoting the agent's offer; Poppy's question waited 30 hours, so only a template
 * can answer her now. What the customers send are the sandbox's webhook deliveries and the
 * agents' replies go out through the outbox, so the whole WhatsApp pipeline plays it.
 *
 * A thread's first message is some time old; what follows happens live, a moment apart,
 * after the message before it is in (the routing's activity line and automatic reply come
 * with the first one), and a customer reacts or answers once WhatsApp reports the agent's
 * reply read. */
typedef enum {
  WA_TEXT,
  WA_PHOTO,
  WA_ORDER_FORM,
  WA_LOCATION,
  /* an agent answers: the conversation's assignee, else the step's agent */
  WA_REPLY,
  /* the customer, once the reply is read: a reaction, or a reply quoting it */
  WA_REACT,
  WA_QUOTE,
} WaStepKind;

typedef struct {
  WaStepKind kind;
  int agent;
  const char *text;
} WaStep;

typedef struct {
  const char *wa_id;
  const char *name;
  /* how long ago the first message was written */
  int minutes_ago;
  WaStep steps[5];
} WaThread;

static const WaThread whatsapp_threads[] = {
  { "447700900871", "George Hall", 3, {
    { WA_TEXT, 0, "Hi! I hit a pothole on the way to work and now the front wheel of my "
                  "Gravel 500 wobbles 😬 Can you fix it or do I need a new wheel?" },
    { WA_PHOTO, 0, "That's the bike: the dent is at the top of the front rim" },
    { WA_REPLY, HANNAH, "Hi George, sorry to hear that! From the photo the rim is dented but "
                        "not cracked, so our workshop can true it: £25, ready the next day. "
                        "Can you drop the bike off tomorrow morning?" },
    { WA_REACT, 0, "👍" },
  } },
  { "33639986310", "Léna Rousseau", 2, {
    { WA_TEXT, 0, "Bonjour ! Nous avons commandé un Carga Pro pour l'atelier. Pouvez-vous le "
                  "livrer directement chez nous plutôt qu'en boutique ? Voici l'adresse." },
    { WA_LOCATION, 0, "Atelier Petit & Fils" },
    { WA_ORDER_FORM, 0, "Le bon de commande signé" },
  } },
  { "33639985521", "Jules Laurent", 42, {
    { WA_TEXT, 0, "Bonjour, vous faites la purge des freins hydrauliques à l'atelier de "
                  "Lyon ? Mes freins sont tout mous depuis une semaine." },
    { WA_REPLY, JULIEN, "Bonjour Jules ! Oui : purge et plaquettes neuves pour 45 €, et le "
                        "vélo est prêt en 48 h. Je vous réserve un créneau jeudi ou "
                        "vendredi ?" },
    { WA_QUOTE, 0, "Vendredi matin, parfait. Merci beaucoup !" },
  } },
  { "447700900529", "Poppy Ward", 30 * HOUR, {
    { WA_TEXT, 0, "Hello! Do you have the Urban 3 in size S? I'd like to pick one up in "
                  "London this week, and I'm happy to pay a deposit to hold it 🙂" },
  } },
};

#define N_WA_THREADS G_N_ELEMENTS (whatsapp_threads)

/* The numbers of the hand-written customers, on the chat and on WhatsApp. */
static GHashTable *
reserved_phones (void)
{
  GHashTable *phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < N_CONTACTS; i++)
    g_hash_table_add (phones, g_strdup (contacts[i].phone));
  for (guint i = 0; i < N_WA_THREADS; i++)
    g_hash_table_add (phones, g_strconcat ("+", whatsapp_threads[i].wa_id, NULL));
  return phones;
}
#define STORY_POLL_MS 250
/* between two steps of a thread: the next message has a later timestamp (seconds) */
#define STORY_STEP_MS 1500
#define STORY_TIMEOUT_S 60

typedef struct {
  guint next;
  gint64 last_at;
  /* the agent's last reply, and its wamid once read */
  char *reply_id;
} WaProgress;

typedef struct {
  BatonWorkspace *workspace;  /* weak */
  BatonDemoGraph *graph;      /* weak pointer */
  char *channel_id;
  WaProgress progress[N_WA_THREADS];
  gint64 deadline;
  guint source;
} Story;

static void story_workspace_gone_cb (gpointer  user_data,
                                     GObject  *where_the_object_was);

static void
story_free (Story *story)
{
  g_clear_handle_id (&story->source, g_source_remove);
  g_clear_weak_pointer (&story->graph);
  g_free (story->channel_id);
  for (guint i = 0; i < N_WA_THREADS; i++)
    g_free (story->progress[i].reply_id);
  g_free (story);
}

static void
story_end (Story *story)
{
  g_object_weak_unref (G_OBJECT (story->workspace), story_workspace_gone_cb, story);
  story_free (story);
}

static void
story_workspace_gone_cb (gpointer  user_data,
                         GObject  *where_the_object_was)
{
  story_free (user_data);
}

static char *
story_conversation (Story      *story,
                    const char *wa_id)
{
  return baton_workspace_latest_whatsapp_conversation (story->workspace, story->channel_id,
                                                       wa_id, NULL);
}

/* The conversation's assignee answers (the routing may have given it to the night crew), or
 * the agent of the script. */
static BatonAgent *
story_actor (Story      *story,
             const char *conversation_id,
             int         agent)
{
  g_autoptr(BatonConversation) conversation = NULL;
  g_autofree char *agent_id = NULL;

  conversation = baton_workspace_load_conversation (story->workspace, conversation_id, NULL);
  if (conversation && conversation->assignee_ids && conversation->assignee_ids[0])
    return baton_workspace_load_agent (story->workspace, conversation->assignee_ids[0], NULL);
  agent_id = baton_workspace_find_login (story->workspace, logins[agent].email, NULL, NULL);
  if (agent_id == NULL)
    return NULL;
  return baton_workspace_load_agent (story->workspace, agent_id, NULL);
}

/* The wamid of a reply WhatsApp reported read, NULL before. */
static char *
story_read_wamid (Story      *story,
                  const char *message_id)
{
  g_autoptr(BatonMessage) message = baton_workspace_load_message (story->workspace, message_id,
                                                                  NULL);

  if (message == NULL || g_strcmp0 (message->status, "read") != 0)
    return NULL;
  return g_strdup (message->external_id);
}

static gboolean
story_reply (Story       *story,
             WaProgress  *progress,
             const char  *conversation_id,
             const WaStep *step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) actor = story_actor (story, conversation_id, step->agent);
  g_autoptr(BatonMessage) message = NULL;
  BatonReply reply = { .body = step->text };

  if (actor)
    message = baton_workspace_send_reply (story->workspace, conversation_id, actor, &reply,
                                          NULL, &error);
  if (message == NULL)
    {
      g_warning ("A demo WhatsApp reply was not sent: %s", error ? error->message : "no agent");
      return FALSE;
    }
  g_free (progress->reply_id);
  progress->reply_id = g_strdup (message->id);
  return TRUE;
}

/* Plays the next step of a thread when its time has come; FALSE when it cannot be played. */
static gboolean
story_step (Story *story,
            guint  index)
{
  const WaThread *thread = &whatsapp_threads[index];
  WaProgress *progress = &story->progress[index];
  const WaStep *step = &thread->steps[progress->next];
  gint64 now_ms = g_get_real_time () / 1000;
  gint64 at = now_ms / 1000;
  g_autofree char *conversation_id = NULL;
  g_autofree char *wamid = NULL;
  g_autofree char *sent = NULL;

  if (progress->next == 0)
    {
      at -= (gint64) thread->minutes_ago * 60;
    }
  else
    {
      if (now_ms - progress->last_at < STORY_STEP_MS)
        return TRUE;
      conversation_id = story_conversation (story, thread->wa_id);
      if (conversation_id == NULL)
        return TRUE;
    }
  if (step->kind == WA_REACT || step->kind == WA_QUOTE)
    {
      if (progress->reply_id == NULL)
        return FALSE;
      wamid = story_read_wamid (story, progress->reply_id);
      if (wamid == NULL)
        return TRUE;
    }

  switch (step->kind)
    {
    case WA_TEXT:
    case WA_QUOTE:
      sent = baton_demo_graph_customer_text (story->graph, thread->wa_id, thread->name, at,
                                             step->text, wamid);
      break;
    case WA_PHOTO:
    case WA_ORDER_FORM:
      sent = baton_demo_graph_customer_media (story->graph, thread->wa_id, thread->name, at,
                                              step->kind == WA_PHOTO
                                              ? BATON_DEMO_GRAPH_MEDIA_PHOTO
                                              : BATON_DEMO_GRAPH_MEDIA_ORDER_FORM, step->text);
      break;
    case WA_LOCATION:
      sent = baton_demo_graph_customer_location (story->graph, thread->wa_id, thread->name, at,
                                                 45.75462, 4.83251, step->text,
                                                 "12 rue de la Charité, 69002 Lyon");
      break;
    case WA_REACT:
      sent = baton_demo_graph_customer_reaction (story->graph, thread->wa_id, thread->name, at,
                                                 wamid, step->text);
      break;
    case WA_REPLY:
      if (!story_reply (story, progress, conversation_id, step))
        return FALSE;
      sent = g_strdup (progress->reply_id);
      break;
    default:
      g_assert_not_reached ();
    }
  if (sent == NULL)
    return FALSE;
  progress->next++;
  progress->last_at = now_ms;
  return TRUE;
}

static gboolean
story_tick_cb (gpointer user_data)
{
  Story *story = user_data;
  gboolean over = TRUE;

  for (guint i = 0; story->graph && i < N_WA_THREADS; i++)
    {
      WaProgress *progress = &story->progress[i];
      const WaStep *steps = whatsapp_threads[i].steps;

      if (progress->next < G_N_ELEMENTS (whatsapp_threads[i].steps)
          && steps[progress->next].text != NULL
          && !story_step (story, i))
        progress->next = G_N_ELEMENTS (whatsapp_threads[i].steps);
      over &= progress->next >= G_N_ELEMENTS (whatsapp_threads[i].steps)
              || steps[progress->next].text == NULL;
    }
  if (story->graph && !over && g_get_monotonic_time () < story->deadline)
    return G_SOURCE_CONTINUE;
  if (!over)
    g_message ("The demo's WhatsApp conversations stopped before their end");
  story->source = 0;
  story_end (story);
  return G_SOURCE_REMOVE;
}

void
baton_demo_play_whatsapp (BatonWorkspace *workspace,
                          BatonDemoGraph *graph)
{
  g_autoptr(BatonWhatsappChannel) whatsapp = NULL;
  Story *story = NULL;

  g_return_if_fail (BATON_IS_WORKSPACE (workspace));
  g_return_if_fail (BATON_IS_DEMO_GRAPH (graph));

  whatsapp = baton_workspace_find_whatsapp_number (workspace, BATON_DEMO_GRAPH_PHONE_NUMBER_ID,
                                                   NULL);
  if (whatsapp == NULL)
    return;
  story = g_new0 (Story, 1);
  story->workspace = workspace;
  g_set_weak_pointer (&story->graph, graph);
  story->channel_id = g_strdup (whatsapp->id);
  story->deadline = g_get_monotonic_time () + STORY_TIMEOUT_S * G_USEC_PER_SEC;
  g_object_weak_ref (G_OBJECT (workspace), story_workspace_gone_cb, story);
  /* the threads' first messages now, the rest as it comes */
  if (story_tick_cb (story) == G_SOURCE_CONTINUE)
    story->source = g_timeout_add (STORY_POLL_MS, story_tick_cb, story);
}

/* Simulated customers */

typedef struct {
  BatonWorkspace *workspace;  /* weak */
  BatonDemoGraph *graph;      /* weak pointer, NULL: no WhatsApp */
  double per_minute;
  guint timeout_id;
  guint sent;
  gboolean vip_arrived;
} Simulation;

typedef struct {
  char *channel_id;
  char *phone;
  char *name;
  const char *body;
  /* a newcomer the shop already knows as a VIP */
  gboolean vip;
} Visit;

static void
visit_clear (Visit *visit)
{
  g_clear_pointer (&visit->channel_id, g_free);
  g_clear_pointer (&visit->phone, g_free);
  g_clear_pointer (&visit->name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Visit, visit_clear)

#define PICK(lines) ((lines)[g_random_int_range (0, G_N_ELEMENTS (lines))])

static gboolean
writes_french (const char *phone)
{
  return g_str_has_prefix (phone, "+33") || g_str_has_prefix (phone, "+32")
         || g_str_has_prefix (phone, "+41");
}

/* A customer who already wrote, on the website chat. */
static gboolean
take_visitor (BatonCustomerPick *pick,
              Visit             *visit)
{
  if (pick == NULL || pick->channel_id == NULL || pick->phone == NULL)
    return FALSE;
  visit->channel_id = g_strdup (pick->channel_id);
  visit->phone = g_strdup (pick->phone);
  visit->name = g_strdup (pick->name);
  return TRUE;
}

/* A customer in an active conversation answers the agent, or nudges when nobody answered. */
static gboolean
follow_up (BatonWorkspace *workspace,
           Visit          *visit)
{
  g_autoptr(BatonCustomerPick) pick = NULL;
  gboolean french, answering;

  pick = baton_workspace_pick_customer (workspace, FALSE, "api", NULL, NULL);
  if (!take_visitor (pick, visit))
    return FALSE;
  french = writes_french (visit->phone);
  answering = g_strcmp0 (pick->last_direction, "outbound") == 0;
  if (answering)
    visit->body = french ? PICK (fr_answers) : PICK (en_answers);
  else
    visit->body = french ? PICK (fr_nudges) : PICK (en_nudges);
  return TRUE;
}

/* A customer whose last thread was resolved writes again, which reopens it. */
static gboolean
come_back (BatonWorkspace *workspace,
           Visit          *visit)
{
  g_autoptr(BatonCustomerPick) pick = NULL;

  pick = baton_workspace_pick_customer (workspace, TRUE, "api", NULL, NULL);
  if (!take_visitor (pick, visit))
    return FALSE;
  visit->body = writes_french (visit->phone) ? PICK (fr_returns) : PICK (en_returns);
  return TRUE;
}

/* A phone number in the ranges reserved for fiction that no contact has yet, or NULL. */
static char *
new_phone (BatonWorkspace *workspace,
           gboolean        french)
{
  for (int attempt = 0; attempt < 10; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *known = NULL;
      g_autofree char *phone = french
        ? g_strdup_printf ("+3363998%04d", g_random_int_range (0, 10000))
        : g_strdup_printf ("+447700900%03d", g_random_int_range (0, 1000));

      known = baton_workspace_find_contact (workspace, phone, &error);
      if (known == NULL && error == NULL)
        return g_steal_pointer (&phone);
    }
  return NULL;
}

static char *
new_name (gboolean french)
{
  if (french)
    return g_strdup_printf ("%s %s", PICK (fr_first_names), PICK (fr_last_names));
  return g_strdup_printf ("%s %s", PICK (en_first_names), PICK (en_last_names));
}

/* The website chat: the oldest api channel, or NULL. */
static char *
chat_channel (BatonWorkspace *workspace)
{
  g_autoptr(GPtrArray) channels = baton_workspace_list_channels (workspace, NULL);

  for (guint i = 0; channels && i < channels->len; i++)
    {
      JsonObject *channel = json_node_get_object (channels->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member (channel, "kind"), "api") == 0)
        return g_strdup (json_object_get_string_member (channel, "id"));
    }
  return NULL;
}

/* Someone new writes for the first time, in French a third of the time. */
static gboolean
arrive (BatonWorkspace *workspace,
        gboolean        vip,
        Visit          *visit)
{
  gboolean french = g_random_int_range (0, 3) == 0;
  g_autofree char *channel_id = chat_channel (workspace);

  if (channel_id == NULL)
    return FALSE;
  visit->phone = new_phone (workspace, french);
  if (visit->phone == NULL)
    return FALSE;
  visit->channel_id = g_steal_pointer (&channel_id);
  visit->name = new_name (french);
  visit->body = french ? PICK (fr_openers) : PICK (en_openers);
  visit->vip = vip;
  return TRUE;
}

/* A VIP newcomer was known before writing (a Care+ member who signed up in the shop): the
 * contact exists, tagged vip, when the first message comes, so the routing flow sees the tag. */
static gboolean
add_vip_contact (BatonWorkspace  *workspace,
                 const Visit     *visit,
                 GError         **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  const char *tags[] = { "vip", NULL };
  BatonContactPatch patch = { .name = visit->name, .tags = tags, .fields = fields };
  g_autoptr(BatonContact) contact = NULL;

  json_object_set_string_member (fields, "plan", "Care+");
  contact = baton_workspace_add_contact (workspace, visit->phone, &patch, error);
  return contact != NULL;
}

/* A WhatsApp customer writes through the sandbox: one in an active WhatsApp conversation
 * answers or nudges, or someone new says hello. */
static gboolean
simulate_whatsapp (Simulation *simulation)
{
  BatonWorkspace *workspace = simulation->workspace;
  g_autoptr(BatonWhatsappChannel) number = NULL;
  g_autoptr(BatonCustomerPick) pick = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *name = NULL;
  g_autofree char *wamid = NULL;
  const char *body = NULL;
  gboolean french = FALSE;

  /* a manager may have deleted the demo's number */
  number = baton_workspace_find_whatsapp_number (workspace, BATON_DEMO_GRAPH_PHONE_NUMBER_ID,
                                                 NULL);
  if (number == NULL)
    return FALSE;
  if (g_random_int_range (0, 2) == 0)
    pick = baton_workspace_pick_customer (workspace, FALSE, "whatsapp",
                                          BATON_DEMO_GRAPH_PHONE_NUMBER_ID, NULL);
  if (pick)
    {
      phone = g_strconcat ("+", pick->wa_id, NULL);
      name = g_strdup (pick->name);
      french = writes_french (phone);
      if (g_strcmp0 (pick->last_direction, "outbound") == 0)
        body = french ? PICK (fr_answers) : PICK (en_answers);
      else
        body = french ? PICK (fr_nudges) : PICK (en_nudges);
    }
  else
    {
      french = g_random_int_range (0, 3) == 0;
      phone = new_phone (workspace, french);
      if (phone == NULL)
        return FALSE;
      name = new_name (french);
      body = french ? PICK (fr_openers) : PICK (en_openers);
    }
  wamid = baton_demo_graph_customer_text (simulation->graph, phone + 1, name,
                                          g_get_real_time () / G_USEC_PER_SEC, body, NULL);
  return wamid != NULL;
}

static void
simulate_message (Simulation *simulation)
{
  BatonWorkspace *workspace = simulation->workspace;
  g_auto(Visit) visit = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *external_id = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *conversation_id = NULL;
  BatonInbound inbound = { 0 };
  gboolean duplicate = FALSE;
  int roll = g_random_int_range (0, 100);
  gboolean found = FALSE;

  /* A VIP writes first, so that the VIP routing shows at once. Then mostly follow-ups, some
   * newcomers (one in five a VIP), and now and then a customer whose last thread was
   * resolved (when there is one; otherwise a follow-up). */
  if (!simulation->vip_arrived)
    found = simulation->vip_arrived = arrive (workspace, TRUE, &visit);
  /* a quarter of the others write on WhatsApp */
  else if (simulation->graph && g_random_int_range (0, 4) == 0
           && simulate_whatsapp (simulation))
    return;
  if (!found && roll >= 85)
    found = come_back (workspace, &visit);
  if (!found && (roll < 55 || roll >= 85))
    found = follow_up (workspace, &visit);
  if (!found)
    found = arrive (workspace, g_random_int_range (0, 5) == 0, &visit);
  /* Nothing to write into (the api channel was deleted): wait for better times. */
  if (!found)
    return;

  external_id = g_strdup_printf ("demo-%" G_GINT64_FORMAT "-%u",
                                 baton_workspace_now (workspace), ++simulation->sent);
  inbound.from = visit.phone;
  inbound.name = visit.name;
  inbound.body = visit.body;
  inbound.external_id = external_id;
  if (visit.vip && !add_vip_contact (workspace, &visit, &error))
    {
      g_warning ("A simulated VIP contact was not saved: %s", error->message);
      return;
    }
  if (!baton_workspace_receive (workspace, visit.channel_id, &inbound, &message_id,
                                &conversation_id, &duplicate, &error))
    g_warning ("A simulated customer message was not received: %s", error->message);
}

static gboolean simulation_tick_cb (gpointer user_data);

static void
schedule_tick (Simulation *simulation)
{
  double delay_ms = 60000.0 / simulation->per_minute * g_random_double_range (0.5, 1.5);

  simulation->timeout_id = g_timeout_add ((guint) CLAMP (delay_ms, 1.0, 24.0 * 3600 * 1000),
                                          simulation_tick_cb, simulation);
}

static gboolean
simulation_tick_cb (gpointer user_data)
{
  Simulation *simulation = user_data;

  simulation->timeout_id = 0;
  simulate_message (simulation);
  schedule_tick (simulation);
  return G_SOURCE_REMOVE;
}

static void
workspace_finalized_cb (gpointer  user_data,
                        GObject  *where_the_object_was)
{
  Simulation *simulation = user_data;

  g_clear_handle_id (&simulation->timeout_id, g_source_remove);
  g_clear_weak_pointer (&simulation->graph);
  g_free (simulation);
}

void
baton_demo_simulate (BatonWorkspace *workspace,
                     BatonDemoGraph *graph,
                     double          per_minute)
{
  Simulation *simulation = NULL;

  g_return_if_fail (BATON_IS_WORKSPACE (workspace));
  if (per_minute <= 0)
    return;
  simulation = g_new0 (Simulation, 1);
  simulation->workspace = workspace;
  simulation->per_minute = per_minute;
  if (graph)
    g_set_weak_pointer (&simulation->graph, graph);
  g_object_weak_ref (G_OBJECT (workspace), workspace_finalized_cb, simulation);
  schedule_tick (simulation);
}
