"""What a conversation puts into the index layout (issue #15: fewer and smaller entries)."""

from __future__ import annotations

from datetime import UTC, datetime

from core.keys import LocationKeys
from seller_bot.aggregates import contribution, search_tokens
from seller_bot.flow import start_conversation
from services.table.planning import segment_sets
from services.table.query import search_terms, term_prefixes

NOW = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


def test_entries001_search_tokens_leave_out_street_types_and_the_state():
    conv = start_conversation("c1", "loc", NOW, name="José Núñez", phone="+1 (909) 555-0117")
    conv.address = "11118 Cypress Point Dr, Apt 4, Ontario, CA"
    assert search_tokens(conv) == {"jose", "nunez", "11118", "cypress", "point", "4",
                                   "ontario", "9095550117", "~7110555909"}
    conv.address = "12 Ca Street, La Verne"  # a state code only as the last word goes
    assert search_tokens(conv) >= {"12", "ca", "la", "verne"}
    # ... or right before the ZIP code that ends the address.
    conv.address = "1003 Palo Verde Dr, Moreno Valley, CA 92555"
    assert search_tokens(conv) - {"jose", "nunez", "9095550117", "~7110555909"} == {
        "1003", "palo", "verde", "moreno", "valley", "92555"}
    conv.address = "7 Main St, Corona, CA 92880-1234"
    assert {"ca", "st"}.isdisjoint(search_tokens(conv))
    assert {"7", "main", "corona", "92880", "1234"} <= search_tokens(conv)
    conv.address = "9 Ca Rd 92880"  # the street's own name stays when it is no state
    assert "ca" in search_tokens(conv)


def test_entries002_search_terms_drop_the_words_the_index_leaves_out():
    assert search_terms("Cypress Point Dr, Ontario CA") == ["cypress", "point", "ontario"]
    assert search_terms("dr") == ["dr"]  # nothing else: a prefix ("drew")
    assert search_terms("(909) 555-0117") == ["9095550117"]


def test_entries003_digits_match_the_numbers_starting_or_ending_with_them():
    assert term_prefixes("0117") == ["0117", "~7110"]
    assert term_prefixes("maria") == ["maria"]


def test_entries004_an_open_conversation_is_in_open_inbound_or_else_in_the_open_set():
    keys = LocationKeys("loc")
    open_sets = segment_sets(keys, "open")
    conv = start_conversation("c1", "loc", NOW)
    silent = {key for key, _ in contribution(conv, keys, NOW.timestamp(), 3600).entries}
    assert silent & set(open_sets) == {keys.open_silent}
    assert keys.segment_index("open") not in silent
    conv.last_inbound_at = NOW
    answered = {key for key, _ in contribution(conv, keys, NOW.timestamp(), 3600).entries}
    assert answered & set(open_sets) == {keys.open_inbound}
