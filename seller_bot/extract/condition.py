"""Property condition: move_in_ready / minor_repairs / major_repairs.

Rules:
- The most severe condition mentioned wins: "great shape but needs a new roof" is
  major_repairs, "move in ready, just needs paint" is minor_repairs.
- A negated match does not count ("no major issues" is not major_repairs, "not move in
  ready" is not move_in_ready). When only negated matches exist, the message still says
  something: a denied problem ("I wouldn't say it's in bad shape", "no major issues") means
  minor_repairs, a seller who plays it down without claiming it is perfect; a denied good
  state ("not move in ready", "not in great shape") also means minor_repairs.
- Phrases that deny every problem ("nothing wrong with it", "doesn't need anything",
  "no repairs needed") are move_in_ready outright.
- Doubled letters are forgiven for key words ("rooof", "tlcc"); "move-in", "movein",
  "move in" are the same.
- A big system that is broken is major: "the ac is shot", "furnace is out", "plumbing is
  shot"; "needs some repairs" / "a few repairs" is minor.
- Look-alikes that are not about the house: "brand new job", "I'm ready to go", "got
  fired", "flood zone".
- Spanish (accents folded): "necesita muchas reparaciones", "el techo está mal",
  "problemas de cimientos", "mal estado" are major; "necesita reparaciones", "algo de
  trabajo", "pintura", "alfombra", "pisos nuevos", "reparaciones menores" are minor; "buenas
  condiciones", "buen estado", "lista para vivir", "como nueva", "remodelada", "no necesita
  nada" are move_in_ready. "no está en mal estado" is a denied problem (minor).
"""

from __future__ import annotations

import re

from seller_bot.extract.common import Triggers, any_of, is_negated, loose, normalize
from seller_bot.models import Condition

SEVERITY: tuple[Condition, ...] = ("major_repairs", "minor_repairs", "move_in_ready")
# What a message means when its only matches were negated (see the module docstring).
NEGATED_MEANS: dict[Condition, Condition] = {
    "major_repairs": "minor_repairs",
    "minor_repairs": "move_in_ready",
    "move_in_ready": "minor_repairs",
}

# Read before negation: these phrases contain "no"/"n't" themselves.
_NOTHING_WRONG_RE = re.compile(
    r"\b(?:nothing (?:is )?wrong|(?:doesn'?t|does not|don'?t) need (?:anything|a thing|any "
    r"(?:work|repairs))|needs nothing|no (?:repairs?|work) (?:needed|required|necessary)|"
    r"no (?:issues|problems) (?:at all|whatsoever)|not a (?:single )?thing wrong|"
    r"zero (?:issues|problems)|no necesita (?:nada|ninguna reparacion|reparaciones)|"
    r"no tiene (?:ningun|nada de) (?:problema|malo)|sin (?:ningun )?problemas?)\b"
)
_MORE_THAN_COSMETIC_RE = re.compile(r"\b(?:not just|more than(?: just)?) cosmetic")

_ROOF, _MOLD, _TLC = loose("roof"), loose("mold"), loose("tlc")
# Replacing any of these is a major job.
_BIG_SYSTEMS = (rf"(?:{_ROOF}|foundation|plumbing|electrical|wiring|hvac|ac|a/c|furnace|"
                r"sewer line|kitchen|everything)")
_TECHO = r"(?:techo|techos|tejado)"
_ES_REPAIRS = r"(?:reparaciones|arreglos|trabajo)"


_PATTERNS: dict[Condition, re.Pattern[str]] = {
    "major_repairs": any_of(
        rf"needs? (?:a |an )?(?:whole |complete |brand )?(?:new )?{_BIG_SYSTEMS}",
        rf"(?:bad|leaky|leaking|damaged|caved|collapsed|old) {_ROOF}",
        rf"{_ROOF}(?:s| is| needs| has)? ?(?:leaks?|leaking|replaced|replacing|caved|shot|"
        r"damage|is bad)",
        r"fou?nda?t?ion(?:al)? (?:issues?|problems?|cracks?|damage|work|repairs?)",
        r"(?:cracked|sinking|shifting|bad) foundation", r"structural",
        r"fire damage|(?:had|was|been) (?:a |in a )?(?:house )?fire(?!d)|burn(?:ed|t) down",
        r"water damage|flood(?:ed|ing)?(?! zone)", rf"{_MOLD}|mildew|termites?",
        r"gutted|tear ?-?down|knock ?-?down|teardown",
        r"needs? (?:to be )?(?:gutted|remodeled|renovated|rehabbed|redone)",
        r"needs? (?:a )?(?:complete |full |total |major |whole |[a-z]{3,6} )?"
        r"(?:remodel|rehab|renovation|reno)",
        r"everything (?:redone|replaced|needs)|needs? it all",
        r"(?:complete|full|total|major|gut) (?:rehab|remodel|renovation|reno|overhaul)",
        r"fixer[- ]?upper|fixer",
        r"(?:bad|rough|terrible|horrible|poor|awful) (?:shape|condition)",
        r"(?:pretty|really|very|super) rough|trashed|destroyed",
        r"major (?:repairs?|work|issues?|damage|problems?|fixes|stuff)",
        r"(?:a lot|alot|lots|a ton|tons) of (?:work|repairs|damage|problems|issues)",
        r"needs? (?:a lot|alot|lots|a ton|tons)",
        r"(?:sewer|septic|slab) (?:leak|issues?|problems?|backup)",
        r"(?:plumbing|electrical|wiring|hvac) (?:issues?|problems?|is shot|is bad)",
        r"no (?:heat|water|power|electricity)",
        r"asbestos|hoarder|uninhabitable|unlivable|condemned|red[- ]?tagged|falling apart",
        r"squatters?|vandali[sz]ed|beat up|beat to hell|run ?down|worn out|in shambles",
        rf"{_BIG_SYSTEMS}(?: also| too)? needs? (?:some |a lot of )?(?:work|fixing|repairs?|"
        r"replacing|to be replaced|redone|done)",
        r"needs? (?:re)?(?:doing|redoing|gutting|remodeling|renovating)",
        r"(?:the )?(?:ac|a/c|hvac|furnace|plumbing|electrical|wiring|heater|heating|sewer|"
        r"septic)(?: unit| system)? (?:is |are |went |just )?(?:shot|broken|busted|dead|out|"
        r"gone|bad|leaking|done|failing|not working|doesn'?t work)",
        # Spanish
        rf"necesita (?:muchas?|bastantes?|grandes|mucho|un monton de) {_ES_REPAIRS}",
        rf"{_ES_REPAIRS} (?:mayores|grandes|fuertes|serias|importantes)|mucho trabajo",
        rf"(?:muchas|bastantes|muchisimas) {_ES_REPAIRS}",
        rf"(?:necesita (?:un )?)?{_TECHO} nuevo|{_TECHO} (?:esta |estan )?(?:muy )?(?:mal|malo|"
        r"danado|roto)|goteras?|gotea|se (?:gotea|moja)",
        r"cimientos|cimentacion|fundacion|estructura(?:l)?",
        r"problemas (?:de|con) (?:la |los |el )?(?:plomeria|electricidad|tuberia|drenaje)",
        r"danos? (?:por|de) (?:agua|fuego|incendio)|inundad[oa]|incendio|se quemo|moho|"
        r"termitas|plagas",
        r"(?:hay que|necesita|toca) (?:remodelar(?:la)?|renovar(?:la)?) (?:toda|completa|"
        r"entera)|remodelacion (?:completa|total)",
        r"(?:muy )?mal estado|malas condiciones|(?:muy )?maltratada|destruida|"
        r"(?:la|lo) dejaron (?:muy )?mal|inhabitable|para demoler|para tumbar",
    ),
    "minor_repairs": any_of(
        r"needs? (?:some |a little |a bit of |new |fresh )?(?:paint|painting|carpets?|"
        r"flooring|floors|cleaning|landscaping|touch ?ups?|updating|updates|love)",
        r"needs? (?:to be )?updated",
        rf"(?:some |a little |little )?{_TLC}",
        r"a few (?:small |little |minor )?(?:things|repairs|fixes|issues)",
        r"(?:small|little|minor) (?:things|stuff|repairs?|fixes|issues|work|problems)",
        r"cosmetic(?:s|ally)?",
        r"(?:a little|some|a bit of|a bit|minor) work|needs? work",
        r"fixing up|fix(?:ed)? up a (?:bit|little)",
        r"dated|outdated|original (?:kitchen|condition|everything)",
        r"wear and tear|lived[- ]in|deep clean|good bones|handyman special",
        r"(?:fair|ok|okay|decent|average|alright|so so) (?:shape|condition)",
        r"(?:a little|a bit|kinda|kind of|little) rough|livable",
        r"could use (?:some |a little |a bit of )?(?:work|paint|love|tlc|updat\w*|upgrades)",
        r"needs? (?:some|a few|a couple|minor|small|little) (?:repairs|fixes|things|stuff)",
        r"needs? (?:some )?repairs|(?:just|only|mostly) (?:paint|carpet|cosmetic)",
        r"(?:some|new|fresh) (?:paint|carpets?|flooring)|water heater",
        # Spanish
        rf"necesita (?:algunas |unas |pocas |pequenas |algo de |un poco de )?{_ES_REPAIRS}",
        rf"{_ES_REPAIRS} (?:menores|pequen[oa]s|chic[oa]s|sencill[oa]s)|algo de {_ES_REPAIRS}|"
        rf"un poco de {_ES_REPAIRS}",
        r"pintura|pintarla|alfombras?|pisos(?: nuevos)?|detalles|cosas (?:pequenas|chicas)",
        r"(?:estado|condicion(?:es)?) (?:regular|normal|aceptable|decente)|"
        r"(?:algo|un poco) (?:vieja|viejita|anticuada)|necesita actualiz\w*|"
        r"necesita (?:un poco de )?(?:carino|amor)",
    ),
    "move_in_ready": any_of(
        r"move[- ]?in[- ]?r(?:ea|e|a)?dy|ready to move in|turn[- ]?key",
        r"(?:great|good|excellent|perfect|awesome|amazing|nice|fantastic|mint|pristine|"
        r"immaculate|tip top|top) (?:shape|condition)",
        r"(?:recently|newly|fully|completely|just|totally|all) (?:remodeled|renovated|"
        r"updated|upgraded|rehabbed|redone)",
        r"remodeled|renovated|upgraded",
        r"(?:well|nicely) (?:maintained|kept|taken care of)",
        r"like new|brand new(?! (?:job|baby|car|truck|grandbaby|position|house|home))|mint|"
        r"pristine|immaculate|(?:it'?s|its|house is|home is|place is) ready to go",
        r"no (?:issues|problems|repairs)|nothing wrong",
        r"(?:redid|redone|updated|upgraded|remodeled|renovated|rehabbed) (?:everything|it all|"
        r"the whole (?:house|thing|place))",
        r"(?:pretty much|basically|practically|almost|just about) (?:perfect|new|brand new)",
        # Spanish
        r"(?:buenas|excelentes|perfectas|muy buenas) condiciones|"
        r"(?:buen|excelente|perfecto|muy buen) estado",
        r"lista para (?:vivir|mudarse|entrar|habitar)|como nueva|remodelad[ao]|renovad[ao]|"
        r"impecable|bien cuidad[ao]|(?:recien|totalmente) (?:remodelad[ao]|renovad[ao])",
    ),
}


# Words at least one pattern above needs (see Triggers); keep in step with the patterns.
TRIGGERS = Triggers("""
beat run worn shambles redoing redid perfect heater
need new bad leak damag caved collaps old roo rro foun fond crack sink shift structur fire
burn water flood mol moo mmo mildew termit gut tear knock remodel renovat rehab redo
redone everything overhaul fixer shape condition rough trashed destroyed major lot alot
ton sewer septic slab plumb electric wiring hvac heat power asbestos hoard uninhabit unliv
condemn red falling squatter vandal furnace heater shot broken busted dead out gone done
failing work paint carpet floor clean landscap touch updat upgrad love tl ttl few small
little minor cosmetic fix dated outdated original wear lived bones handyman livable repair
move ready turn maint kept taken mint pristine immaculate issue problem wrong nothing zero
necesit reparacion arreglo trabajo muchas bastantes techo tejado goter gotea moja cimiento
cimentacion fundacion estructura plomeria electricidad tuberia drenaje dano inundad
incendio quemo moho termitas plagas remodel renov mal maltratad destruid dejaron
inhabitable demoler tumbar pint alfombra pisos detalles cosas estado condicion viej
anticuad actualiz carino amor lista nueva impecable cuidad
""")


# expecting=True (the bot just asked about the condition): a one-word verdict is an answer.
BARE_VERDICTS: dict[str, Condition] = {
    "good": "move_in_ready", "great": "move_in_ready", "excellent": "move_in_ready",
    "perfect": "move_in_ready", "very good": "move_in_ready", "pretty good": "move_in_ready",
    "really good": "move_in_ready", "amazing": "move_in_ready", "new": "move_in_ready",
    "buena": "move_in_ready", "buenas": "move_in_ready", "bien": "move_in_ready",
    "muy bien": "move_in_ready", "excelente": "move_in_ready", "perfecta": "move_in_ready",
    "ok": "minor_repairs", "okay": "minor_repairs", "fair": "minor_repairs",
    "decent": "minor_repairs", "average": "minor_repairs", "alright": "minor_repairs",
    "not bad": "minor_repairs", "so so": "minor_repairs", "meh": "minor_repairs",
    "regular": "minor_repairs", "mas o menos": "minor_repairs",
    "bad": "major_repairs", "poor": "major_repairs", "rough": "major_repairs",
    "terrible": "major_repairs", "horrible": "major_repairs", "awful": "major_repairs",
    "mala": "major_repairs", "mal": "major_repairs", "muy mal": "major_repairs",
}
_VERDICT_RE = re.compile(r"^(?:(?:it'?s|its|it is|honestly|tbh|i'?d say|id say|esta|es)\s+)?"
                         r"(?P<verdict>[a-z ]+?)\s*(?:shape|condition|condiciones|estado)?$")


def extract_condition(text: str, *, expecting: bool = False) -> Condition | None:
    """The condition the seller describes, or None when the message says nothing about it.

    expecting=True when the bot just asked: a bare verdict ("good", "fair", "rough",
    "regular") is then an answer too.
    """
    clean = normalize(text)
    if expecting:
        m = _VERDICT_RE.match(clean.strip(" .!?"))
        if m and m.group("verdict").strip() in BARE_VERDICTS:
            return BARE_VERDICTS[m.group("verdict").strip()]
    if not TRIGGERS.seen_in(clean):
        return None
    if _MORE_THAN_COSMETIC_RE.search(clean):
        return "major_repairs"
    said: set[Condition] = {"move_in_ready"} if _NOTHING_WRONG_RE.search(clean) else set()
    denied: set[Condition] = set()
    for condition, pattern in _PATTERNS.items():
        for m in pattern.finditer(clean):
            (denied if is_negated(clean, m.start()) else said).add(condition)
    if said:
        return next(c for c in SEVERITY if c in said)
    fallback = {NEGATED_MEANS[c] for c in denied}
    return next((c for c in SEVERITY if c in fallback), None)
