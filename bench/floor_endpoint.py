"""The floor of bench/webhook.py (``--floor``): a message's Redis work, and none of the bot's.

Served by the same gunicorn settings as the app (``gunicorn bench.floor_endpoint:app``), its
``POST /webhooks/ghl/inbound`` parses the JSON body, runs the real store's ``peek`` (duplicate
check, document, budget: one round trip) and then the real commit script with the arguments the
real bot wrote for one message (another round trip), and answers with that message's answer.
Those arguments are made once, at import: the bot's fourth text (``TEMPLATE_TEXT``) on a
conversation of six messages, written by the real bot through a store that keeps documents in
memory; each request puts its own contact in them, and the document ``peek`` read as the
expected one, so the compare-and-set succeeds and writes. The ratio floor/minimal is what the
webhook could reach if the bot's Python cost nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import orjson
import redis
from werkzeug.wrappers import Request, Response

from api.webhook import INBOUND, MOUNT, LocationBudget, json_response
from bench.webhook import TEXTS
from core.keys import LocationKeys
from core.redis_client import connect
from core.settings import Settings
from seller_bot.bot import SellerBot
from seller_bot.document import stored_bytes
from seller_bot.payload import InboundMessage
from seller_bot.store import COMMIT_SCRIPT, ConversationStore

LOCATION = "bench-loc"  # the location of every message bench/webhook.py sends
TEMPLATE_CONTACT = "floor-template"
TEMPLATE_TEXT = 4  # the message whose write every request repeats: 1-based, in TEXTS


class InMemoryStore(ConversationStore):
    """The real store's writes (``commit_call``), kept in memory instead of sent: the bot runs
    through a conversation without Redis, and the last write's keys and arguments stay."""

    def __init__(self, client: redis.Redis, settings: Settings) -> None:
        super().__init__(client, settings)
        self.stored: dict[str, bytes] = {}
        self.last_call: tuple[list[str], list] = ([], [])

    def load_raw(self, location_id: str, contact_id: str) -> bytes | None:
        return self.stored.get(contact_id)

    def commit(self, old_raw, old, new, *, location_id: str, contact_id: str, **options) -> int:
        self.last_call = self.commit_call(old_raw, old, new, location_id=location_id,
                                          contact_id=contact_id, **options)
        self.stored[contact_id] = self.last_call[1][1]
        return 1

    def taken_slots(self, location_id: str, after: float, until: float = math.inf) -> list[float]:
        return []

    def passed_appointments(self, location_id: str, before: float) -> list[str]:
        return []

    def retire_expired(self, location_id: str, limit: int = 200) -> int:
        return 0


def template_write(client: redis.Redis, settings: Settings) -> tuple[list[str], list, dict]:
    """The commit script's keys and arguments of the bot's ``TEMPLATE_TEXT``-th text, and the
    webhook's answer to it."""
    store = InMemoryStore(client, settings)
    bot = SellerBot(client, settings, store=store)
    for number, text in enumerate(TEXTS[:TEMPLATE_TEXT]):
        result = bot.handle_inbound(InboundMessage(
            type="InboundMessage", locationId=LOCATION, contactId=TEMPLATE_CONTACT,
            conversationId=f"conv-{TEMPLATE_CONTACT}", messageId=f"m-{number}", body=text,
            messageType="SMS", direction="inbound", contactName="Bench Seller",
            phone="+19095550100"))
    keys, args = store.last_call
    return keys, args, result.to_dict()


settings = Settings()
client = connect(settings)  # the app's client: its decoding and options
store = ConversationStore(client, settings)
commit = client.register_script(COMMIT_SCRIPT)
budget_seconds = LocationBudget(client, settings.webhook_rate_limit).seconds
KEYS, ARGS, ANSWER = template_write(client, settings)
# Where a request puts its contact: the document's key (also in the suppression record's place,
# as in every update) and the index entries' member. The documents (ARGS[0], ARGS[1]) are
# not searched: the expected one is the one read, the new one stays the template's.
CONTACT_KEYS = [i for i, key in enumerate(KEYS)
                if key == LocationKeys(LOCATION).conversation(TEMPLATE_CONTACT)]
CONTACT_ARGS = [i for i, arg in enumerate(ARGS) if arg == TEMPLATE_CONTACT]
if sum(TEMPLATE_CONTACT in key for key in KEYS) != len(CONTACT_KEYS) \
        or sum(TEMPLATE_CONTACT in str(arg) for arg in ARGS[2:]) != len(CONTACT_ARGS):
    raise RuntimeError("the template's contact is somewhere a request would not replace it")


def inbound(body: bytes) -> Response:
    data = orjson.loads(body)
    contact = data["contactId"]
    peek = store.peek(LOCATION, contact, data["messageId"], budget_seconds)
    keys, args = list(KEYS), list(ARGS)
    document_key = LocationKeys(LOCATION).conversation(contact)
    for i in CONTACT_KEYS:
        keys[i] = document_key
    for i in CONTACT_ARGS:
        args[i] = contact
    args[0] = stored_bytes(peek.stored) if peek.stored else ""
    version = commit(keys=keys, args=args)
    if version <= 0:  # not written: the bench counts the answer as an error
        return Response(orjson.dumps({"status": "not_written", "result": version}), 500)
    return json_response(ANSWER)


def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
    request = Request(environ)
    if request.path == "/healthz":
        response = json_response({"status": "ok"})
    elif request.path == MOUNT + INBOUND and request.method == "POST":
        response = inbound(request.get_data())
    else:
        response = Response(status=404)
    return response(environ, start_response)
