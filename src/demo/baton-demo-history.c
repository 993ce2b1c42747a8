/* baton-demo-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-demo"

#include "config.h"

#include <math.h>

#include "baton-demo-history.h"
#include "baton-error.h"

/* Eight weeks of the shop's past, generated from a fixed seed so that every demo has the
 * same: customers write through the website chat more on weekdays, mid-morning and
 * mid-afternoon in London, a few at night; the weeks grow busier, with one busy week of a
 * heatwave; each agent answers at their own pace. Like the hand-written threads, every step
 * goes through the domain operations with the clock set to its moment, so routing, activity
 * lines and reports are the real ones. */

#define MINUTE_MS ((gint64) 60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)
#define HISTORY_DAYS 56
#define HISTORY_SEED 20260521
/* the heatwave: these days (0: the first of the history) brought many more messages */
#define BUSY_FIRST_DAY 35
#define BUSY_LAST_DAY 41

enum { MAYA = BATON_DEMO_MAYA, LEA = BATON_DEMO_LEA, TOM = BATON_DEMO_TOM,
       SOFIA = BATON_DEMO_SOFIA, JULIEN = BATON_DEMO_JULIEN, HANNAH = BATON_DEMO_HANNAH,
       N_AGENTS = BATON_DEMO_N_AGENTS };

/* Each agent's usual delay before a first answer, in minutes: Tom is fast, Sofia (who
 * answers as many chats) slow, and so is Julien. */
static const double first_response_minutes[N_AGENTS] = {
  [MAYA] = 30, [LEA] = 9, [TOM] = 3, [SOFIA] = 40, [JULIEN] = 60, [HANNAH] = 20,
};

/* What customers write about. {first} is the customer's first name, {order} an order
 * number, {bike} one of the shop's bikes, {size} a frame size. */
typedef struct {
  const char *opener[3];
  const char *reply[2];
  const char *follow_up[2];
  const char *closing[2];
  const char *again;
  const char *again_reply;
} Lines;

/* A thread is one of two variants: opener, reply, follow-up and closing of the same index go
 * together; the third opener goes with the reply of index third. */
typedef struct {
  const char *tags;
  /* trade customers: Sales takes them */
  gboolean sales;
  /* the matter is settled a day or two later (a repair, a refund) */
  gboolean slow;
  guint third;
  Lines en;
  Lines fr;
} Topic;

static const Topic topics[] = {
  { "order,delivery", FALSE, FALSE, 1, {
    { "Hi, my order {order} still says \"preparing\" after four days. Is everything ok?",
      "Hello, where is my order {order}? The tracking hasn't moved since yesterday.",
      "Hi! Any idea when {order} will arrive? It's a birthday present for Saturday." },
    { "Hi {first}, sorry for the wait! {order} left our warehouse this morning, you'll get the tracking link by email within the hour.",
      "Hi {first}, I've checked with the courier: {order} is at their local depot and out for delivery tomorrow." },
    { "Great, thanks! Will someone need to sign for it?",
      "Ok, thanks for checking. Can it be left with a neighbour?" },
    { "Yes, the courier asks for a signature, but you can choose a safe place from the tracking page.",
      "Sure, just add the neighbour's house number on the tracking page and the driver will leave it there." },
    "It's still not here 😕",
    "Sorry {first}! The courier lost a day at the depot; I've asked for a priority delivery and refunded your shipping." }, {
    { "Bonjour, ma commande {order} est toujours « en préparation » depuis quatre jours, c'est normal ?",
      "Bonjour, où en est ma commande {order} ? Le suivi n'a pas bougé depuis hier.",
      "Bonjour ! Vous savez quand {order} arrivera ? C'est un cadeau pour samedi." },
    { "Bonjour {first}, désolée pour l'attente ! {order} est parti de l'entrepôt ce matin, vous recevrez le lien de suivi par e-mail dans l'heure.",
      "Bonjour {first}, j'ai vérifié auprès du transporteur : {order} est à l'agence locale et sera livré demain." },
    { "Super, merci ! Il faudra signer à la livraison ?",
      "D'accord, merci. Le colis peut être laissé chez un voisin ?" },
    { "Oui, le livreur demande une signature, mais vous pouvez choisir un lieu de dépôt depuis la page de suivi.",
      "Bien sûr, indiquez le nom du voisin sur la page de suivi et le livreur le lui remettra." },
    "Toujours rien reçu 😕",
    "Désolée {first} ! Le colis a pris un jour de retard à l'agence ; j'ai demandé une livraison prioritaire et remboursé les frais de port." } },

  { "delivery", FALSE, FALSE, 1, {
    { "Hi, how long does delivery take for a complete bike?",
      "Hello, do you deliver to Northern Ireland? And how much is it?",
      "Hi, can I collect my order from the London shop instead?" },
    { "Hi {first}! Complete bikes take 2–4 working days and delivery is free from £500.",
      "Hi {first}, yes: delivery is £25 for a complete bike, or free if you collect it from the London shop." },
    { "Perfect, and is the bike fully assembled?",
      "Ok! Do I need to book a time to collect it?" },
    { "It comes 95% assembled: you only fit the pedals and turn the handlebar, the tool is in the box.",
      "No need: we'll text you when it's ready, then come any time during opening hours." },
    "Sorry, one more thing about the delivery…",
    "No problem {first}, what can I do?" }, {
    { "Bonjour, quels sont vos délais pour un vélo complet ?",
      "Bonjour, vous livrez en Corse ? Et à quel prix ?",
      "Bonjour, je peux retirer ma commande au magasin de Lyon ?" },
    { "Bonjour {first} ! Comptez 3 à 5 jours ouvrés, et la livraison est offerte dès 500 €.",
      "Bonjour {first}, oui : 29 € pour un vélo complet, ou gratuit en retrait au magasin de Lyon." },
    { "Parfait, et le vélo arrive monté ?",
      "D'accord ! Il faut prendre rendez-vous pour le retrait ?" },
    { "Il arrive monté à 95 % : il reste les pédales et le guidon à fixer, l'outil est dans le carton.",
      "Pas besoin : on vous envoie un SMS quand il est prêt, passez quand vous voulez aux heures d'ouverture." },
    "Pardon, encore une question sur la livraison…",
    "Pas de souci {first}, je vous écoute." } },

  { "return,refund", FALSE, TRUE, 0, {
    { "Hi, I'd like to return the jacket from order {order}, it's too big.",
      "Hello, I sent back a helmet ({order}) last week. When will I get my refund?",
      "Hi, can I return a saddle I've used twice? It's really uncomfortable." },
    { "Hi {first}, of course: I've emailed you a prepaid return label. The refund goes out as soon as the parcel is checked in.",
      "Hi {first}, the parcel is in our warehouse; the refund will be on your card within 3–5 days." },
    { "Thanks! Do I need the original packaging?",
      "Ok, and will the delivery cost be refunded too?" },
    { "Ideally yes, but any sturdy box does the job.",
      "Yes, the full amount including delivery, as the item was faulty." },
    "The refund still hasn't arrived…",
    "I'm sorry {first}, it was stuck in a batch; I've pushed it through manually just now." }, {
    { "Bonjour, je voudrais retourner la veste de la commande {order}, elle est trop grande.",
      "Bonjour, j'ai renvoyé un casque ({order}) la semaine dernière. Quand serai-je remboursé ?",
      "Bonjour, je peux retourner une selle utilisée deux fois ? Elle est vraiment inconfortable." },
    { "Bonjour {first}, bien sûr : je vous ai envoyé une étiquette de retour prépayée. Le remboursement part dès réception du colis.",
      "Bonjour {first}, le colis est bien arrivé ; le remboursement sera sur votre carte sous 3 à 5 jours." },
    { "Merci ! Il faut l'emballage d'origine ?",
      "D'accord, et les frais de port seront remboursés aussi ?" },
    { "Idéalement oui, mais un carton solide fera l'affaire.",
      "Oui, la totalité, frais de port compris, puisque l'article était défectueux." },
    "Je n'ai toujours pas reçu le remboursement…",
    "Désolée {first}, il était bloqué dans un lot ; je viens de le relancer à la main." } },

  { "sizing", FALSE, FALSE, 0, {
    { "Hi! I'm 1.75 m, should I take the {bike} in {size} or one size up?",
      "Hi, do the cycling shorts run small? I'm usually a {size}.",
      "Hello, what size {bike} for my son? He's 14 and about 1.60 m." },
    { "Hi {first}! At that height the {size} is the right fit; go up only if your inseam is over 84 cm.",
      "Hi {first}, they're true to size, so your usual {size} will be fine. Free exchanges if not!" },
    { "Inseam is 81 cm, so {size} it is. Thanks!",
      "Great, I'll order now." },
    { "Perfect, enjoy the ride 🚲",
      "Brilliant, and remember you have 30 days to swap if needed." },
    "It doesn't fit after all, can I swap it?",
    "Of course {first}, I've emailed you an exchange label: the new size goes out as soon as the parcel is scanned." }, {
    { "Bonjour ! Je mesure 1,75 m, je prends le {bike} en {size} ou la taille au-dessus ?",
      "Bonjour, les cuissards taillent petit ? Je fais du {size} habituellement.",
      "Bonjour, quelle taille de {bike} pour mon fils ? Il a 14 ans et mesure 1,60 m." },
    { "Bonjour {first} ! À cette taille le {size} vous ira ; prenez plus grand seulement avec un entrejambe de plus de 84 cm.",
      "Bonjour {first}, ils taillent normalement, votre {size} habituel ira très bien. L'échange est gratuit sinon !" },
    { "Entrejambe 81 cm, donc {size}. Merci !",
      "Super, je commande tout de suite." },
    { "Parfait, bonne route 🚲",
      "Très bien, et vous avez 30 jours pour échanger si besoin." },
    "Finalement ça ne va pas, je peux échanger ?",
    "Bien sûr {first}, je vous ai envoyé une étiquette d'échange : la nouvelle taille part dès que le colis est scanné." } },

  { "repair,booking", FALSE, TRUE, 0, {
    { "Hi, can I book a service for my {bike} next week?",
      "Hello, my gears skip on the {bike}, can the workshop have a look?",
      "Hi, I need new brake pads fitted, do you have a slot this week?" },
    { "Hi {first}! We have Tuesday 9:00 or Thursday 14:00 at the workshop. Which suits you?",
      "Hi {first}, sure: drop it off any morning and it's usually ready the next day." },
    { "Thursday please.",
      "I'll bring it tomorrow morning then." },
    { "Your bike is ready for collection! We also trued the rear wheel, no charge.",
      "All done: new cable and a gear adjustment, £35. You can pick it up until 18:00." },
    "Since the service the gears make a clicking noise again.",
    "Sorry {first}! Bring it back whenever suits you, we'll fix it straight away and free of charge." }, {
    { "Bonjour, je peux réserver une révision pour mon {bike} la semaine prochaine ?",
      "Bonjour, les vitesses sautent sur mon {bike}, l'atelier peut regarder ?",
      "Bonjour, il faut changer mes plaquettes de frein, vous avez un créneau cette semaine ?" },
    { "Bonjour {first} ! Nous avons mardi 9h ou jeudi 14h à l'atelier. Qu'est-ce qui vous arrange ?",
      "Bonjour {first}, bien sûr : déposez-le un matin, il est prêt en général le lendemain." },
    { "Jeudi, s'il vous plaît.",
      "Je le dépose demain matin alors." },
    { "Votre vélo est prêt ! Nous avons aussi dévoilé la roue arrière, c'est offert.",
      "C'est fait : câble neuf et réglage des vitesses, 35 €. Vous pouvez passer le chercher jusqu'à 19h." },
    "Depuis la révision les vitesses cliquettent de nouveau.",
    "Désolée {first} ! Repassez quand vous voulez, on règle ça tout de suite et gratuitement." } },

  { "repair,e-bike", FALSE, TRUE, 0, {
    { "Hi, my {bike} battery dies after 15 km, it used to do 60.",
      "Hello, the display of my e-bike shows error E03, what does it mean?",
      "Hi, the motor of my {bike} cuts out on hills. Is that covered by the warranty?" },
    { "Hi {first}, that sounds like a cell fault. Could you bring the bike in? The diagnosis is free under warranty.",
      "Hi {first}, that's the speed sensor. Check the magnet on the rear wheel first; if it still shows, bring it in." },
    { "Ok, I'll drop it off tomorrow.",
      "I checked the magnet, it's still there. I'll come by on Saturday." },
    { "Diagnosis done: the battery was faulty and has been replaced under warranty. Your bike is ready!",
      "Fixed: a loose connector on the sensor. Ready for collection, no charge." },
    "The error is back this morning 😩",
    "Oh no! Bring it in again {first}, we'll swap the sensor and lend you a bike meanwhile." }, {
    { "Bonjour, la batterie de mon {bike} tient 15 km au lieu de 60.",
      "Bonjour, l'écran de mon vélo électrique affiche l'erreur E03, ça veut dire quoi ?",
      "Bonjour, le moteur de mon {bike} se coupe dans les côtes. C'est couvert par la garantie ?" },
    { "Bonjour {first}, on dirait un problème de cellule. Vous pouvez apporter le vélo ? Le diagnostic est gratuit sous garantie.",
      "Bonjour {first}, c'est le capteur de vitesse. Vérifiez d'abord l'aimant sur la roue arrière ; sinon, passez à l'atelier." },
    { "D'accord, je le dépose demain.",
      "L'aimant est bien là. Je passe samedi." },
    { "Diagnostic fait : la batterie était défectueuse et a été remplacée sous garantie. Votre vélo est prêt !",
      "Réparé : un connecteur mal branché sur le capteur. Vous pouvez le récupérer, c'est gratuit." },
    "L'erreur est revenue ce matin 😩",
    "Oh non ! Repassez {first}, on change le capteur et on vous prête un vélo en attendant." } },

  { "product", FALSE, FALSE, 0, {
    { "Hi, does the {bike} come with lights and mudguards?",
      "Hello, is the {bike} in {size} back in stock soon?",
      "Hi, is a kickstand included with the {bike}?" },
    { "Hi {first}! Yes, lights, mudguards and a kickstand are included.",
      "Hi {first}, the next delivery is due next week; I can reserve one for you if you like." },
    { "Great, thanks!",
      "Yes please reserve one!" },
    { "You're welcome, have a good day!",
      "Done ✅ You'll get an email as soon as it's in." },
    "Hi again, one more question about the {bike}.",
    "Sure {first}, go ahead!" }, {
    { "Bonjour, le {bike} est livré avec éclairage et garde-boue ?",
      "Bonjour, le {bike} en {size} revient bientôt en stock ?",
      "Bonjour, le {bike} a-t-il une béquille ?" },
    { "Bonjour {first} ! Oui, éclairage, garde-boue et béquille sont inclus.",
      "Bonjour {first}, le prochain arrivage est prévu la semaine prochaine ; je peux vous en réserver un." },
    { "Super, merci !",
      "Oui, réservez-m'en un s'il vous plaît !" },
    { "Avec plaisir, bonne journée !",
      "C'est fait ✅ Vous recevrez un e-mail dès qu'il arrive." },
    "Rebonjour, encore une question sur le {bike}.",
    "Bien sûr {first}, je vous écoute !" } },

  { "wholesale,quote", TRUE, FALSE, 0, {
    { "Hello, we're a delivery company looking at 6 cargo bikes. Do you do fleet prices?",
      "Hi, I run a guesthouse and would like 8 city bikes for guests. Can we get a quote?",
      "Hi, our company wants to offer e-bikes to staff through cycle-to-work. Can you help?" },
    { "Hi {first}, yes! For 5+ bikes we offer 15% off list price with the first year of servicing included. I'll email you a quote today.",
      "Hi {first}, happy to help: I'm preparing a proposal with trade prices and delivery dates, you'll have it this afternoon." },
    { "Thanks, the quote looks good. What's the lead time?",
      "Got it, thanks. Could you add helmets for everyone?" },
    { "All in stock: delivery within 10 working days of your order.",
      "Of course, helmets are 20% off with the bikes; the updated quote is in your inbox." },
    "Hi, we'd like to go ahead with the order.",
    "Wonderful news {first}! I'll send the order confirmation and invoice today." }, {
    { "Bonjour, nous sommes une société de livraison et cherchons 6 vélos cargo. Vous faites des tarifs flotte ?",
      "Bonjour, je tiens des chambres d'hôtes et voudrais 8 vélos pour mes clients. Un devis est possible ?",
      "Bonjour, notre entreprise veut proposer des vélos électriques aux salariés. Vous pouvez nous aider ?" },
    { "Bonjour {first}, oui ! Dès 5 vélos, -15 % sur le prix catalogue avec l'entretien la première année. Je vous envoie un devis aujourd'hui.",
      "Bonjour {first}, avec plaisir : je prépare une proposition avec tarifs pros et délais, vous l'aurez cet après-midi." },
    { "Merci, le devis nous convient. Quel est le délai ?",
      "Bien reçu, merci. Vous pouvez ajouter des casques pour tout le monde ?" },
    { "Tout est en stock : livraison sous 10 jours ouvrés après la commande.",
      "Bien sûr, -20 % sur les casques avec les vélos ; le devis mis à jour est dans votre boîte mail." },
    "Bonjour, nous souhaitons passer commande.",
    "Excellente nouvelle {first} ! Je vous envoie la confirmation et la facture aujourd'hui." } },
};

static const char * const en_thanks[] = {
  "Thank you!", "Perfect, thanks a lot 👍", "Brilliant, cheers!", "Great, thanks for your help.",
  "Thanks, that's all I needed.",
};

static const char * const fr_thanks[] = {
  "Merci beaucoup !", "Parfait, merci 👍", "Super, merci pour votre aide.",
  "Merci, c'est tout ce qu'il me fallait.", "Top, bonne journée !",
};

static const char * const en_extra[] = {
  "Thanks in advance!", "It's quite urgent, sorry.", "I can send a photo if that helps.",
};

static const char * const fr_extra[] = {
  "Merci d'avance !", "C'est assez urgent, désolé.", "Je peux envoyer une photo si besoin.",
};

static const char * const handover_en =
  "Thanks {first}! Trade orders are looked after by our Sales team, I'm passing you over.";
static const char * const handover_fr =
  "Merci {first} ! Les commandes pros sont suivies par notre équipe commerciale, je transmets.";

/* Notes agents leave for each other: the handler's, then the manager's answer. */
static const char * const notes[] = {
  "Second message about this order: let's add a 10% voucher to say sorry.",
  "Checked with the warehouse: stock is fine, the delay was on the courier's side.",
  "Maya, ok to waive the delivery cost here?",
  "Same fault as two other tickets this month, I've told the workshop.",
};

static const char * const notes_fr[] = {
  "Deuxième relance pour cette commande : on ajoute un bon de 10 % pour s'excuser.",
  "Vérifié avec l'entrepôt : le stock est bon, le retard vient du transporteur.",
  "Maya, ok pour offrir les frais de port ici ?",
  "Même panne que deux autres tickets ce mois-ci, j'ai prévenu l'atelier.",
};

static const char * const manager_notes[] = {
  "Yes, go ahead.", "Fine by me 👍", "Ok, and keep me posted.",
};

static const char * const bikes[] = {
  "Gravel 500", "Urban 3", "Roadster 7", "E-City 2", "Carga Pro", "Pip 20", "Trail 9",
};

static const char * const sizes[] = { "S", "M", "L", "XL" };

static const char * const en_first_names[] = {
  "Adam", "Alice", "Ben", "Charlotte", "Connor", "Daisy", "Dylan", "Eleanor", "Elliot",
  "Erin", "Finley", "Florence", "Harvey", "Imogen", "Jacob", "Jessica", "Joseph", "Katie",
  "Lewis", "Lucy", "Max", "Megan", "Nathan", "Niamh", "Owen", "Phoebe", "Reuben", "Scarlett",
  "Samuel", "Sienna", "Toby", "Zara", "Aisha", "Ravi", "Kofi", "Yusuf", "Mei", "Anya",
};

static const char * const en_last_names[] = {
  "Allen", "Armstrong", "Barnes", "Chapman", "Dixon", "Doyle", "Ellis", "Foster", "Gibson",
  "Harrison", "Holmes", "Jenkins", "Kennedy", "Lloyd", "Marshall", "Mason", "Mills", "Murray",
  "Owen", "Palmer", "Pearson", "Porter", "Price", "Reynolds", "Richards", "Saunders", "Shaw",
  "Spencer", "Stevens", "Turner", "Wallace", "Webb", "Wood", "Khan", "Begum", "Nowak",
};

static const char * const fr_first_names[] = {
  "Adèle", "Agathe", "Antonin", "Baptiste", "Bastien", "Céline", "Charlotte", "Clément",
  "Damien", "Elsa", "Émilie", "Étienne", "Florian", "Gaëlle", "Guillaume", "Hélène",
  "Julie", "Julia", "Kévin", "Laure", "Léo", "Lucie", "Margaux", "Mathilde", "Maxime",
  "Noémie", "Océane", "Pauline", "Quentin", "Romain", "Sarah", "Théo", "Valentin", "Yasmine",
  "Karim", "Samia",
};

static const char * const fr_last_names[] = {
  "André", "Arnaud", "Barbier", "Bonnet", "Boyer", "Brun", "Chevalier", "Clément",
  "Colin", "Dumont", "Fontaine", "Gauthier", "Girard", "Guerin", "Henry", "Joly",
  "Lacroix", "Lemaire", "Marchand", "Martinez", "Masson", "Meunier", "Morel", "Muller",
  "Nicolas", "Perrin", "Renaud", "Robin", "Roussel", "Schmitt", "Fabre", "Benali",
  "Peeters", "Janssens", "Favre", "Gerber",
};

/* Where customers write from: the ranges reserved for fiction (Ofcom's 07700 900xxx,
 * ARCEP's 06 39 98 xx xx) for most, made-up numbers for the others. */
typedef struct {
  const char *prefix;
  guint digits;
  gboolean french;
  guint weight;
} Country;

static const Country countries[] = {
  { "+447700900", 3, FALSE, 56 },
  { "+3363998", 4, TRUE, 26 },
  { "+32470", 6, TRUE, 5 },
  { "+4179", 7, TRUE, 3 },
  { "+35387", 7, FALSE, 5 },
  { "+49151", 8, FALSE, 3 },
  { "+316", 8, FALSE, 2 },
};

/* Arrivals by hour of the day in London (weekdays, then weekends): mid-morning and
 * mid-afternoon peaks, a lull at lunch, little at night. */
static const guint weekday_hours[24] = {
  1, 0, 0, 0, 0, 1, 2, 5, 10, 16, 20, 18, 11, 10, 15, 19, 16, 11, 7, 6, 5, 4, 2, 1,
};
static const guint weekend_hours[24] = {
  1, 0, 0, 0, 0, 0, 1, 2, 5, 9, 12, 13, 11, 9, 9, 9, 8, 7, 6, 6, 5, 4, 2, 1,
};

/* Monday first: Mondays bring the weekend's questions */
static const double weekday_share[7] = { 1.2, 1.05, 1.0, 1.0, 0.9, 0.45, 0.25 };

typedef enum {
  ACT_WRITE,
  ACT_REPLY,
  ACT_NOTE,
  ACT_CLAIM,
  ACT_ASSIGN,
  ACT_RESOLVE,
  ACT_TAGS,
} ActKind;

typedef struct {
  gint64 at;
  guint order;
  guint thread;
  ActKind kind;
  int actor;
  /* ACT_ASSIGN: the agent it goes to, and whether to Sales */
  int target;
  gboolean to_sales;
  char *text;
} Act;

typedef struct {
  char *name;
  char *phone;
  gboolean french;
  /* when the last thread ended: a new one may start a day after */
  gint64 free_at;
  /* played: an earlier thread exists, which the next one must not reopen */
  gboolean has_thread;
} Customer;

typedef struct {
  guint customer;
  const Topic *topic;
  char *conversation_id;
} Thread;

struct _BatonDemoHistory {
  BatonDemoCast cast;
  GTimeZone *zone;
  GRand *rand;
  GArray *customers;
  GArray *threads;
  GArray *acts;
  guint next_act;
  gint64 now;
  guint phone_counter;
};

/* Planning: one thread at a time, from the customer's first message on */
typedef struct {
  BatonDemoHistory *history;
  guint thread;
  gint64 at;
  int handler;
  const Lines *lines;
  /* which reply, follow-up and closing go with the opener */
  guint variant;
  GHashTable *words;
  /* in the history's last days, where a few threads stay open */
  gboolean recent;
} Plan;

static void
customer_clear (Customer *customer)
{
  g_free (customer->name);
  g_free (customer->phone);
}

static void
thread_clear (Thread *thread)
{
  g_free (thread->conversation_id);
}

static void
act_clear (Act *act)
{
  g_free (act->text);
}

static guint
pick (GRand *rand,
      guint  n)
{
  return (guint) g_rand_int_range (rand, 0, (gint32) n);
}

#define PICK(rand, lines) ((lines)[pick ((rand), G_N_ELEMENTS (lines))])

static guint
pick_weighted (GRand       *rand,
               const guint *weights,
               guint        n,
               gsize        stride)
{
  guint total = 0, roll;

  for (guint i = 0; i < n; i++)
    total += *(const guint *) ((const char *) weights + i * stride);
  roll = pick (rand, total);
  for (guint i = 0; i < n; i++)
    {
      guint weight = *(const guint *) ((const char *) weights + i * stride);

      if (roll < weight)
        return i;
      roll -= weight;
    }
  return n - 1;
}

/* A delay around a typical one: half to twice it usually, more now and then. */
static gint64
delay_around (GRand  *rand,
              double  minutes)
{
  double u1 = g_rand_double_range (rand, 1e-9, 1.0);
  double u2 = g_rand_double (rand);
  double normal = sqrt (-2.0 * log (u1)) * cos (2 * G_PI * u2);

  return (gint64) (MAX (0.5, minutes * exp (0.6 * normal)) * MINUTE_MS)
         + g_rand_int_range (rand, 0, 60) * 1000;
}

static GDateTime *
local_time (BatonDemoHistory *self,
            gint64            at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / 1000);

  return g_date_time_to_timezone (utc, self->zone);
}

/* The shop's hours: Monday to Friday 9:00–18:00, Saturday 10:00–14:00. */
static gboolean
open_at (BatonDemoHistory *self,
         gint64            at,
         int              *opens_at_hour)
{
  g_autoptr(GDateTime) local = local_time (self, at);
  int day = g_date_time_get_day_of_week (local);
  int hour = g_date_time_get_hour (local);

  *opens_at_hour = day <= 5 ? 9 : day == 6 ? 10 : -1;
  if (day <= 5)
    return hour >= 9 && hour < 18;
  return day == 6 && hour >= 10 && hour < 14;
}

/* When an agent sees a message written at at: at once in opening hours, else when the shop
 * next opens (an answer comes later the same way). */
static gint64
working_time (BatonDemoHistory *self,
              gint64            at)
{
  for (int day = 0; day < 4; day++)
    {
      g_autoptr(GDateTime) local = local_time (self, at);
      g_autoptr(GDateTime) midnight = NULL;
      g_autoptr(GDateTime) morning = NULL;
      g_autoptr(GDateTime) tomorrow = NULL;
      int opens = -1;

      if (open_at (self, at, &opens))
        return at;
      midnight = g_date_time_new (self->zone, g_date_time_get_year (local),
                                  g_date_time_get_month (local),
                                  g_date_time_get_day_of_month (local), 0, 0, 0);
      if (opens >= 0)
        {
          morning = g_date_time_add_hours (midnight, opens);
          if (g_date_time_to_unix (morning) * 1000 > at)
            return g_date_time_to_unix (morning) * 1000 + pick (self->rand, 20) * MINUTE_MS;
        }
      tomorrow = g_date_time_add_days (midnight, 1);
      at = g_date_time_to_unix (tomorrow) * 1000 + MINUTE_MS;
    }
  return at;
}

/* The text with {first}, {order}, {bike} and {size} replaced by the thread's. */
static char *
fill (GHashTable *words,
      const char *text)
{
  GString *filled = g_string_new (NULL);

  while (*text)
    {
      const char *open = strchr (text, '{');
      const char *close = open ? strchr (open, '}') : NULL;
      g_autofree char *key = NULL;
      const char *value = NULL;

      if (close == NULL)
        {
          g_string_append (filled, text);
          break;
        }
      g_string_append_len (filled, text, open - text);
      key = g_strndup (open + 1, close - open - 1);
      value = g_hash_table_lookup (words, key);
      g_string_append (filled, value ? value : key);
      text = close + 1;
    }
  return g_string_free (filled, FALSE);
}

/* A number no customer has yet, in a country picked by weight. */
static char *
new_phone (BatonDemoHistory *self,
           const Country    *country)
{
  guint range = 1;

  for (guint i = 0; i < country->digits; i++)
    range *= 10;
  for (;;)
    {
      /* a stride prime to the range visits every number once, in a mixed order */
      guint number = (++self->phone_counter * 7919u + 104729u) % range;
      g_autofree char *phone = g_strdup_printf ("%s%0*u", country->prefix,
                                                (int) country->digits, number);

      if (!g_hash_table_contains (self->cast.reserved_phones, phone))
        {
          g_hash_table_add (self->cast.reserved_phones, g_strdup (phone));
          return g_steal_pointer (&phone);
        }
    }
}

static guint
new_customer (BatonDemoHistory *self)
{
  const Country *country = &countries[pick_weighted (self->rand, &countries[0].weight,
                                                     G_N_ELEMENTS (countries),
                                                     sizeof (Country))];
  Customer customer = { 0 };

  customer.french = country->french;
  customer.phone = new_phone (self, country);
  if (customer.french)
    customer.name = g_strdup_printf ("%s %s", PICK (self->rand, fr_first_names),
                                     PICK (self->rand, fr_last_names));
  else
    customer.name = g_strdup_printf ("%s %s", PICK (self->rand, en_first_names),
                                     PICK (self->rand, en_last_names));
  g_array_append_val (self->customers, customer);
  return self->customers->len - 1;
}

/* One customer in eight has written before (their last thread ended a day ago or more). */
static guint
find_customer (BatonDemoHistory *self,
               gint64            at)
{
  if (self->customers->len > 20 && pick (self->rand, 8) == 0)
    for (guint attempt = 0; attempt < 8; attempt++)
      {
        guint index = pick (self->rand, self->customers->len);
        Customer *customer = &g_array_index (self->customers, Customer, index);

        if (customer->free_at + DAY_MS < at)
          return index;
      }
  return new_customer (self);
}

/* Topics by weight: orders and returns come most. */
static const guint topic_weights[G_N_ELEMENTS (topics)] = { 20, 12, 14, 14, 14, 8, 12, 6 };

/* Who answers: Tom and Sofia most English chats, Léa most French ones (Sofia the others),
 * the manager and Hannah now and then; trade customers go to Hannah, or to Julien (every
 * French one, and some English ones). */
static int
pick_handler (BatonDemoHistory *self,
              gboolean          french,
              gboolean          sales)
{
  static const guint english[N_AGENTS] = { [MAYA] = 6, [LEA] = 8, [TOM] = 42, [SOFIA] = 38,
                                           [JULIEN] = 0, [HANNAH] = 6 };
  static const guint french_weights[N_AGENTS] = { [LEA] = 70, [SOFIA] = 30 };

  if (sales)
    return french || pick (self->rand, 4) == 0 ? JULIEN : HANNAH;
  return (int) pick_weighted (self->rand, french ? french_weights : english, N_AGENTS,
                              sizeof (guint));
}

static void
plan_act (Plan       *plan,
          ActKind     kind,
          int         actor,
          gint64      at,
          const char *text)
{
  BatonDemoHistory *self = plan->history;
  Act act = { 0 };

  plan->at = act.at = MAX (at, plan->at + 1000);
  act.order = self->acts->len;
  act.thread = plan->thread;
  act.kind = kind;
  act.actor = actor;
  act.text = text ? fill (plan->words, text) : NULL;
  g_array_append_val (self->acts, act);
}

static void
plan_customer (Plan       *plan,
               gint64      after,
               const char *text)
{
  plan_act (plan, ACT_WRITE, -1, plan->at + after, text);
}

/* When an agent acts: once the shop is open and they got round to it. */
static gint64
answer_time (Plan   *plan,
             double  minutes)
{
  BatonDemoHistory *self = plan->history;

  return working_time (self, plan->at) + delay_around (self->rand, minutes);
}

static void
plan_reply (Plan       *plan,
            int         actor,
            double      minutes,
            ActKind     kind,
            const char *text)
{
  plan_act (plan, kind, actor, answer_time (plan, minutes), text);
}

/* target: the agent the conversation goes to, -1 for none (only the team changes) */
static void
plan_assign (Plan     *plan,
             int       actor,
             int       target,
             gboolean  to_sales,
             gint64    at)
{
  Act *act = NULL;

  plan_act (plan, ACT_ASSIGN, actor, at, NULL);
  act = &g_array_index (plan->history->acts, Act, plan->history->acts->len - 1);
  act->target = target;
  act->to_sales = to_sales;
}

/* Until the first answer: the conversation waits in Support's queue (nobody is signed in
 * while the history is written); trade customers are handed over to Sales, some chats are
 * claimed or given to someone by the manager, the others go to whoever replies first. */
static void
plan_first_answer (Plan         *plan,
                   const Topic  *topic,
                   gboolean      french)
{
  GRand *rand = plan->history->rand;
  int handler = plan->handler;
  guint roll = pick (rand, 100);

  if (topic->sales && roll < 50)
    {
      int first = french ? LEA : pick (rand, 2) ? TOM : SOFIA;

      plan_reply (plan, first, first_response_minutes[first], ACT_REPLY,
                  french ? handover_fr : handover_en);
      plan_assign (plan, first, handler, TRUE, plan->at + MINUTE_MS);
    }
  else if (topic->sales)
    {
      plan_reply (plan, handler, first_response_minutes[handler] / 2, ACT_CLAIM, NULL);
      plan_assign (plan, handler, -1, TRUE, plan->at + MINUTE_MS);
    }
  else if (roll < 8 && handler != MAYA)
    {
      plan_assign (plan, MAYA, handler, FALSE, answer_time (plan, 12));
    }
  else if (roll < 28)
    {
      plan_reply (plan, handler, first_response_minutes[handler] / 2, ACT_CLAIM, NULL);
    }
  plan_reply (plan, handler, first_response_minutes[handler], ACT_REPLY,
              plan->lines->reply[plan->variant]);
  /* agents tag about half of their chats */
  if (pick (rand, 2) == 0)
    plan_act (plan, ACT_TAGS, -1, plan->at + 30 * 1000, topic->tags);
}

/* A note now and then; a question to the manager gets her answer. */
static void
plan_note (Plan     *plan,
           gboolean  french)
{
  GRand *rand = plan->history->rand;
  guint index = pick (rand, G_N_ELEMENTS (notes));
  gboolean in_french = french && plan->handler == LEA;

  plan_act (plan, ACT_NOTE, plan->handler, plan->at + (1 + pick (rand, 5)) * MINUTE_MS,
            in_french ? notes_fr[index] : notes[index]);
  if (strstr (notes[index], "Maya") && plan->handler != MAYA)
    plan_reply (plan, MAYA, 25, ACT_NOTE, PICK (rand, manager_notes));
}

/* After the first answer: the customer's follow-up and the agent's closing answer (a day or
 * two later when the workshop or the warehouse has to do something first), thanks, the
 * resolve; some customers write again, which reopens the thread. FALSE: it stays open. */
static gboolean
plan_rest (Plan         *plan,
           const Topic  *topic,
           gboolean      french)
{
  GRand *rand = plan->history->rand;
  const Lines *lines = plan->lines;
  int handler = plan->handler;
  double pace = first_response_minutes[handler];

  if (pick (rand, 100) < 12)
    plan_note (plan, french);
  if (pick (rand, 100) < 60)
    {
      plan_customer (plan, delay_around (rand, 12), lines->follow_up[plan->variant]);
      if (topic->slow)
        plan->at += (18 + pick (rand, 30)) * HOUR_MS;
      plan_reply (plan, handler, pace * 0.6, ACT_REPLY, lines->closing[plan->variant]);
    }
  else if (topic->slow)
    {
      /* the closing answers the follow-up: without one, the matter is settled in silence */
      plan->at += (3 + pick (rand, 40)) * HOUR_MS;
    }
  if (pick (rand, 100) < 25)
    plan_customer (plan, delay_around (rand, 4),
                   french ? PICK (rand, fr_thanks) : PICK (rand, en_thanks));
  /* a handful of the last days' stay open, waiting on the customer */
  if (pick (rand, 100) < 8 && plan->recent)
    return FALSE;
  plan_reply (plan, handler, 4, ACT_RESOLVE, NULL);
  if (pick (rand, 100) < 7)
    {
      plan_customer (plan, (2 + pick (rand, 28)) * HOUR_MS, lines->again);
      plan_reply (plan, handler, pace, ACT_REPLY, lines->again_reply);
      plan_reply (plan, handler, 30, ACT_RESOLVE, NULL);
    }
  return TRUE;
}

static void
plan_words (Plan   *plan,
            GRand  *rand,
            const Customer *customer)
{
  g_auto(GStrv) names = g_strsplit (customer->name, " ", 2);

  g_hash_table_insert (plan->words, g_strdup ("first"), g_strdup (names[0]));
  g_hash_table_insert (plan->words, g_strdup ("order"),
                       g_strdup_printf ("RL-%05u", 15000 + pick (rand, 6000)));
  g_hash_table_insert (plan->words, g_strdup ("bike"), g_strdup (PICK (rand, bikes)));
  g_hash_table_insert (plan->words, g_strdup ("size"), g_strdup (PICK (rand, sizes)));
}

/* A thread that starts at at; what would happen after limit is left out (it is still open). */
static void
plan_thread (BatonDemoHistory *self,
             gint64            at,
             gint64            limit,
             gboolean          recent)
{
  g_autoptr(GHashTable) words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GRand *rand = self->rand;
  Thread thread = { 0 };
  Customer *customer = NULL;
  Plan plan = { self, self->threads->len, at - 1000, -1, NULL, 0, words, recent };
  guint opener = 0;
  guint first_act = self->acts->len;
  gboolean extra = pick (rand, 100) < 10;

  thread.customer = find_customer (self, at);
  thread.topic = &topics[pick_weighted (rand, topic_weights, G_N_ELEMENTS (topics),
                                        sizeof (guint))];
  customer = &g_array_index (self->customers, Customer, thread.customer);
  plan.lines = customer->french ? &thread.topic->fr : &thread.topic->en;
  plan.handler = pick_handler (self, customer->french, thread.topic->sales);
  plan_words (&plan, rand, customer);

  opener = pick (rand, 3);
  plan.variant = opener < 2 ? opener : thread.topic->third;
  plan_customer (&plan, 0, plan.lines->opener[opener]);
  if (extra)
    plan_customer (&plan, (1 + pick (rand, 3)) * MINUTE_MS,
                   customer->french ? PICK (rand, fr_extra) : PICK (rand, en_extra));
  plan_first_answer (&plan, thread.topic, customer->french);
  /* a customer whose thread stays open does not start another */
  customer->free_at = plan_rest (&plan, thread.topic, customer->french)
                      ? plan.at : G_MAXINT64 / 2;

  /* what lies in the future does not happen */
  while (self->acts->len > first_act
         && g_array_index (self->acts, Act, self->acts->len - 1).at > limit)
    g_array_set_size (self->acts, self->acts->len - 1);
  g_array_append_val (self->threads, thread);
}

/* The day's arrivals: slowly more from week to week, weekdays busier than weekends, a busy
 * heatwave week; the same every time for the same day of the history. */
static void
plan_day (BatonDemoHistory *self,
          int               index,
          GDateTime        *midnight,
          gint64            until)
{
  int weekday = g_date_time_get_day_of_week (midnight);
  gboolean weekend = weekday >= 6;
  double rate = (4.0 + 4.0 * index / HISTORY_DAYS) * weekday_share[weekday - 1];
  guint count = 0;

  g_rand_set_seed (self->rand, HISTORY_SEED + index);
  if (index >= BUSY_FIRST_DAY && index <= BUSY_LAST_DAY)
    rate *= 1.6;
  count = (guint) lround (rate * g_rand_double_range (self->rand, 0.85, 1.15));
  for (guint i = 0; i < count; i++)
    {
      guint hour = pick_weighted (self->rand, weekend ? weekend_hours : weekday_hours, 24,
                                  sizeof (guint));
      g_autoptr(GDateTime) start = g_date_time_add_full (midnight, 0, 0, 0, hour,
                                                         pick (self->rand, 60),
                                                         pick (self->rand, 60));
      gint64 at = g_date_time_to_unix (start) * 1000;

      if (at < until)
        plan_thread (self, at, self->now - MINUTE_MS, index >= HISTORY_DAYS - 7);
    }
}

static int
compare_acts (gconstpointer a,
              gconstpointer b)
{
  const Act *first = a;
  const Act *second = b;

  if (first->at != second->at)
    return first->at < second->at ? -1 : 1;
  return first->order < second->order ? -1 : first->order > second->order;
}

BatonDemoHistory *
baton_demo_history_new (const BatonDemoCast *cast,
                        gint64               until,
                        gint64               now)
{
  BatonDemoHistory *self = g_new0 (BatonDemoHistory, 1);
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) today_midnight = NULL;

  self->cast = *cast;
  self->cast.reserved_phones = g_hash_table_ref (cast->reserved_phones);
  self->zone = g_time_zone_new_identifier ("Europe/London");
  if (self->zone == NULL)
    self->zone = g_time_zone_new_utc ();
  self->rand = g_rand_new_with_seed (HISTORY_SEED);
  self->customers = g_array_new (FALSE, TRUE, sizeof (Customer));
  g_array_set_clear_func (self->customers, (GDestroyNotify) customer_clear);
  self->threads = g_array_new (FALSE, TRUE, sizeof (Thread));
  g_array_set_clear_func (self->threads, (GDestroyNotify) thread_clear);
  self->acts = g_array_new (FALSE, TRUE, sizeof (Act));
  g_array_set_clear_func (self->acts, (GDestroyNotify) act_clear);
  self->now = now;

  /* Days counted from today's date, which until (some six days ago) cuts short: the
   * history is the same all day long. */
  today = local_time (self, now);
  today_midnight = g_date_time_new (self->zone, g_date_time_get_year (today),
                                    g_date_time_get_month (today),
                                    g_date_time_get_day_of_month (today), 0, 0, 0);
  for (int index = 0; index <= HISTORY_DAYS; index++)
    {
      g_autoptr(GDateTime) midnight = g_date_time_add_days (today_midnight,
                                                            index - HISTORY_DAYS - 6);

      plan_day (self, index, midnight, until);
    }
  g_array_sort (self->acts, compare_acts);
  return self;
}

void
baton_demo_history_free (BatonDemoHistory *self)
{
  g_hash_table_unref (self->cast.reserved_phones);
  g_time_zone_unref (self->zone);
  g_rand_free (self->rand);
  g_array_unref (self->customers);
  g_array_unref (self->threads);
  g_array_unref (self->acts);
  g_free (self);
}

guint
baton_demo_history_n_threads (BatonDemoHistory *self)
{
  return self->threads->len;
}

gboolean
baton_demo_start_thread (BatonWorkspace      *workspace,
                         const char          *channel_id,
                         const BatonInbound  *inbound,
                         char               **conversation_id,
                         gboolean            *new_contact,
                         GError             **error)
{
  g_autofree char *contact_id = baton_workspace_find_contact (workspace, inbound->from, NULL);
  g_autofree char *active_id = NULL;
  g_autofree char *parking_id = NULL;
  g_autofree char *message_id = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean duplicate = FALSE;
  gboolean received = FALSE;

  *new_contact = contact_id == NULL;
  if (contact_id)
    active_id = baton_workspace_find_open_conversation (workspace, contact_id, channel_id,
                                                        NULL);
  if (active_id)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                   "%s starts a thread while another is active", inbound->name);
      return FALSE;
    }
  if (contact_id
      && (parking_id = baton_workspace_set_threads_aside (workspace, contact_id,
                                                          error)) == NULL)
    return FALSE;
  received = baton_workspace_receive (workspace, channel_id, inbound, &message_id,
                                      conversation_id, &duplicate, error);
  if (parking_id
      && !baton_workspace_bring_threads_back (workspace, parking_id, contact_id, &local_error))
    {
      if (received)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return received;
}

/* The customer writes: the thread's first message starts it (a returning customer's earlier
 * threads stay resolved), the others continue or reopen it. */
static gboolean
play_message (BatonDemoHistory  *self,
              Thread            *thread,
              const Act         *act,
              GError           **error)
{
  Customer *customer = &g_array_index (self->customers, Customer, thread->customer);
  BatonInbound inbound = { .from = customer->phone, .name = customer->name, .body = act->text };
  g_autofree char *message_id = NULL;
  g_autofree char *conversation_id = NULL;
  gboolean duplicate = FALSE, new_contact = FALSE;

  if (thread->conversation_id == NULL && customer->has_thread)
    {
      if (!baton_demo_start_thread (self->cast.workspace, self->cast.channel_id, &inbound,
                                    &thread->conversation_id, &new_contact, error))
        return FALSE;
    }
  else if (!baton_workspace_receive (self->cast.workspace, self->cast.channel_id, &inbound,
                                     &message_id, &conversation_id, &duplicate, error))
    {
      return FALSE;
    }
  customer->has_thread = TRUE;
  if (thread->conversation_id == NULL)
    thread->conversation_id = g_steal_pointer (&conversation_id);
  return TRUE;
}

static BatonConversation *
play_assignment (BatonDemoHistory  *self,
                 Thread            *thread,
                 const Act         *act,
                 GError           **error)
{
  const char *assignee[] = { NULL, NULL };
  BatonAssignment assignment = { 0 };

  if (act->target >= 0)
    {
      assignee[0] = self->cast.agents[act->target]->id;
      assignment.set_assignees = TRUE;
      assignment.assignee_ids = assignee;
    }
  assignment.set_team = act->to_sales;
  assignment.team_id = self->cast.sales_team_id;
  return baton_workspace_assign (self->cast.workspace, thread->conversation_id,
                                 self->cast.agents[act->actor], &assignment, error);
}

static gboolean
play_act (BatonDemoHistory  *self,
          const Act         *act,
          GError           **error)
{
  BatonWorkspace *workspace = self->cast.workspace;
  Thread *thread = &g_array_index (self->threads, Thread, act->thread);
  BatonAgent *actor = act->actor >= 0 ? self->cast.agents[act->actor] : NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(BatonMessage) message = NULL;
  g_auto(GStrv) tags = NULL;

  if (act->kind == ACT_WRITE)
    return play_message (self, thread, act, error);
  g_assert (thread->conversation_id != NULL);
  switch (act->kind)
    {
    case ACT_REPLY:
    case ACT_NOTE:
      message = baton_workspace_post_message (workspace, thread->conversation_id, actor,
                                              act->text, act->kind == ACT_NOTE, error);
      return message != NULL;
    case ACT_CLAIM:
      conversation = baton_workspace_claim (workspace, thread->conversation_id, actor, error);
      break;
    case ACT_ASSIGN:
      conversation = play_assignment (self, thread, act, error);
      break;
    case ACT_RESOLVE:
      conversation = baton_workspace_resolve (workspace, thread->conversation_id, actor, error);
      break;
    case ACT_TAGS:
      tags = g_strsplit (act->text, ",", -1);
      conversation = baton_workspace_set_tags (workspace, thread->conversation_id,
                                               (const char * const *) tags, "replace", error);
      break;
    case ACT_WRITE:
    default:
      g_assert_not_reached ();
    }
  return conversation != NULL;
}

gboolean
baton_demo_history_play_until (BatonDemoHistory  *self,
                               gint64             at,
                               GError           **error)
{
  for (; self->next_act < self->acts->len; self->next_act++)
    {
      const Act *act = &g_array_index (self->acts, Act, self->next_act);
      g_autoptr(BatonClock) clock = NULL;

      if (act->at > at)
        break;
      clock = baton_clock_new_fixed (act->at);
      baton_workspace_set_clock (self->cast.workspace, clock);
      if (!play_act (self, act, error))
        {
          g_prefix_error (error, "Demo history, thread %u: ", act->thread);
          return FALSE;
        }
    }
  return TRUE;
}
