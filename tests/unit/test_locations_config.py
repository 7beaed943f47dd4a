"""Locations in the configuration (issue #15): LOCATIONS names them, a DASHBOARD_USERS entry may
limit its user to some, and the page's URL carries the ones in view."""

from __future__ import annotations

import pytest
from dash import no_update
from pydantic import ValidationError

from api.auth import Account, parse_users
from components import ids, view_state
from core.settings import ConfigurationError, Settings

HASH = "scrypt:32768:8:1$salt$abc123"


def test_locconf001_locations_map_ids_to_names_a_bare_id_names_itself():
    names = Settings(locations="locAbc=North County, locXyz = Inland Empire ,loc.3").location_names
    assert names == {"locAbc": "North County", "locXyz": "Inland Empire", "loc.3": "loc.3"}
    assert Settings().location_names == {}
    with pytest.raises(ValidationError, match="not a location id"):
        Settings(locations="north county=North County")


def test_locconf002_users_without_a_list_see_everything_with_one_only_theirs():
    users = parse_users(f"ana:{HASH},ben:{HASH}@north|south ,cy:{HASH}@west")
    assert users == {"ana": Account(HASH), "ben": Account(HASH, frozenset({"north", "south"})),
                     "cy": Account(HASH, frozenset({"west"}))}
    for bad in (f"ana:{HASH}@", f"ana:{HASH}@|", f"ana:{HASH}@no way", "ana", f":{HASH}"):
        with pytest.raises(ConfigurationError):
            parse_users(bad)


def test_locconf003_the_url_carries_the_locations_and_drops_what_is_not_offered():
    state = view_state.ViewState.from_search("?range=7d&location=south,north,bad id,north")
    assert state.locations == ("north", "south")
    assert state.to_search() == "?range=7d&location=north%2Csouth"
    out = view_state.sync_outputs(ids.URL, None, "?location=north,west", None, None, None,
                                  None, None, None, None, [], lambda: {"north": "North"})
    # west is not the user's: dropped from the view and from the URL.
    assert out[0] == "?location=north"
    assert out[9] == ["north"] and out[10] == ["north"]
    picked = view_state.sync_outputs(ids.LOCATION_SELECT, ["south"], "?range=7d", "7d", None,
                                     None, None, None, None, None, [],
                                     lambda: {"north": "N", "south": "S"})
    assert picked[0] == "?range=7d&location=south" and picked[10] == ["south"]
    cleared = view_state.sync_outputs(ids.LOCATION_SELECT, [], "?location=south", None, None,
                                      None, None, None, None, None, ["south"], lambda: {})
    assert cleared[0] == "" and cleared[10] == []
    assert view_state.sync_outputs(ids.URL, None, "", None, None, None, None, None, None,
                                   None, [], lambda: {})[10] is no_update
