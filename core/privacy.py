"""Personal data as it may be shown: the one phone mask of the API, the table and the CSV."""

from __future__ import annotations

MASK = "•"


def mask_phone(phone: str | None) -> str | None:
    """``(•••) •••-0123`` for a US number, ``•••-0958`` for others: enough to recognise a number,
    not enough to dial it off a screen. None stays None; a masked number is returned unchanged."""
    if not phone or MASK in phone:
        return phone
    digits = "".join(ch for ch in phone if ch.isdigit())
    national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    if len(national) == 10:
        return f"({MASK * 3}) {MASK * 3}-{national[-4:]}"
    if len(digits) <= 4:
        return MASK * len(digits)
    return f"{MASK * 3}-{digits[-4:]}"
