"""What the bot says, in English and Spanish: short, friendly, no links.

One voice: the bot is the buyer's assistant. It says "I" for itself and names the buyer
("Jorge can offer..."), never "this is Jorge". The wording is chosen from the conversation's
own state (not at random), so a replayed conversation gets the same replies and a re-asked
question is phrased differently. Every template exists in both languages (``TEXTS``); the
buyer's name and amounts are filled in by the functions below.
"""

from __future__ import annotations

from datetime import datetime

from seller_bot.slots import describe

MAX_REPLY_CHARS = 320

EN = {
    "greeting": "Hi {name}, I'm {buyer}'s assistant. ",
    "greeting_thanks": "Thanks for reaching out about your home! ",
    "ask:condition": (
        "How would you describe the home's condition: move-in ready, needs a few small "
        "repairs, or needs major work?",
        "What shape is the house in? Move-in ready, some light fixes (paint, carpet), or "
        "bigger work like a roof or foundation?",
        "Is the house ready to move in, or does it need some work?",
    ),
    "ask:price_expectation": (
        "What price would you want to get for the house?",
        "What number would you need to walk away happy?",
        "Roughly what price do you have in mind for it?",
    ),
    "ask:motivation": (
        "What has you thinking about selling, and how soon would you like to close?",
        "What's the main reason for selling, and what timeline works for you?",
        "Why are you looking to sell, and how quickly do you want to move?",
    ),
    "ask:timeline_days": (
        "How soon would you ideally like to close? 30 days, a couple of months?",
        "What's your timeline? Would closing within the next month or two work?",
        "When would you like to be done with the sale?",
    ),
    "ask:motivation_only": (
        "And what's the main reason you're selling?",
        "What's prompting the sale?",
    ),
    "ask:address": (
        "What's the property's street address, so {buyer} knows where to go?",
        "Which street address should {buyer} come to?",
    ),
    "ask:address_in": (
        "What's the street address of the place in {city}?",
        "Which street in {city} is it on, with the house number?",
    ),
    "reask:condition": (
        "No problem! Roughly: move-in ready, small fixes like paint or carpet, or bigger "
        "things like a roof or foundation?",
        "Sorry, I didn't quite catch that. Does the house need any work, or is it ready "
        "to move in?",
    ),
    "reask:price_expectation": (
        "A ballpark is totally fine, like 450k. What price would you want?",
        "Sorry, I missed the number. What would you like to get for the house, roughly?",
    ),
    "reask:motivation": (
        "Just so I understand your situation: what's the main reason you're selling?",
        "What's prompting the sale? Relocating, downsizing, an inherited house, anything "
        "else?",
    ),
    "reask:timeline_days": (
        "Roughly how soon do you want to sell? ASAP, 30 days, a few months?",
        "Sorry, what timeline do you have in mind for closing?",
    ),
    "reask:address": (
        "Just the street and house number is fine, like 1234 Main St, Fontana.",
        "Sorry, I didn't catch the address. What's the house number and street?",
    ),
    "price_again": (
        "To put a cash offer together I need a ballpark price. What would you want for it?",
        "Before I can make an offer, what price are you hoping to get? A rough number works.",
    ),
    "ack": ("Got it.", "Thanks!", "Good to know."),
    "ack_correction": "Thanks for the correction, I've updated that.",
    "ack_accepted": "Great!",
    "empathy:death": "I'm so sorry for your loss.",
    "empathy:divorce": "I'm sorry you're going through that.",
    "empathy:illness": "I'm sorry about the health troubles, I hope things get easier.",
    "no_rush": "There's no rush at all. {buyer} will reach out personally when it suits you.",
    "offer": (
        "Based on what you shared, {buyer} can offer {amount} cash, as-is: no repairs, no "
        "fees, you pick the closing date. Does that work for you?",
        "{buyer} can offer {amount} cash, as-is, no commissions or repairs. Would that work "
        "for you?",
    ),
    "offer_reask": (
        "Just to check: would a {amount} cash offer work for you? A yes or no is fine.",
        "Sorry, I didn't catch that. Are you open to the {amount} cash offer?",
    ),
    "offer_pending": "Would the {amount} cash offer work for you?",
    "offer_not_yet": "{buyer}'s cash offer depends on the home and the price you have in mind, "
                     "so a few quick questions first.",
    "offer_undecided": (
        "Totally fair, take your time. The {amount} cash offer stands; just reply yes "
        "whenever you're ready.",
        "No pressure at all. {buyer} can hold the {amount} offer for you. Reply yes when "
        "you'd like to move forward.",
    ),
    "counter": "Thanks! I'll pass your {amount} on to {buyer}, who will call you to talk it "
               "over.",
    "declined": "Understood, thanks for considering it. If anything changes, just text back "
                "and {buyer} will take another look.",
    "slots": (
        "Let's set a time for {buyer} to see the place: {listed}. Which works better?",
        "{buyer} can come by {listed}. Which one suits you?",
    ),
    "slot_taken": "Sorry, that time was just taken. How about {listed}? Just reply 1 or 2.",
    "slots_reask": "Which time works for you: {listed}? Just reply 1 or 2.",
    "no_slots": "{buyer}'s calendar is full for now, so {buyer} will call you to find a time "
                "that works.",
    "address_skipped": "No problem, {buyer} will confirm the address with you.",
    "booked": "You're booked for {when}{where}. {buyer} will see you then. Reply here if "
              "anything changes.",
    "booked_no_address": "You're booked for {when}. {buyer} will call to confirm the address. "
                         "Reply here if anything changes.",
    "after_booking": "Thanks! You're all set{when}. {buyer} will reach out if anything "
                     "changes.",
    "holding": "Thanks for the message! {buyer} will follow up with you personally.",
    "opted_out": "You're unsubscribed and won't get any more texts from this number. Take care!",
    "wrong_number": "Sorry about that! I won't text this number again.",
    "angry": "I'm sorry for the trouble. {buyer} will reach out personally, and if you'd "
             "rather not hear from us, reply STOP.",
    "question_unclear": "Sorry, I'm not sure I understood the question. Could you put it "
                        "another way?",
    "question_to_human": "Good question. I've asked {buyer} to answer it personally; expect "
                         "a call or text soon.",
    "unsupported_language": "Sorry, I can only text in English or Spanish (solo puedo "
                            "escribir en inglés o español). {buyer} will reach out to you "
                            "personally.",
    "my_address": "The address I have is {address}.",
    "my_address_unknown": "I don't have the property's address yet.",
    "my_appointment": "You're booked for {when}.",
    "my_appointment_none": "You don't have an appointment yet.",
}

ES = {
    "greeting": "Hola {name}, soy asistente de {buyer}. ",
    "greeting_thanks": "¡Gracias por escribirnos sobre su casa! ",
    "ask:condition": (
        "¿En qué condiciones está la casa: lista para vivir, necesita reparaciones "
        "pequeñas o necesita reparaciones mayores?",
        "¿Cómo está la casa? ¿Lista para vivir, con arreglos pequeños (pintura, alfombra) o "
        "con trabajos grandes como el techo o los cimientos?",
        "¿La casa está lista para vivir o necesita reparaciones?",
    ),
    "ask:price_expectation": (
        "¿Cuánto le gustaría recibir por la casa?",
        "¿Qué precio tiene en mente para la casa?",
        "¿Más o menos en cuánto quiere vender?",
    ),
    "ask:motivation": (
        "¿Por qué está pensando en vender, y qué tan pronto le gustaría cerrar?",
        "¿Cuál es la razón principal para vender, y en cuánto tiempo le gustaría?",
        "¿Qué lo lleva a vender, y qué tan rápido quiere mudarse?",
    ),
    "ask:timeline_days": (
        "¿Qué tan pronto le gustaría cerrar? ¿30 días, un par de meses?",
        "¿Qué plazo tiene en mente? ¿Le serviría cerrar en uno o dos meses?",
        "¿Para cuándo le gustaría terminar la venta?",
    ),
    "ask:motivation_only": (
        "¿Y cuál es la razón principal para vender?",
        "¿Qué lo lleva a vender?",
    ),
    "ask:address": (
        "¿Cuál es la dirección de la propiedad, para que {buyer} sepa a dónde ir?",
        "¿A qué dirección debe ir {buyer}?",
    ),
    "ask:address_in": (
        "¿Cuál es la dirección de la casa en {city}?",
        "¿En qué calle de {city} está, con el número?",
    ),
    "reask:condition": (
        "¡No se preocupe! Más o menos: ¿lista para vivir, arreglos pequeños como pintura, o "
        "algo grande como el techo o los cimientos?",
        "Perdón, no entendí bien. ¿La casa necesita reparaciones o está lista para vivir?",
    ),
    "reask:price_expectation": (
        "Un número aproximado está bien, por ejemplo 450 mil. ¿Cuánto quisiera?",
        "Perdón, no vi el número. ¿Más o menos cuánto quiere por la casa?",
    ),
    "reask:motivation": (
        "Para entender su situación: ¿cuál es la razón principal para vender?",
        "¿Qué lo lleva a vender? ¿Una mudanza, una herencia, algo más?",
    ),
    "reask:timeline_days": (
        "¿Más o menos cuándo quiere vender? ¿Lo antes posible, 30 días, unos meses?",
        "Perdón, ¿para cuándo le gustaría cerrar?",
    ),
    "reask:address": (
        "Con la calle y el número basta, por ejemplo 1234 Main St, Fontana.",
        "Perdón, no entendí la dirección. ¿Cuál es el número y la calle?",
    ),
    "price_again": (
        "Para hacerle una oferta en efectivo necesito un precio aproximado. ¿Cuánto quisiera?",
        "Antes de hacer una oferta, ¿qué precio espera? Un número aproximado está bien.",
    ),
    "ack": ("Entendido.", "¡Gracias!", "Muy bien."),
    "ack_correction": "Gracias por la corrección, ya lo cambié.",
    "ack_accepted": "¡Excelente!",
    "empathy:death": "Lo siento mucho por su pérdida.",
    "empathy:divorce": "Siento mucho que esté pasando por eso.",
    "empathy:illness": "Siento mucho lo de la salud, espero que todo mejore.",
    "no_rush": "No hay ninguna prisa. {buyer} se comunicará con usted personalmente cuando "
               "le convenga.",
    "offer": (
        "Con lo que me contó, {buyer} puede ofrecerle {amount} en efectivo, tal como está: "
        "sin reparaciones ni comisiones, y usted elige la fecha de cierre. ¿Le parece bien?",
        "{buyer} puede ofrecerle {amount} en efectivo, tal como está, sin comisiones ni "
        "reparaciones. ¿Le funciona?",
    ),
    "offer_reask": (
        "Solo para confirmar: ¿le funciona una oferta de {amount} en efectivo? Un sí o un no "
        "está bien.",
        "Perdón, no entendí. ¿Le interesa la oferta de {amount} en efectivo?",
    ),
    "offer_pending": "¿Le funciona la oferta de {amount} en efectivo?",
    "offer_not_yet": "La oferta de {buyer} depende de la casa y del precio que usted tiene en "
                     "mente, así que primero unas preguntas rápidas.",
    "offer_undecided": (
        "Claro, tómese su tiempo. La oferta de {amount} en efectivo sigue en pie; responda "
        "sí cuando esté listo.",
        "Sin presión. {buyer} le guarda la oferta de {amount}. Responda sí cuando quiera "
        "seguir adelante.",
    ),
    "counter": "¡Gracias! Le paso sus {amount} a {buyer}, quien le llamará para hablarlo.",
    "declined": "Entendido, gracias por considerarlo. Si algo cambia, escríbame y {buyer} lo "
                "revisará de nuevo.",
    "slots": (
        "Pongamos una hora para que {buyer} vea la casa: {listed}. ¿Cuál le queda mejor?",
        "{buyer} puede pasar {listed}. ¿Cuál le conviene?",
    ),
    "slot_taken": "Perdón, esa hora se acaba de ocupar. ¿Qué tal {listed}? Responda 1 o 2.",
    "slots_reask": "¿Qué hora le funciona: {listed}? Responda 1 o 2.",
    "no_slots": "La agenda de {buyer} está llena por ahora, así que {buyer} le llamará para "
                "buscar una hora.",
    "address_skipped": "No se preocupe, {buyer} le confirmará la dirección.",
    "booked": "Listo, su cita es el {when}{where}. {buyer} lo verá entonces. Escríbame si algo "
              "cambia.",
    "booked_no_address": "Listo, su cita es el {when}. {buyer} le llamará para confirmar la "
                         "dirección. Escríbame si algo cambia.",
    "after_booking": "¡Gracias! Todo listo{when}. {buyer} le avisará si algo cambia.",
    "holding": "¡Gracias por su mensaje! {buyer} se comunicará con usted personalmente.",
    "opted_out": "Listo, no recibirá más mensajes de este número. ¡Que esté bien!",
    "wrong_number": "¡Perdón por la molestia! No volveré a escribir a este número.",
    "angry": "Perdón por la molestia. {buyer} se comunicará con usted personalmente; si "
             "prefiere no recibir mensajes, responda ALTO.",
    "question_unclear": "Perdón, no estoy seguro de entender la pregunta. ¿Me la puede "
                        "explicar de otra forma?",
    "question_to_human": "Buena pregunta. Le pedí a {buyer} que se la conteste personalmente; "
                         "pronto le llamará o escribirá.",
    "unsupported_language": EN["unsupported_language"],
    "my_address": "La dirección que tengo es {address}.",
    "my_address_unknown": "Todavía no tengo la dirección de la propiedad.",
    "my_appointment": "Su cita es el {when}.",
    "my_appointment_none": "Todavía no tiene una cita.",
}
TEXTS = {"en": EN, "es": ES}
ES_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
ES_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")


def text(lang: str, key: str, turn: int = 0, **values: object) -> str:
    """The ``key`` template in ``lang`` (a variant chosen by ``turn``), filled in."""
    template = TEXTS[lang][key]
    if isinstance(template, tuple):
        template = template[turn % len(template)]
    return template.format(**values) if values else template


def join(*parts: str | None) -> str:
    """Sentences joined with one space, empty parts left out."""
    return " ".join(part.strip() for part in parts if part)


def shorten(reply: str, limit: int = MAX_REPLY_CHARS) -> str:
    """At most ``limit`` characters, cut after the last whole sentence that fits (a long
    configured answer must not end a text mid-word)."""
    if len(reply) <= limit:
        return reply
    head = reply[:limit]
    end = max(head.rfind(mark) for mark in (". ", "? ", "! "))
    return head[:end + 1] if end > 0 else head


def first_name(name: str | None, lang: str = "en") -> str:
    if name and name.split():
        return name.split()[0]
    return "there" if lang == "en" else ""


def greeting(name: str | None, buyer: str, rest: str, lang: str,
             with_thanks: bool = True) -> str:
    hello = text(lang, "greeting", name=first_name(name, lang), buyer=buyer)
    hello = hello.replace("Hola , ", "Hola, ")
    return join(hello, text(lang, "greeting_thanks") if with_thanks else "", rest)


def money(amount: int) -> str:
    return f"${amount:,}"


def when(slot: datetime, lang: str) -> str:
    """'Tue Dec 1 at 10:00 AM' / 'martes 1 de diciembre a las 10:00 AM', local to the slot."""
    if lang == "es":
        return (f"{ES_WEEKDAYS[slot.weekday()]} {slot.day} de {ES_MONTHS[slot.month - 1]} a "
                f"las {slot:%-I:%M %p}")
    return describe(slot)


def listed(slots: list[datetime], lang: str) -> str:
    """'1) Tue Dec 1 at 10:00 AM or 2) ...': numbered, so a seller can answer 1 or 2."""
    word = " o " if lang == "es" else " or "
    return word.join(f"{i}) {when(slot, lang)}" for i, slot in enumerate(slots, 1))
