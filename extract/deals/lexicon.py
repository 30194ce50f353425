"""Word lists and patterns the deal rules match: triggers, party words, money and status cues."""

import re

_BUY_VERBS = {"acquire", "buy", "purchase", "absorb", "takeover"}
_SELL_VERBS = {"sell", "divest", "dispose", "unload", "offload"}
_MERGE_VERBS = {"merge"}
_BUY_NOUNS = {"acquisition", "purchase", "takeover", "buyout", "buy-out", "bid", "offer"}
_SELL_NOUNS = {"sale", "divestiture", "divestment", "disposal"}
_MERGE_NOUNS = {"merger"}
_HOLDING_NOUNS = {"stake", "holding", "interest", "position"}
_HOLD_VERBS = {"have", "hold", "own", "control"}
_BACKING_VERBS = {"back", "fund", "finance", "support", "fuel", "power"}
_GAIN_VERBS = {"take", "assume", "gain", "obtain", "secure"}
_INVEST_VERBS = {"invest"}
_INVEST_NOUNS = {"investment"}
_RAISE_VERBS = {
    "raise", "secure", "close", "land", "receive", "obtain", "complete", "announce", "bag", "net",
    "attract", "win", "garner", "collect", "pull", "rake",
}  # fmt: skip
# Verbs that mean "buy" only with a particle: "snapped up", "picked up", "bought out".
_BUY_PARTICLE_VERBS = {"snap", "pick", "scoop", "gobble", "buy", "take"}
# Verbs that hand a licence or stake to their indirect object: "granted B a licence".
_GIVE_VERBS = {"grant", "give", "award", "issue", "extend", "sign"}
_SIGN_VERBS = {"sign", "ink", "strike", "seal", "reach", "conclude"}
_AGREEMENT_NOUNS = {"agreement", "deal", "pact", "contract", "accord", "arrangement", "memorandum"}
_FUNDING_NOUNS = {"funding", "financing", "round", "investment", "capital", "seed"}
_PARTNER_VERBS = {"partner", "team", "collaborate", "ally", "cooperate"}
_PARTNER_NOUNS = {"partnership", "collaboration", "alliance", "tie-up", "venture", "cooperation"}
# A group of firms is a partnership only when its members set it up: "A and B formed a
# consortium", not "the unit was sold to a consortium".
_GROUP_NOUNS = {"consortium", "syndicate"}
_FORM_VERBS = {"form", "create", "establish", "set", "launch", "build", "found", "assemble"}
# Verbs whose subject takes in what "from" gives: "received an investment from Y".
_RECEIVE_VERBS = {
    "receive", "secure", "obtain", "win", "attract", "land", "get", "gain", "accept", "bag",
    "take", "draw", "clinch",
}  # fmt: skip
_LICENSE_VERBS = {"license", "licence"}
_LICENSE_GET_VERBS = _RECEIVE_VERBS | {"acquire", "buy", "purchase", "sign"}
_LICENSE_NOUNS = {"licensing", "license", "licence"}
_LAUNCH_VERBS = {"launch", "release", "introduce", "unveil", "debut", "roll", "open-source", "ship"}
# Verbs that release something only when it is a dataset: "published the Foo-1M dataset".
_PUBLISH_VERBS = {"publish", "open"}
_LAUNCH_NOUNS = {"launch", "release", "introduction", "unveiling", "debut", "rollout"}
# A direct object naming a part of a company rather than the company: the
# company is then the object of "of" / "in" ("17 pct of X", "a stake in X").
_PART_NOUNS = {
    "share",
    "stake",
    "interest",
    "holding",
    "pct",
    "percent",
    "%",
    "majority",
    "control",
    "all",
    "rest",
    "remainder",
    "balance",
    "equity",
    "capital",
    "equivalent",
    "block",
    "portion",
    "part",
    "bulk",
    "stock",
    "asset",
    "operation",
    "business",
}
_PRONOUNS = {"it", "its", "they", "their", "them", "we", "our", "he", "his", "she", "her"}
_RELATIVE = {"which", "who", "that", "whose"}
_GENERIC_HEADS = {"company", "firm", "group", "concern", "bank", "corporation", "partnership"}
_CORPORATE = {
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "llc",
    "ag",
    "sa",
    "nv",
    "bv",
    "gmbh",
    "group",
    "holdings",
    "corporation",
    "company",
    "industries",
    "partners",
    "ventures",
    "capital",
    "labs",
    "technologies",
    "systems",
    "bank",
    "fund",
    "trust",
}
_NON_PARTY_LABELS = {
    "DATE",
    "TIME",
    "MONEY",
    "PERCENT",
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "LAW",
    "LANGUAGE",
    "EVENT",
    "WORK_OF_ART",
}
_DATASET_WORDS = {"dataset", "datasets", "corpus", "corpora", "benchmark", "data"}
# Money just after one of these words is a company's figure, not a price.
_NOT_A_PRICE = re.compile(
    r"\b(?:sales|revenues?|turnover|earnings|profits?|income|loss(?:es)?|debts?|assets|"
    r"run rate|recurring revenue|arr|market value|net worth|shares outstanding|savings)\b"
    r"[^.;]{0,25}$",
    re.I,
)
# Money that names what it is right after it, and is no price: "a 10 mln dlr cap on spending".
_NOT_A_PRICE_AFTER = re.compile(
    r"^\s*(?:\w+\s+)?(?:cap|ceiling|limit|loans?|credit lines?|lines? of credit|charges?|"
    r"write-?downs?|write-?offs?|dividends?|fines?|penalty|penalties|budget|debentures|notes|"
    r"lawsuits?|suits?|damages|claims?)\b"
    # "a 1.2 billion dlr oilfield services company": a size, not what the deal costs
    r"|^\s*(?:[\w-]+\s+){0,2}(?:company|companies|concern|group|firm)\b",
    re.I,
)
_PRICE_CUE = re.compile(
    r"\b(?:for|or|of about|valued at|worth|totall?ing|price of|paid|pay|bid|offer|at)\s+"
    r"(?:about|around|approximately|roughly|some|nearly|almost|over|more than|up to|an? )?\s*$",
    re.I,
)
_VALUED_AT = re.compile(
    r"\b(?:valued at|worth|value of|totall?ing)\s+(?:about|around|approximately|roughly|some|"
    r"nearly|almost|over|more than|up to|an estimated)?\s*$",
    re.I,
)
_VALUATION_AFTER = re.compile(r"^\s*(?:pre-money |post-money )?valuation\b", re.I)
_VALUATION_BEFORE = re.compile(
    r"\b(?:valuing (?:it|the company|the business)|valuation of|valued? the company)\s*(?:at)?\s*$",
    re.I,
)
# In a funding statement, money after these words is what the company is worth.
_FUNDING_VALUATION_BEFORE = re.compile(
    r"\b(?:valu(?:e|es|ed|ing)\b[^.;$€£¥]{0,40}?\bat|valuation\s+(?:of|at)|"
    r"(?:worth|valued\s+at))\s*(?:about|around|approximately|roughly|some|nearly|almost|over|"
    r"more\s+than|up\s+to)?\s*$",
    re.I,
)
# Below this a stated amount is a price per share or unit, not a deal's total.
_SMALLEST_TOTAL = 10_000
_ROUND = re.compile(
    r"\b(?P<round>pre-seed|seed|angel|bridge|mezzanine|(?:pre-)?Series [A-H]\d?(?:\+|-\d)?)"
    r"(?=\s+(?:round|funding|financing|extension|investment)|[\s,.;]|$)"
    # Capitalised at a sentence's start ("Seed funding of ..."), only before a funding word,
    # so that a name such as "Bridge Capital" is not read as a round.
    r"|\b(?P<cap>Pre-[Ss]eed|Seed|Angel|Bridge|Mezzanine)"
    r"(?=\s+(?:round|funding|financing|extension|investment|capital)\b)",
)

# Status cues, most decisive first; matched on lemmas and lower-cased text.
_TERMINATED = re.compile(
    r"\b(?:terminat\w*|call(?:ed|s)? off|abandon\w*|scrap\w*|withdr[ae]w\w*|cancel\w*|"
    r"rejected|overturn\w*|blocked|dropped|end(?:ed)? talks|no longer)\b",
    re.I,
)
_COMPLETED = re.compile(r"\b(?:complet\w*|closed|consummat\w*|finali[sz]ed)\b", re.I)
_AGREED = re.compile(
    r"\b(?:agreed|agreement|agrees|letter of intent|signed|accepted|approved)\b", re.I
)
_RUMORED = re.compile(
    r"\b(?:in talks|talks|considering|consider|may|might|could|explor\w*|seek\w*|"
    r"interested in|rumou?r\w*|reportedly|possible|potential|would)\b",
    re.I,
)
_PENDING = re.compile(
    r"\b(?:proposed|pending|plans? to|planned|intends? to|expects? to|will|subject to|"
    r"tender offer|offer(?:ed|s)? to|bid)\b",
    re.I,
)


# What may precede the date a block opens with: "In Q3 2025, ...", "During 2026 ...".
_OPENING = re.compile(r"^\W*(?:(?:in|during|by|on|since|as of|through|throughout)\s+)?$", re.I)
# A period longer than a month ("Q3 2025", "H2 2025", "fiscal 2026"): its year is all it gives.
_PERIOD = re.compile(r"(?:[QH][1-4]|first|second|third|fourth|1st|2nd|3rd|4th|FY|fiscal)\b", re.I)

# Abbreviations of wire-service copy ("40 mln dlrs", "9 pct"), absent from report prose.
_WIRE_STYLE = re.compile(r"\b\d[\d,.]*\s+(?:mln|bln|pct)\b|\b(?:dlrs?|stg)\b")
