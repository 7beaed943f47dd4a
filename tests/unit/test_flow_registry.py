"""The field registry (seller_bot/fields.py) is consistent with the model, the replies and the
stages: a field declared there is asked, re-asked and scored without another edit."""

from __future__ import annotations

import pytest

from seller_bot.fields import FIELDS, QUALIFYING
from seller_bot.models import STAGES, Conversation
from seller_bot.replies import TEXTS


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_reg001_every_field_is_a_conversation_attribute_with_labels(field):
    assert field.name in Conversation.model_fields
    assert field.detail
    assert field.counter is None or field.counter.family.isidentifier()


@pytest.mark.parametrize("field", QUALIFYING, ids=lambda f: f.name)
@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_reg002_every_qualifying_field_is_asked_and_reasked_in_both_languages(field, lang):
    assert field.stage in STAGES
    assert f"ask:{field.name}" in TEXTS[lang]
    assert field.reask_key in TEXTS[lang]
    if field.asked_with is not None:
        assert f"ask:{field.name}_only" in TEXTS[lang]

