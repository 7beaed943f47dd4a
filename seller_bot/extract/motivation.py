"""Why the seller is selling, as one label.

Rules:
- Each label has phrase patterns; a negated phrase ("not going through a divorce") counts
  for nothing.
- Several reasons in one message: the first label in PRIORITY wins. Distress that forces a
  sale comes first (foreclosure before the divorce or job loss behind it), life events next,
  preferences last; "other" only when nothing else matched.
- "other" needs an understood reason that fits no label ("just want to move", "moving to be
  near family", "want to travel"); gibberish and small talk are None.
- "behind on payments" is foreclosure (the loan is in default); "behind on taxes" and "can't
  afford it" are financial_distress.
- A death in the family is inheritance, typed any way: "my dad pased", "moms passed away 🙏",
  "mom past away", "lost my husband", "my late father", "RIP mom". "lost my job" is not.
- Tenants alone say the house is rented, not why it is sold: "tenants trashed it" is a
  condition; "bad tenants", "tired of tenants", "tenants won't pay", "it's a rental" are
  landlord_exit.
- A separation is divorce ("we split up", "separated", "me and my ex"); "moving for my
  husband's job", "got transferred" are job_relocation; "bad tenants", "tired of being a
  landlord" are landlord_exit; "upgrading", "getting a bigger place" are upsizing; "moved
  in with my daughter" is other.
- Spanish (accents folded): "divorcio", "nos separamos"; "herencia", "heredamos", "mi mamá
  falleció"; "me mudo por trabajo", "me transfirieron"; "atrasado con los pagos", "el banco
  me la quita"; "no puedo pagar", "perdí mi trabajo"; "jubilarnos"; "inquilinos", "casa
  rentada", "cansado de ser casero"; "muy grande", "algo más pequeño"; "más espacio";
  "problemas de salud", "enfermo"; "cerca de la familia", "compramos otra casa" (other).
"""

from __future__ import annotations

import re

from seller_bot.extract.common import Triggers, any_of, first_affirmed, normalize
from seller_bot.models import Motivation

PRIORITY: tuple[Motivation, ...] = (
    "foreclosure", "divorce", "inheritance", "medical", "financial_distress", "job_relocation",
    "retirement", "landlord_exit", "downsizing", "upsizing", "other",
)

_RELATIVE = (r"(?:mom|moms|mother|dad|dads|father|parents?|grandma|grandpa|grandmother|"
             r"grandfather|grandparents?|aunt|uncle|husband|hubby|wife|spouse|brother|sister|"
             r"son|daughter|mom and dad|mother in law|father in law|she|he|they|"
             r"mama|mommy|daddy|papa|granny|nana|abuela|abuelo)")
_DIED = r"(?:pass+e?d|pas+ed|pased|past|died|dies|dyed|passed on|crossed over)"
_ES_RELATIVE = (r"(?:mama|papa|madre|padre|esposo|esposa|marido|abuela|abuelo|abuelita|"
                r"abuelito|tia|tio|hermana|hermano|suegra|suegro|hijo|hija|padres|abuelos)")


_PATTERNS: dict[Motivation, re.Pattern[str]] = {
    "foreclosure": any_of(
        r"fore ?clos\w*|pre-?fore ?clos\w*",
        r"behind (?:on|with|in) (?:my |our |the )?(?:house |home |mortgage |monthly )?"
        r"(?:payments?|mortgage|loan)",
        r"(?:months?|payments?) behind(?! on (?:my |the )?(?:taxes|rent|bills))",
        r"missed (?:a |some |several |\d+ |a few |a couple )?(?:mortgage |house )?payments?",
        r"behind (?:\d+|a few|a couple(?: of)?|several|two|three|four) (?:mortgage |house )?"
        r"(?:payments?|months)",
        r"notice of (?:default|sale|trustee sale)|\bnod\b|trustee sale|lis pendens",
        r"(?:bank|lender) (?:is |wants to |will |gonna )?(?:taking|take|taking back|foreclos\w*)",
        r"(?:going|goes|headed) to auction|auction date|sheriff sale",
        r"loan (?:is )?in default|default(?:ed)? on (?:the|my) (?:loan|mortgage)",
        r"(?:about to |going to |gonna )?lose (?:the|my|our) (?:house|home) to the bank",
        r"atrasad[oa]s? (?:con|en) (?:los |las |la |el )?(?:pagos?|hipoteca|mensualidad\w*)",
        r"(?:debo|debemos) (?:varios |unos |\d+ )?(?:pagos|meses) de (?:la )?hipoteca",
        r"ejecucion hipotecaria|embargo|remate|(?:el banco|la hipotecaria) (?:me |nos )?"
        r"(?:la |lo )?(?:quiere |va a )?(?:quita|quitar|embargar)",
    ),
    "divorce": any_of(
        r"divorc\w*",
        r"(?:legally |we(?:'re| are) |we got |got )separat(?:ed|ing)|legal separation",
        r"my ex\b|ex[- ]?(?:wife|husband|hubby|spouse)",
        r"splitting up|split up|breaking up|broke up|we split|"
        r"(?:we(?:'re| are)|ex and i are|and i are) splitting(?! (?:it|the|up the))",
        r"going (?:our|separate) separate ways|separate ways",
        r"separated|separating|me and my ex\b",
        r"nos (?:separamos|estamos separando|divorciamos|vamos a divorciar)|"
        r"me (?:separe|estoy separando|divorcie|estoy divorciando)|separacion|separad[oa]s",
    ),
    "inheritance": any_of(
        r"inh?er+i?t+\w*|probate|executor|executrix|heirs?",
        r"(?<!real )estate(?! agent)",
        r"passed away",
        rf"{_RELATIVE}(?:'s)? (?:just |recently |unfortunately )?(?:passed|died)",
        r"left (?:it|the house|the home|the property|the place) to (?:me|us|my|our)",
        r"late (?:mother|father|mom|dad|husband|wife|grandmother|grandfather|parents)",
        r"deceased|death in the family|family trust",
        rf"{_RELATIVE}(?:'s)? (?:just |recently |unfortunately |sadly )?{_DIED}(?: away| on)?",
        rf"{_DIED} away|pased|\bpast away",
        rf"lost (?:my|our) {_RELATIVE}\b(?! (?:job|house|home))",
        r"\brip (?:mom|dad|mother|father|grandma|grandpa)|funeral|left (?:us|me) the house",
        r"herencia|hereda\w*|hered[eo]|heredad[oa]|sucesion|testamento|albacea",
        rf"(?:mi |nuestra |nuestro |la |el )?{_ES_RELATIVE} (?:ya )?(?:fallecio|murio|se murio|"
        r"se fue|partio|paso a mejor vida)",
        r"fallecio|fallecimiento|murio",
    ),
    "medical": any_of(
        r"health (?:issues?|problems?|reasons?|concerns?|is failing|isn'?t good)",
        r"medical\w*(?! bills)",
        r"assisted living|nursing home|memory care|care facility|senior living",
        r"(?:got |am |is |i'm |he's |she's )sick(?! of| and tired)",
        r"illness|cancer|stroke|surgery|dementia|alzheimer'?s|disabled|disability|wheelchair|"
        r"chemo",
        r"can'?t (?:do|handle|climb) (?:the )?stairs|hospital\w*",
        r"(?:problemas|razones|motivos) de salud|por (?:la )?salud|enferm[oa]s?|enfermedad|"
        r"cancer|hospital\w*|asilo|quimio|operacion|derrame",
    ),
    "financial_distress": any_of(
        r"can'?t afford|cannot afford|could(?:n'?t| not) afford|unable to afford",
        r"can'?t (?:keep up|make) (?:with )?(?:the )?(?:payments?|mortgage|bills)",
        r"lost (?:my|our|his|her) (?:job|income)|laid off|got fired|unemployed|out of work",
        r"bills (?:are )?(?:piling|pile|stacking)|medical bills|(?:credit card |in )?debt",
        r"bankrupt\w*|need (?:the |some )?(?:money|cash)|money (?:is |has been )?tight|"
        r"tight on money|(?:i'm|im|we're|were|i am|we are|flat) broke",
        r"behind (?:on|with) (?:my |our |the )?(?:property )?(?:taxes|bills|utilities)",
        r"tax lien|back taxes|struggling (?:financially|to pay|with (?:money|bills|payments))",
        r"(?:payments?|mortgage) (?:is |are )?too (?:high|much)|hard times|financial\w*",
        r"no (?:puedo|podemos|alcanzo|alcanzamos) (?:a )?pagar|no me alcanza|deudas?|"
        r"perd(?:i|imos|io|ieron) (?:mi|el|su|nuestro) (?:trabajo|empleo)|"
        r"(?:me|se|nos) quedo? sin trabajo|me quede sin trabajo|sin empleo|"
        r"(?:ya )?no (?:puedo|podemos) con (?:la hipoteca|los pagos|las cuentas)|"
        r"problemas (?:economicos|financieros|de dinero)|necesit(?:o|amos) (?:el )?dinero|"
        r"bancarrota|quiebra",
    ),
    "job_relocation": any_of(
        r"(?:new|got a|got an|took a|accepted a|offered a|starting a) job",
        r"(?<!lost my )(?<!lost a )(?<!lost the )job (?:offer|transfer|relocation|in|out in|"
        r"up in|down in|across)",
        r"relocat\w*(?! closer)|transferr?(?:ed|ing)|(?:work|job|company) (?:is )?"
        r"(?:moving|sending|transferring) (?:me|us)",
        r"(?:moving|move|moved) (?:for|because of) (?:work|my job|a job|the job|his job|her job)",
        r"(?<!looking )(?<!searching )for (?:work|my job|a job|his job|her job)",
        r"military orders|pcs(?:ing)?|(?:new|got) orders|stationed|deployed",
        r"(?:for|because of) (?:my |our )?(?:husband'?s?|wife'?s?|spouse'?s?|partner'?s?|"
        r"hubby'?s?) (?:job|work|new job)",
        r"(?:husband|wife|spouse|partner|hubby) (?:got|has|took|accepted) a (?:new )?job",
        r"(?:work|job|company) (?:is )?(?:moving|relocating|transferring|sending) (?:us|him|her)",
        r"por (?:el |mi |su )?trabajo|(?:nuevo|otro) trabajo|me (?:transfirieron|cambiaron)|"
        r"(?:mi|el) trabajo me (?:transfirio|manda|cambio)|transferencia|reubica\w*",
    ),
    "retirement": any_of(r"retir\w*", r"jubil\w*", r"nos retiramos|retiro"),
    "landlord_exit": any_of(
        r"rental(?: property| house| home)?|landlord\w*",
        r"(?:bad|problem|nightmare|terrible|horrible|difficult|crazy|tired of|sick of|done with|"
        r"dealing with|fed up with|tired of dealing with|sick of dealing with|my|the|our|have|"
        r"had) (?:the |my |our |these |problem )?(?:tenants?|renters?)(?! trashed| destroyed| "
        r"left it| damaged| tore)",
        r"(?:tenants?|renters?) (?:won'?t|don'?t|dont|wont|aren'?t|not|stopped|never|refuse|"
        r"refuses|just|finally|are|is) ?(?:pay\w*|leav\w*|mov\w*|gave notice|left|behind)",
        r"rent(?:ing|ed)? (?:it |the house |the place )?out|rented to",
        r"evict\w*|section 8|investment property|property manage\w*",
        r"(?:los|mis|unos|malos) inquilinos(?! la dejaron| lo dejaron| la destruyeron)|"
        r"tengo inquilinos|inquilinos que no|cansad[oa]s? de (?:los )?inquilinos|"
        r"casero|rentad[oa]|(?:la|lo) (?:rento|rentamos|tengo rentad[oa])|"
        r"arrendatari\w*|renta(?:ndo|mos) la casa",
    ),
    "downsizing": any_of(
        r"downsiz\w*|down siz\w*",
        r"too (?:big|large|much house|much space|much room|much yard|much upkeep|much to "
        r"(?:take care of|maintain|keep up))",
        r"kids (?:moved|grew|are grown|are gone|left)|empty nest\w*",
        r"(?:something|somewhere|go|going|a|want|wants|wanting|need) smaller|"
        r"smaller (?:place|home|house|condo)",
        r"don'?t need (?:all )?(?:this|that|the) (?:much )?(?:space|room)",
        r"(?:muy|demasiado) grande|algo mas (?:pequen[oa]|chic[oa])|mucha casa|"
        r"(?:es|esta) (?:demasiado |mucho |muy )?(?:mucho|mucha) para (?:nosotros|mi)|"
        r"(?:los|mis|nuestros) hijos (?:ya )?se (?:fueron|casaron)|reducir",
    ),
    "upsizing": any_of(
        r"(?:need|needs|want|more) (?:more|bigger|extra) (?:space|room|rooms|bedrooms)",
        r"(?:need|needs|want|looking for) (?:a )?(?:bigger|larger) (?:place|home|house)",
        r"(?:something |a )?bigger (?:place|home|house)",
        r"outgr[eo]w\w*|growing family|family is growing|baby on the way|"
        r"(?:another|new) baby|expecting (?:a baby|our (?:first|second|third)|twins)|pregnant",
        r"too small|upsiz\w*|upgrad(?:e|ing)(?! the (?:kitchen|roof|bath))",
        r"(?:mas|otra casa mas) (?:espacio|grande)|(?:la|nuestra) familia (?:esta )?creciendo|"
        r"bebe en camino|muy (?:pequen|chic)[ao]",
    ),
    "other": any_of(
        r"(?:just )?want(?:s|ed)? (?:a change|to move|a change of scenery|out|to cash out|"
        r"to travel|something different|to be closer)",
        r"(?:moving|move|relocating) (?:to|out of|closer|away|back|in with|across|out)",
        r"(?:be |live |living )?(?:near|closer to) (?:family|my|our|the kids|grandkids|work)",
        r"travel\w*|change of scenery|cash(?:ing)? out|(?:market|prices) (?:is|are) "
        r"(?:good|high|hot)|take advantage of the market",
        r"(?:already )?bought (?:another|a new) (?:house|home|place)|getting married|"
        r"moving in with|don'?t (?:want|need) (?:it|the house) anymore|"
        r"(?:too far|long) (?:from|commute)|commute|bad neighbou?rs|hoa",
        r"(?:bad|sketchy|rough) neighbou?rhood|neighbou?rhood (?:is )?(?:going downhill|changed)",
        r"(?:don'?t|never) use it|second home|vacation home",
        r"mov(?:ed|ing|e) in with",
        r"(?:cerca|mas cerca) de (?:la |mi |nuestra )?familia|compramos otra casa|"
        r"(?:nos|me) (?:vamos|voy|mudamos|mudo|regresamos|regreso) (?:a|para) (?:otro estado|"
        r"mexico|texas|arizona|nevada|otra ciudad)|queremos un cambio",
        r"(?:me|nos) (?:voy|vamos) a (?:mudar|regresar|ir)\w*|regresar(?:me|nos)? a (?:mexico|"
        r"mi pais|nuestro pais|\w+)",
    ),
}


# Words at least one pattern above needs (see Triggers); keep in step with the patterns.
TRIGGERS = Triggers("""
regres mucha mucho
fore prefore behind payment missed notice nod trustee lis bank lender auction sheriff
default lose atrasad debo debemos ejecucion embargo remate banco hipotec
divorc separ split break broke ex ways legal
inh iner probate executor executrix heir estate pas died dies dyed cross lost left late
deceased death family rip funeral herencia hered sucesion testamento albacea fallec muri
partio fue paso
health medical assisted nursing memory care senior sick ill cancer stroke surgery dementia
alzheimer disabled disabil wheelchair chemo stairs hospital salud enferm asilo quimio
operacion derrame
afford keep laid fired unemployed work bills debt bankrupt money cash tight taxes tax lien
struggling mortgage hard financial puedo podemos alcanz deuda perd quede empleo economic
financier dinero bancarrota quiebra
job relocat transfer company moving move moved military orders pcs stationed deployed
trabajo transfir cambiaron transferencia reubica
retir jubil
rental landlord tenant renter rent evict section investment property inquilin casero
arrendatari
downsiz down too kids empty smaller space room grande pequen chic hijos reducir
bigger larger bedroom outgr growing baby expecting pregnant small upsiz upgrad espacio
creciendo bebe
want relocating near closer travel change market prices bought married anymore commute far
neighbo hoa use second vacation cerca compramos vamos voy mud regres cambio
""")


def extract_motivation(text: str) -> Motivation | None:
    """The seller's reason for selling as a label, or None when no reason is given."""
    clean = normalize(text)
    if not TRIGGERS.seen_in(clean):
        return None
    return first_affirmed(clean, PRIORITY, _PATTERNS)
