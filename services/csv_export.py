"""The conversation table as CSV, the one format of GET /api/export.csv and the dashboard's
"Export CSV" button."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import fields

from seller_bot.fields import FIELDS
from services.dashboard_models import ConversationRow

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 200
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def e164(phone: str | None) -> str | None:
    """A full number as a dialer takes it ("(909) 555-0123" -> "+19095550123", NANP numbers
    without a country code taken as +1); masked or unreadable numbers are returned as they are."""
    if not phone or "•" in phone:
        return phone
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip().startswith("+"):
        candidate = f"+{digits}"
    elif len(digits) == 10:
        candidate = f"+1{digits}"
    elif len(digits) == 11 and digits.startswith("1"):
        candidate = f"+{digits}"
    else:
        return phone
    return candidate if E164.match(candidate) else phone


def csv_cell(value: object) -> object:
    """The value as a spreadsheet cell that can never run as a formula (an E.164 number,
    "+" and digits only, is not one)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not E164.match(value):
        return "'" + value
    return value


def csv_columns() -> list[str]:
    """The export's columns: the row's own, then every extracted field (``row.to_dict``)."""
    return [*(f.name for f in fields(ConversationRow) if f.name != "extracted"),
            *(f.name for f in FIELDS)]


def csv_lines(rows: Iterable[ConversationRow]) -> Iterator[str]:
    """A header line, then the rows, a few hundred per chunk; UTF-8 BOM so Excel reads accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = csv_columns()
    writer.writerow(columns)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        values = row.to_dict()
        writer.writerow([csv_cell(e164(row.phone) if name == "phone" else values.get(name))
                         for name in columns])
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
