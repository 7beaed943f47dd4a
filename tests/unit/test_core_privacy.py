"""The one phone mask, shared by the API, the table, the CSV export and the dashboard."""

from __future__ import annotations

import pytest

from core.privacy import mask_phone


@pytest.mark.parametrize(("phone", "text"), [
    ("+19095550123", "(•••) •••-0123"), ("(909) 555-0123", "(•••) •••-0123"),
    ("9095550123", "(•••) •••-0123"), ("+44 20 7946 0958", "•••-0958"), ("12", "••"),
    ("", ""), (None, None),
    ("(•••) •••-0123", "(•••) •••-0123"),  # masked already: unchanged, not masked twice
])
def test_priv001_mask_phone(phone, text):
    assert mask_phone(phone) == text
