"""How serious a health wish is, read from the guest's own words in five languages.

An allergy, a medical need or a mobility need is *critical* when the guest says it can hurt
them: "severe", "anaphylactic", "EpiPen", "coeliac", "life-threatening", "wheelchair",
"sévère", "schwere", "grave", "mortale"... Everything else is *normal*, including what the
guest calls mild ("leichte Allergie", "légère intolérance") and a cue they deny ("not severe",
"pas grave", "nicht lebensbedrohlich", "no es grave", "non è grave").

The reader works on words, not on meaning, so that it can be explained: ``cues`` says which
words made a wish critical, and the front desk sees those words quoted on the card. When in
doubt it errs on the side of the guest: one cue that nothing denies is enough.

The vocabulary also serves the wish parser: the words that talk *about* a health wish (how
serious it is, "please inform the kitchen", the allergen, the injector) belong to that wish's
quoted words and never end up in a leftover for triage (``HEALTH_CONTEXT``).
"""

from __future__ import annotations

from dataclasses import dataclass

from requests.wish_text import TOKEN_RE, normalise

CRITICAL = "critical"
NORMAL = "normal"
SEVERITIES = (CRITICAL, NORMAL)

# Cues in the keyword syntax of the catalogue, normalised (no accents, lower case): a word, a
# few words in a row, or a stem ending in "*".
CRITICAL_CUES: tuple[str, ...] = (
    # English
    "severe", "severely", "serious", "seriously", "extreme", "extremely", "highly allergic",
    "very allergic", "anaphyla*", "epipen*", "epi pen", "epinephrine", "adrenaline",
    "adrenalin", "auto injector", "autoinjector", "injector", "life threatening",
    "deadly", "fatal", "lethal", "coeliac", "celiac", "wheelchair*", "cannot walk", "can t walk",
    "unable to walk", "bedridden", "oxygen", "anapen", "jext", "emerade", "auvi q",
    "allergic shock", "risk of death", "strong allergy",
    # French
    "grave", "graves", "gravement", "severes", "anaphylact*", "choc anaphylactique",
    "stylo d adrenaline", "auto injecteur", "autoinjecteur", "mortel", "mortelle",
    "mortelles", "danger de mort", "pronostic vital", "coeliaque*", "celiaque*",
    "maladie coeliaque", "fauteuil roulant", "en fauteuil", "ne peut pas marcher",
    "ne peux pas marcher", "tres allergique",
    "extremement allergique", "choc allergique", "risque vital", "urgence vitale",
    "forte allergie", "allergie forte",
    # German
    "schwer", "schwere", "schweren", "schwerer", "schweres", "hochgradig*", "stark allergisch",
    "starke allergie", "starken allergie", "anaphylakt*", "anaphylaxie", "notfallset",
    "autoinjektor", "adrenalinpen", "lebensbedrohlich*", "lebensgefahr*", "todlich*",
    "zoliakie", "zoliakiekrank*", "rollstuhl*", "kann nicht gehen", "kann nicht laufen",
    "extrem", "hochallergisch*", "sehr allergisch", "allergischer schock", "allergischen schock",
    # Spanish
    "severa", "severo", "severas", "severos", "anafila*", "choque anafilactico",
    "autoinyector", "adrenalina", "mortal", "mortales", "peligro de muerte", "celiac*",
    "celiaquia", "silla de ruedas", "no puede caminar", "no puedo caminar", "muy alergic*",
    "choque alergico", "shock alergico", "riesgo vital", "alergia fuerte", "fuerte alergia",
    # Italian
    "gravi", "gravemente", "anafilatt*", "anafilassi", "autoiniettore", "mortale",
    "mortali", "pericolo di vita", "salvavita", "celiachia", "sedia a rotelle",
    "carrozzina", "non puo camminare", "non posso camminare", "molto allergic*",
    "shock allergico", "rischio di morte", "rischio vita", "allergia forte", "forte allergia",
)
# Traces and cross-contamination are critical even in a denial: "no traces of nuts", "keine
# Spuren", "ni trazas", "nemmeno tracce" ask for the strictest care.
TRACE_CUES: tuple[str, ...] = (
    "trace", "traces", "trace amounts", "cross contamination", "cross contact",
    "contamination croisee", "spuren", "kreuzkontamination", "trazas", "contaminacion cruzada",
    "tracce", "contaminazione crociata",
)

# What the guest calls mild: never critical on its own (documented and tested, and a cue
# right after it is read as mild too: "pas très grave").
MILD_CUES: tuple[str, ...] = (
    "mild", "mildly", "slight", "slightly", "minor", "light", "leger", "legere", "legerement",
    "petite", "faible", "leicht", "leichte", "leichter", "leichten", "gering*", "leve", "leves",
    "ligera", "ligero", "lieve", "lievi", "leggera", "leggero",
)

# Words that deny the cue right after them: "not severe", "pas grave", "nicht schwer",
# "no es grave", "non è grave", "keine Zöliakie", "sin peligro".
_DENIALS = frozenset(
    "not no never pas non ne nicht kein keine keinen keiner nie sin nunca senza mai nessun "
    "nessuna isn aren doesn nothing rien nada niente nichts".split()
)
_DENIAL_REACH = 3  # "ce n'est pas très grave", "it is not very severe", "non è così grave"

# Words about a health wish that the parser keeps with it: who to tell, what to avoid, what
# the guest carries. Normalised; a trailing "*" is a stem.
HEALTH_CONTEXT: tuple[str, ...] = (
    # telling the kitchen
    "inform*", "tell", "notify", "warn", "advise", "aware", "know", "let", "pass on",
    "preven*", "avert*", "signal*", "prevenez", "bescheid", "mitteil*", "weitergeb*",
    "hinweis*", "avis*", "avvis*", "comunic*", "segnal*", "sapere", "saber", "savoir",
    "breakfast", "team", "knows", "petit", "dejeuner", "fruhstuck", "desayuno", "colazione",
    "kitchen", "kitchens", "chef", "chefs", "cook", "cooks", "restaurant", "restaurants",
    "waiter", "waiters", "cuisine", "cuisinier*", "serveur*", "kuche", "kueche", "koch",
    "koche", "kellner", "service", "personal", "cocina", "cocinero*", "camarero*",
    "restaurante", "cucina", "cuoco", "cuochi", "cameriere", "camerieri", "ristorante",
    "personale", "sala",
    # allergens (the EU's fourteen and the usual others)
    "nut", "nuts", "peanut*", "almond*", "cashew*", "hazelnut*", "walnut*", "pistachio*",
    "pecan*", "sesame", "soy", "soya", "milk", "dairy", "egg", "eggs", "fish", "shellfish",
    "crustacean*", "mollusc*", "mustard", "celery", "lupin*", "sulphite*", "sulfite*",
    "wheat", "gluten", "lactose", "kiwi", "noix", "noisette*", "amande*", "cacahuete*",
    "arachide*", "sesame", "soja", "lait", "laitier*", "oeuf*", "poisson*", "crustace*",
    "mollusque*", "moutarde", "celeri", "sulfite*", "ble", "fruits", "coque", "nuss*",
    "nusse*", "erdnuss*", "mandel*", "haselnuss*", "walnuss*", "sesam", "milch*", "ei",
    "eier", "fisch*", "schalentier*", "krebstier*", "weichtier*", "senf", "sellerie",
    "weizen", "nueces", "nuez", "cacahuete*", "mani", "almendra*", "avellana*", "sesamo",
    "leche", "lacteo*", "huevo*", "pescado*", "marisco*", "crustaceo*", "molusco*", "mostaza",
    "apio", "altramuz*", "sulfito*", "trigo", "frutos", "secos", "noci", "arachid*",
    "mandorl*", "nocciol*", "pistacchi*", "sesamo", "soia", "latte", "latticini", "uova",
    "uovo", "pesce", "crostace*", "mollusch*", "senape", "sedano", "lupini", "solfiti",
    "grano", "frumento", "frutta", "secca",
    # feathers and dust (bedding allergies)
    "feather*", "down", "duvet*", "plume*", "daunen*", "feder*", "pluma*", "piuma*", "piume",
    "dust", "mite*", "acarien*", "milbe*", "acaro*", "acari",
    # the condition, the reaction, the injector
    "allerg*", "alerg*", "intoleran*", "intoller*", "unvertraglich*", "reaction*",
    "reaktion*", "reaccion*", "reazion*", "shock", "choc", "schock", "choque", "hospital",
    "hopital", "krankenhaus", "ospedale", "emergency", "urgence", "notfall", "urgencia",
    "emergenza", "carry", "carries", "carrying", "always", "toujours", "immer", "siempre",
    "sempre", "pen", "stylo", "medication*", "medicine*", "medicament*", "medikament*",
    "medicamento*", "medicin*", "farmac*", "insulin*", "traces", "trace", "contamination",
    "contamin*", "cross", "croisee", "crociata", "cruzada", "contain*", "contien*", "enthalt*",
    "contengon*", "strict", "strictly", "stricte", "strictement", "streng", "estricta",
    "estricto", "rigoros*", "important", "importante", "importantes", "wichtig", "attention",
    "achtung", "vorsicht", "atencion", "attenzione", "caution", "warning", "urgent",
    "danger*", "gefahr*", "gefahrlich", "peligro*", "pericol*", "life", "vie", "vital",
    "leben", "vida", "vita", "disease", "maladie", "krankheit", "enfermedad", "malattia",
    "avoid", "eviter", "vermeid*", "evitar", "evitare", "suffer*", "souffre", "leidet",
    "sufre", "soffre", "diagnos*",
    # mobility
    "near", "close", "nahe", "proche", "pres", "cerca", "vicino",
    "user", "uses", "use", "utilise", "benutz*", "usa", "walk", "walking", "far",
    "distance*", "stairs", "steps", "lift", "elevator", "marcher", "marche", "escalier*",
    "ascenseur", "laufen", "gehen", "treppe*", "stufen", "aufzug", "caminar", "andar",
    "escalera*", "ascensor", "camminare", "scale", "gradini", "ascensore",
)


@dataclass(frozen=True)
class Severity:
    """The level read from a text, and the words that decided it."""

    level: str  # CRITICAL or NORMAL
    cues: tuple[str, ...] = ()  # the guest's words that made it critical

    @property
    def critical(self) -> bool:
        return self.level == CRITICAL


def _phrases(texts: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalise(text)[0].replace("-", " ").split()) for text in texts)


_CRITICAL = _phrases(CRITICAL_CUES)
_TRACES = _phrases(TRACE_CUES)
_MILD = _phrases(MILD_CUES)
_CONTEXT = _phrases(HEALTH_CONTEXT)


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


class _Index:
    """Phrases by their first word (stems by their first three letters): each word of a text
    is looked at against a handful of phrases, not the whole vocabulary."""

    def __init__(self, phrases: tuple[tuple[str, ...], ...]) -> None:
        self.exact: dict[str, list[tuple[str, ...]]] = {}
        self.stems: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            first = phrase[0]
            if first.endswith("*"):
                self.stems.setdefault(first[:3], []).append(phrase)
            else:
                self.exact.setdefault(first, []).append(phrase)

    def longest(self, words: list[str], i: int) -> tuple[str, ...] | None:
        """The longest phrase of the index found at word ``i``."""
        best: tuple[str, ...] | None = None
        word = words[i]
        for group in (self.exact.get(word), self.stems.get(word[:3])):
            for phrase in group or ():
                if best is not None and len(phrase) <= len(best):
                    continue
                if (
                    _word_matches(phrase[0], word)
                    if len(phrase) == 1
                    else _match(phrase, words, i)
                ):
                    best = phrase
        return best


def _match(phrase: tuple[str, ...], words: list[str], i: int) -> bool:
    if i + len(phrase) > len(words):
        return False
    return all(_word_matches(p, words[i + k]) for k, p in enumerate(phrase))


_CRITICAL_INDEX = _Index(_CRITICAL)
_TRACE_INDEX = _Index(_TRACES)
_MILD_INDEX = _Index(_MILD)
_CONTEXT_INDEX = _Index((*_CRITICAL, *_TRACES, *_MILD, *_CONTEXT))


def _denied(words: list[str], i: int) -> bool:
    """A denial or a mild word shortly before the cue: "not severe", "pas très grave"."""
    return any(
        words[k] in _DENIALS or _MILD_INDEX.longest(words, k) is not None
        for k in range(max(0, i - _DENIAL_REACH), i)
    )


def read_severity(text: str) -> Severity:
    """CRITICAL when the guest's words say the wish can hurt them, else NORMAL."""
    words = TOKEN_RE.findall(normalise(text or "")[0])
    cues: list[str] = []
    for i in range(len(words)):
        phrase = _TRACE_INDEX.longest(words, i)
        if phrase is None:
            phrase = _CRITICAL_INDEX.longest(words, i)
            if phrase is not None and _denied(words, i):
                phrase = None
        if phrase is not None:
            cues.append(" ".join(words[i:i + len(phrase)]))
    if not cues:
        return Severity(NORMAL)
    return Severity(CRITICAL, tuple(dict.fromkeys(cues)))


def health_context_length(words: list[str], i: int) -> int:
    """How many words from position ``i`` talk about a health wish (0: none). The words are
    normalised tokens; severity and mildness words count as well."""
    if not words[i]:
        return 0
    phrase = _CONTEXT_INDEX.longest(words, i)
    return len(phrase) if phrase else 0


def known_words() -> frozenset[str]:
    """Whole words of the vocabulary, so the parser never "repairs" them into something
    else ("Küche" is not a typo of "Kuchen")."""
    return frozenset(
        w
        for phrase in (*_CRITICAL, *_TRACES, *_MILD, *_CONTEXT)
        for w in phrase
        if not w.endswith("*")
    )
