"""Hostile values into every server-side Dash callback, through /_dash-update-component: a
signed-in user's crafted request may be refused or ignored, never a 500."""

from __future__ import annotations

import json

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from core.settings import Settings
from services.users import user_entry
from tests.helpers import (
    PASSWORD,
    SECRET_KEY,
    WEBHOOK_SECRET,
    inbound,
    log_in,
    signed_post,
)

SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40))
HOSTILE = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=10)
# Near-valid shapes reach deeper into the callbacks than random noise does.
PLAUSIBLE = st.one_of(
    st.fixed_dictionaries({"row": st.integers(), "column": st.integers(),
                           "column_id": st.text(max_size=20),
                           "row_id": st.one_of(st.text(max_size=80), st.sampled_from([
                               "loc-1/seller-1", "loc-1/", "/seller-1", "bad id/x",
                               "loc-1/nobody", "loc-1/seller-1/extra"]), HOSTILE)}),
    st.lists(st.fixed_dictionaries({"column_id": HOSTILE, "direction": HOSTILE}), max_size=3),
    st.fixed_dictionaries({"location_id": HOSTILE, "contact_id": HOSTILE, "paused": HOSTILE}),
    st.sampled_from([0, 1, -1, 10**12, 2**63, "2", "x", 1.5, "24h", "7d", "hot", "all",
                     "booked", "opted_out", True, [], {}, "2026-11-29T10:00:00+00:00"]),
)
VALUES = st.one_of(HOSTILE, PLAUSIBLE)


def server_callbacks(session: requests.Session, url: str) -> list[dict]:
    callbacks = session.get(f"{url}/_dash-dependencies", timeout=10).json()
    return [cb for cb in callbacks if not cb.get("clientside_function")]


def outputs_of(callback: dict) -> list[dict] | dict:
    spec = callback["output"]
    if not spec.startswith(".."):
        component, prop = spec.rsplit(".", 1)
        return {"id": component, "property": prop}
    return [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
            for part in spec.strip(".").split("...")]


def test_cbhostile001_no_input_makes_a_callback_fail(serve, redis_server, redis_client):
    app_settings = Settings(app_env="production", redis_url=redis_server.url,
                            secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET,
                            dashboard_users=user_entry("jorge", PASSWORD),
                            cache_kpi_seconds=0)
    with serve(create_app(app_settings, redis_client).server) as server:
        for text in ("hi, want to sell 8421 Haven Ave", "needs a roof", "450k"):
            signed_post(server, inbound(text, contact="seller-1", location="loc-1"))
        session, _ = log_in(server)
        callbacks = server_callbacks(session, server.url)
        assert len(callbacks) >= 4

        @settings(max_examples=300, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])
        @given(st.data())
        def hostile_call(data):
            callback = data.draw(st.sampled_from(callbacks))

            changed_ids: list[str] = []

            def prop(item: dict) -> dict | list[dict]:
                if not item["id"].startswith("{"):
                    changed_ids.append(f"{item['id']}.{item['property']}")
                    return {**item, "value": data.draw(VALUES)}
                # A pattern-matching input (ALL): the browser sends one entry per component,
                # each with a concrete id; the hostile values go into the ids and the props.
                pattern = json.loads(item["id"])
                entries = []
                for _ in range(data.draw(st.integers(0, 2))):
                    concrete = {k: (data.draw(SCALARS) if v == ["ALL"] else v)
                                for k, v in pattern.items()}
                    changed_ids.append(f"{json.dumps(concrete)}.{item['property']}")
                    entries.append({"id": concrete, "property": item["property"],
                                    "value": data.draw(VALUES)})
                return entries

            inputs = [prop(item) for item in callback["inputs"]]
            state = [prop(item) for item in callback["state"]]
            changed = data.draw(st.sampled_from(changed_ids)) if changed_ids else None
            body = {"output": callback["output"], "outputs": outputs_of(callback),
                    "inputs": inputs, "state": state,
                    "changedPropIds": [changed] if changed else []}
            response = session.post(f"{server.url}/_dash-update-component", timeout=30,
                                    data=json.dumps(body),
                                    headers={"Content-Type": "application/json"})
            assert response.status_code in (200, 204), (response.status_code, body)

        hostile_call()
