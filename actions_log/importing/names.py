"""People's names as minutes print them: titles, initials, hyphens and lists of names.

Minutes name the same person in many ways ("Councillor D. Roche", "Cllr Roche", "David Roche";
"Ruth Fletcher Brown", "Ruth Fletcher-Brown"), and list several people in one sentence
("Louise Barnett (Rotherham Foundation Trust), Terri Roche (RMBC) and Councillor Watson").
The parser uses this module to split such lists and to tell a name from a sentence; owner
matching uses it to compare names whatever their punctuation, case or title.
"""

import re
import unicodedata

# Titles printed before names, in lower case without dots, mapped to how the site writes them.
TITLES = {
    "councillor": "Councillor",
    "cllr": "Councillor",
    "cncllr": "Councillor",
    "dr": "Dr",
    "doctor": "Dr",
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "mx": "Mx",
    "professor": "Professor",
    "prof": "Professor",
    "sir": "Sir",
    "dame": "Dame",
    "lord": "Lord",
    "lady": "Lady",
    "rev": "Reverend",
    "revd": "Reverend",
    "reverend": "Reverend",
    "canon": "Canon",
    "detective": "Detective",
    "chief": "Chief",
    "superintendent": "Superintendent",
    "supt": "Superintendent",
    "inspector": "Inspector",
    "insp": "Inspector",
    "sergeant": "Sergeant",
    "sgt": "Sergeant",
}
# "Councillors Short and Sansome": the title applies to every name that follows it.
PLURAL_TITLES = {"councillors": "Councillor", "cllrs": "Councillor", "drs": "Dr"}
# Letters after a name that are not part of it.
POSTNOMINALS = {"obe", "mbe", "cbe", "qpm", "jp", "mp", "dl", "frcp", "frcgp", "phd", "rn"}
# Words that may start in lower case inside a name ("Ludwig van Beethoven", "Ana da Silva").
PARTICLES = {"van", "von", "de", "der", "den", "du", "da", "di", "la", "le", "del", "bin", "al"}

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def plain(text):
    """Lower case without accents, apostrophes or dots, hyphens as spaces: for comparing."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_APOSTROPHES).lower().replace("'", "")
    text = re.sub(r"[‐-―\-]", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def name_parts(text):
    """(title, tokens) of a printed name, tokens in plain lower case.

    'Councillor D. Roche' -> ('Councillor', ['d', 'roche']); 'A.M. Lubanski' -> ('', ['a', 'm',
    'lubanski']); 'Ruth Fletcher-Brown' -> ('', ['ruth', 'fletcher', 'brown']). Anything in
    brackets (an organisation) and letters after the name (OBE) are left out.
    """
    text = _BRACKETS.sub(" ", text or "")
    # Dots end initials: "D.Roche" and "A.M." are separate words.
    text = text.replace(".", ". ")
    words = plain(text).split()
    title = ""
    while len(words) > 1 and (words[0] in TITLES or words[0] in PLURAL_TITLES):
        word = words.pop(0)
        title = " ".join(filter(None, [title, TITLES.get(word) or PLURAL_TITLES[word]]))
    while len(words) > 1 and words[-1] in POSTNOMINALS:
        words.pop()
    return title, words


def title_key(title):
    """A title in a form that compares equal however it is printed ('Cllr' == 'Councillor')."""
    words = plain((title or "").replace(".", " ")).split()
    return " ".join(TITLES.get(word, PLURAL_TITLES.get(word, word)) for word in words)


def is_initial(token):
    return len(token) == 1 and token.isalpha()


def _looks_like_name_word(word):
    word = word.strip(".,'’()")
    if not word:
        return True
    if word.lower() in PARTICLES or word.lower().rstrip(".") in TITLES:
        return True
    if any(c.isdigit() for c in word):
        return False
    first = word[0]
    return first.isupper() or (word[:2].lower() in ("o'", "o’") and len(word) > 2)


def looks_like_name(text, *, max_words=6):
    """Whether `text` reads as a person's name (with an optional title), not a sentence.

    'Councillor D. Roche', 'Anne Marie Lubanski', 'Ruther Fletcher-Brown' and initials such as
    'KG' are names; 'the Board to review the plan' and 'All partners by March' are not.
    """
    text = _BRACKETS.sub(" ", text or "").strip().rstrip(".")
    words = text.split()
    if not words or len(words) > max_words:
        return False
    if words[0].lower() in {"all", "everyone", "none", "n/a", "tbc", "the", "board", "members"}:
        return False
    return all(_looks_like_name_word(word) for word in words)


def split_top_level(text, separators):
    """Split on any of the separator patterns, but never inside brackets.

    'Louise Barnett (Rotherham Foundation Trust), Terri Roche (RMBC)' splits on the comma
    between the two names, not on anything in '(Children and Young People's Services)'.
    """
    pattern = re.compile("|".join(separators), re.IGNORECASE)
    parts, depth, start, position = [], 0, 0, 0
    while position < len(text):
        char = text[position]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (match := pattern.match(text, position)):
            parts.append(text[start:position])
            start = position = match.end()
            continue
        position += 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


_LIST_SEPARATORS = (r"\s*;\s*", r"\s*,\s*", r"\s+and\s+", r"\s*&\s*", r"\s*/\s*", r"\s*\+\s*")
_ROLE_WORDS = re.compile(r"\b(of|for|the|to|with|in|on|at|from)\b")


def split_names(text, *, separators=_LIST_SEPARATORS, roles=True):
    """The names in a printed list, plural titles given to each name they cover.

    'Councillors Short and Sansome' -> ['Councillor Short', 'Councillor Sansome'];
    'Giles Ratcliffe/Julie Kitlowski' -> both names. ' and ' inside a role ('Director of Adult
    Care and Housing') is not a separator: a part with words such as 'of' or 'for' is kept whole,
    unless `roles` is False (lists where roles are in brackets, such as attendance).
    """
    text = (text or "").strip().rstrip(".;,").strip()
    names = []
    # A semicolon ends a group ("Councillors Short and Sansome; Sam Newton"): a plural title
    # covers names up to it, never beyond.
    for group in split_top_level(text, [r"\s*;\s*"]):
        names.extend(_spread_plural_titles(_split_group(group, separators, roles)))
    return names


def _split_group(text, separators, roles):
    # Split on ' and ' only where both sides read as names, so roles survive whole.
    and_separator = r"\s+and\s+"
    pieces = split_top_level(text, [s for s in separators if s != and_separator])
    names = []
    for piece in pieces:
        parts = split_top_level(piece, [and_separator]) if and_separator in separators else [piece]
        if (
            roles
            and len(parts) > 1
            and any(_ROLE_WORDS.search(_BRACKETS.sub("", p)) for p in parts)
        ):
            parts = [piece]
        names.extend(parts)
    return names


def _spread_plural_titles(names):
    result = []
    plural = ""
    for name in names:
        first, _, rest = name.partition(" ")
        key = first.lower().rstrip(".")
        if key in PLURAL_TITLES and rest:
            plural = PLURAL_TITLES[key]
            result.append(f"{plural} {rest}")
            continue
        if plural and key not in TITLES and looks_like_name(name):
            result.append(f"{plural} {name}")
            continue
        plural = ""
        result.append(name)
    return result


def strip_brackets(text):
    """'Louise Barnett (Rotherham Foundation Trust)' -> ('Louise Barnett', 'Rotherham
    Foundation Trust')."""
    brackets = [m.group(0)[1:-1].strip() for m in _BRACKETS.finditer(text or "")]
    return " ".join(_BRACKETS.sub(" ", text or "").split()), "; ".join(brackets)
