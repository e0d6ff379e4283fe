"""Reading an agenda item's transcript as minutes: narrative, what was resolved, and actions.

Pure text work, with no database: `spoken_sentences` turns an item's segments into sentences
(each knowing the segments, times and speaker it came from), and `draft_item` sorts them into
what a clerk would write:

- **Resolved**: the chair's "So, resolved: that the report be noted", the lines that follow it
  ("That officers be nominated…"), "It was agreed that…", "The Board noted…", "That the Strategy
  be endorsed", "the recommendations were accepted", and a proposal followed by "Is that
  agreed?" … "Agreed." Each is put as minutes put it: "That the report be noted."
- **Actions**: "Action for Kate Green" (the action is what was said just before it, usually the
  resolution), "Kate Green to circulate the timetable", "Sharon Kemp will report back by March",
  "Can you, Kate, send the timetable round?". The owners are kept as heard; matching them to
  people is the caller's.
- **Narrative**: two to four sentences chosen from what is left, by the words they share with
  the item's title, summary and papers and by where they come (the presenter's opening says what
  the item is). Procedural lines ("Item 52…", "I call on…", "Thank you", a member's name called
  by the chair) are never chosen. A statement by a known speaker is put as "Kate Green reported
  that it was…" where that reads safely; otherwise the speaker's words are kept as spoken.

Nothing here is final: every sentence is a suggestion for an officer to edit.
"""

import math
import re
from dataclasses import dataclass, field

from actions_log.importing.names import looks_like_name, split_names
from actions_log.importing.owners import split_action_line

NARRATIVE, RESOLUTION, ACTION = "narrative", "resolution", "action"
MIN_NARRATIVE, MAX_NARRATIVE = 2, 4


@dataclass
class SpokenSentence:
    """A sentence of the transcript with the segments it came from."""

    text: str
    start: float
    end: float
    speaker_key: object = None  # the Speaker id: a change of voice ends a run of resolutions
    speaker_name: str = ""  # the mapped person's name, "" if the voice is not known
    person_id: int | None = None
    segment_ids: list = field(default_factory=list)


@dataclass
class Draft:
    """A sentence proposed for the minutes of one item."""

    kind: str
    text: str
    start: float
    end: float
    owner_text: str = ""
    owners: list = field(default_factory=list)  # owners as heard, one name each


# --- Sentences -----------------------------------------------------------------------------

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "cllr", "no", "prof", "st", "rev", "e.g", "i.e", "etc"}
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)]?$")


def split_sentences(text):
    """'It was noted. Dr. Cullen agreed.' -> two sentences (initials and titles do not end one)."""
    text = " ".join((text or "").split())
    if not text:
        return []
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip(".!?\"'”’)")
        last_word = before.rsplit(" ", 1)[-1].lower()
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        sentences.append(text[start : match.start()].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


def spoken_sentences(segments):
    """The sentences of `segments` (in time order), each with its start, end and speaker.

    A sentence a segment leaves unfinished carries on into the next segment of the same voice,
    and then spans both. `segments` are TranscriptSegment-like: start, end, text, speaker_id and
    `speaker_name` / `person_id` attributes set by the caller (or absent).
    """
    sentences = []
    open_sentence = None
    for segment in segments:
        key = getattr(segment, "speaker_id", None)
        name = getattr(segment, "speaker_name", "") or ""
        person_id = getattr(segment, "person_id", None)
        pieces = split_sentences(segment.text)
        if open_sentence is not None and pieces and open_sentence.speaker_key == key:
            first = pieces.pop(0)
            open_sentence.text = f"{open_sentence.text} {first}"
            open_sentence.end = max(open_sentence.end, segment.end)
            open_sentence.segment_ids.append(segment.pk)
            if _ENDS_SENTENCE.search(first):
                open_sentence = None
        for piece in pieces:
            sentence = SpokenSentence(
                piece, segment.start, segment.end, key, name, person_id, [segment.pk]
            )
            sentences.append(sentence)
        if sentences and sentences[-1].segment_ids[-1] == segment.pk:
            last = sentences[-1]
            open_sentence = None if _ENDS_SENTENCE.search(last.text) else last
    return sentences


# --- What a sentence is --------------------------------------------------------------------

_LEAD_FILLER = re.compile(
    r"^(?:(?:so|okay|ok|right|well|now|um+|uh+|er+m?|erm|and|thank you|thanks)\b[\s,.:;!-]*)+",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"^(?:thank you(?: (?:all|everyone|very much|so much))?(?: for (?:coming|that|your \w+))?|"
    r"thanks(?: very much)?|okay|ok|yes|no|right|good|great|lovely|fine|sure|agreed|aye|"
    r"good (?:morning|afternoon|evening)(?: (?:everyone|all))?|welcome(?: everyone)?|"
    r"(?:let'?s|can we|shall we) (?:move on|go round the table)(?: and introduce ourselves)?|"
    r"(?:moving on|next item)|the meeting is (?:closed|open)|"
    r"(?:are there )?any (?:questions|comments|further questions)(?: or comments)?|"
    r"(?:is|are) there any (?:questions|comments)(?: or (?:questions|comments))?)$",
    re.IGNORECASE,
)
_PROCEDURAL = re.compile(
    r"^(?:(?:agenda )?item (?:number )?\d+\b|good (?:morning|afternoon|evening)\b|"
    r"(?:i(?:'d| would)? (?:like to )?)?(?:call on|invite|hand over to|pass (?:it )?over to)\b|"
    r"i(?:'m| am) (?:councillor|the chair)|apologies (?:for absence|have been|were)|"
    r"(?:we )?(?:now )?move on to\b|we(?:'ll| will) (?:now )?(?:take|turn to|go to)\b)"
    r"|\bi call on\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?[\"'”’]?$")
_FIRST_OR_SECOND_PERSON = re.compile(
    r"\b(?:I|I'm|I've|I'd|I'll|[Ww]e|[Ww]e're|[Ww]e've|[Ww]e'd|[Ww]e'll|[Oo]ur|[Oo]urs|[Uu]s|"
    r"[Mm]e|[Mm]y|[Yy]ou|[Yy]ou're|[Yy]our)\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

_RESOLVED_LEAD = re.compile(
    r"^(?:(?:it was|the (?:board|committee|panel|meeting|members))\s+)?"
    r"resolved\b\s*(?::-?|,|-|\.)?\s*",
    re.IGNORECASE,
)
# Whisper tiny.en often hears a resolution's opening "That" as "At": "At the report be noted."
# Put back only where the rest is a resolution's subjunctive ("be noted", "take place", "submit")
# and the "At" is not a time or a meeting ("At the last meeting…", "At 10am…").
_MISHEARD_THAT = re.compile(
    r"^At\s+(?!\d)(?!(?:this|that|the (?:last|previous|next|same|start|end|time|moment|meeting)|"
    r"present|least|first)\b)"
    r"(?=.*\b(?:be (?:\w+ed|given|held|taken|made|brought|drawn|sent|seen|shown|written)|"
    r"take place|submit|receive|commit|advise|circulate|report back)\b)",
)
_AGREED_LEAD = re.compile(
    r"^(?:(?:it was|the (?:board|committee|panel|meeting|members)|members|we)\s+)?"
    r"(?:all\s+)?agreed\s*(?::-?|,)?\s*(?=that\b)",
    re.IGNORECASE,
)
_DECISION = re.compile(
    r"^that\b.*\bbe\b|"
    r"^that\b.*\b(?:take place|submit|receive|commit|advise|circulate|report back)\b|"
    r"\bthat the (?:report|update|presentation|minutes|information)s? be noted\b|"
    r"\bthe (?:board|committee|panel|meeting|members) (?:noted|agreed|approved|endorsed|resolved|"
    r"accepted|adopted|supported)\b|"
    r"^(?:it was|members|we) (?:all )?agreed\b|"
    r"\brecommendations?\b.{0,80}\b(?:be|were|was|are|is) accepted\b|"
    r"\b(?:approve|approves|endorse|endorses)\b",
    re.IGNORECASE,
)
# "had been approved at Cabinet", "for approval", "as agreed in November": reports, not decisions.
_NOT_A_DECISION = re.compile(
    r"\b(?:had|has|have) been (?:approved|endorsed|agreed|noted)\b|\bas agreed\b|"
    r"\b(?:she|he|they|i) (?:also )?agreed?\b|\b(?:should|must|would|could|might) be\b",
    re.IGNORECASE,
)
_AGREED_QUESTION = re.compile(
    r"[,.;]?\s*(?:so\s+)?(?:is that|are we|are (?:we|members|you) all|is everyone|do we)\s+"
    r"(?:all\s+)?(?:agreed|agree|happy(?: with that)?|content)\s*\?[\"'”’]?$",
    re.IGNORECASE,
)
_AGREED_REPLY = re.compile(
    r"^(?:(?:yes|yeah|aye|agreed|all agreed|we agree|yes,? agreed|happy)[\s,.!]*)+$", re.IGNORECASE
)
_PROPOSAL = re.compile(
    r"^(?:so,?\s+)?(?:i|we|can we|could we|shall we)\s+(?:would\s+)?"
    r"(?:propose|move|suggest|recommend|agree|note)\s+(?P<that>that\b.*)$",
    re.IGNORECASE,
)

_ACTION_CUE = re.compile(
    r"^(?:an?\s+|the\s+)?actions?\s*(?::-?|\s+(?:for|on|to|by)\b:?)\s*(?P<owners>.+?)[.!]*$",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:(?:and|&)\s+)?[A-Z][\w'’.-]*){0,6}"
_OWNER_TO = re.compile(rf"^(?P<owners>{_NAME})\s+to\s+(?P<rest>(?!be\b)[a-z][\w'’-]*\b.*)$")
_OWNER_WILL = re.compile(
    rf"^(?P<owners>{_NAME})\s+(?:will|would|is going to|agreed to)\s+(?P<rest>(?!be\b)[a-z].*)$"
)
_CAN_YOU = re.compile(
    rf"^(?:(?i:can|could|would|will)\s+you,?\s+(?P<owner>{_NAME}),\s*(?P<rest>.+?)|"
    rf"(?P<owner2>{_NAME}),\s*(?:can|could|would|will)\s+you\s+(?P<rest2>.+?))[?.!]*$"
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
DUE_PHRASE = re.compile(
    r"\b(?:by|before)\s+(?:the\s+)?(?:(?:next|following)\s+(?:board\s+)?meeting|"
    r"end\s+of\s+(?:the\s+)?\w+(?:,?\s+\d{4})?|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})(?:,?\s+\d{{4}})?|"
    rf"(?:{_MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?|"
    r"\d{1,2}/\d{1,2}/\d{2,4})\b",
    re.IGNORECASE,
)
# Already in the minutes' voice: "It was noted that…".
_IMPERSONAL = re.compile(r"^it (?:was|had been|is) \w+ed\b", re.IGNORECASE)
# Words that can start a clause after "reported that" without a change of sense or case.
_CLAUSE_STARTERS = {
    "the", "it", "there", "this", "these", "those", "a", "an", "all", "each", "every", "some",
    "any", "no", "both", "several", "many", "most", "further", "work", "guidance", "funding",
}  # fmt: skip
_FINITE_VERB = re.compile(
    r"\b(?:was|were|had|has|have|is|are|would|will|could|should|did|been|can|may|might|must)\b",
    re.IGNORECASE,
)
_STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our out over own same she should
    so some such than that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    item items report board meeting update plan plans paper papers presentation minutes noted
    there's it's that's we're i'm thank thanks okay yes please""".split()  # noqa: SIM905
)


def strip_filler(text):
    """'Okay, so, the report…' -> 'The report…': fillers off the front, nothing else changed."""
    stripped = _LEAD_FILLER.sub("", text).strip()
    if not stripped:
        return ""
    return stripped[0].upper() + stripped[1:]


def is_filler(text):
    bare = text.strip().rstrip(".!?").strip()
    return not bare or bool(_FILLER.match(bare))


def is_procedural(text, names=()):
    """A chair's line that moves business on, or a member's name called alone."""
    bare = text.strip().rstrip(".!?:").strip()
    if _PROCEDURAL.search(bare):
        return True
    # The chair calling the next speaker: "Chris Edwards." / "Councillor Mallinder."
    return len(bare.split()) <= 4 and looks_like_name(bare) and not _FINITE_VERB.search(bare)


def content_words(text):
    """Lower-case words that carry meaning (plural 's' set aside), for comparing with titles."""
    found = set()
    for word in _WORD.findall(text or ""):
        word = word.lower().replace("’", "'")
        if len(word) < 3 or word in _STOP_WORDS:
            continue
        if word.endswith("'s"):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
        found.add(word)
    return found


def full_stop(text):
    """The sentence ending as a sentence should; one ending with a colon leads into a list."""
    text = text.strip().rstrip(",;- ")
    if text and not re.search(r"[.!?:][\"'”’)]?$", text):
        text += "."
    return text


def as_resolution(text):
    """'So, resolved: that the report be noted' -> 'That the report be noted.'"""
    text = strip_filler(text)
    text = _RESOLVED_LEAD.sub("", text, count=1)
    text = _AGREED_LEAD.sub("", text, count=1)
    if match := _PROPOSAL.search(text):
        text = match.group("that")  # "I propose that the report be noted"
    text = strip_filler(text)
    if text.lower().startswith("that "):
        text = "That " + text[5:]
    # "That future meetings take place on: -" leads into a list.
    text = re.sub(r"\s*:\s*-?\s*\.?$", ":", text)
    return full_stop(text)


def restore_that(text):
    """'At the report be noted.' -> 'That the report be noted.' (see _MISHEARD_THAT)."""
    return _MISHEARD_THAT.sub("That ", text, count=1)


def is_decision(text):
    return bool(_DECISION.search(text)) and not _NOT_A_DECISION.search(text)


def in_minute_style(text, speaker_name):
    """'Kate Green reported that the minutes…' where that is safe, else the words as spoken."""
    if not speaker_name or _QUESTION.search(text) or _FIRST_OR_SECOND_PERSON.search(text):
        return text
    family = speaker_name.split()[-1].lower()
    if family in text.lower() or "reported" in text.lower() or _IMPERSONAL.match(text):
        return text
    first, _, rest = text.partition(" ")
    if not rest or first.lower() not in _CLAUSE_STARTERS or not _FINITE_VERB.search(text):
        return text
    return f"{speaker_name} reported that {first.lower()} {rest}"


# --- Actions ---------------------------------------------------------------------------------


def _names(text):
    """The names in 'Giles Ratcliffe and Julie Kitlowski', or [] if any part is not a name."""
    names = split_names(text.strip().rstrip(".,"))
    if names and all(looks_like_name(name) for name in names):
        return names
    return []


def action_cue_owners(text):
    """'Action for Kate Green.' -> (['Kate Green'], 'Kate Green'); None if not an action line."""
    match = _ACTION_CUE.match(text.strip())
    if not match:
        return None
    owners_text = match.group("owners").strip()
    names, due = split_action_line(f"Action: {owners_text}")
    names = [name for name in names if looks_like_name(name)]
    if not names:
        return None
    heard = owners_text[: len(owners_text) - len(due)].strip(" ,;-(") if due else owners_text
    return names, heard.rstrip(".")


def owned_action(text, is_known):
    """An action in a sentence naming its owners: (text, owners, owner_text) or None.

    'Kate Green to circulate the timetable.' and 'Sharon Kemp will report back by March.' (a
    'will' needs a date, or it is a report of what someone does) keep their words; 'Can you,
    Kate, send it round?' becomes 'Kate to send it round.' `is_known(name)` says whether a name
    is a person the meeting knows: a single word must be one to count as an owner.
    """
    text = text.strip()
    if text.lower().startswith("that "):
        return None  # "That Kate Green circulate…" is a resolution; its action line follows

    def fits(names):
        return names and all(len(name.split()) > 1 or is_known(name) for name in names)

    if match := _CAN_YOU.match(text):
        owner = match.group("owner") or match.group("owner2")
        rest = (match.group("rest") or match.group("rest2")).strip()
        names = _names(owner)
        if names and (len(names[0].split()) > 1 or is_known(names[0])):
            return full_stop(f"{owner} to {rest}"), names, owner
        return None
    if match := _OWNER_TO.match(text):
        names = _names(match.group("owners"))
        if fits(names):
            return full_stop(text), names, match.group("owners")
        return None
    if (match := _OWNER_WILL.match(text)) and DUE_PHRASE.search(match.group("rest")):
        names = _names(match.group("owners"))
        if fits(names):
            return full_stop(text), names, match.group("owners")
    return None


def due_phrase(text):
    """'by the end of March' in an action's text, or ''."""
    match = DUE_PHRASE.search(text or "")
    return match.group(0) if match else ""


# --- An item --------------------------------------------------------------------------------


class _ItemReader:
    """One pass over an item's sentences, sorting them into resolutions, actions and the rest."""

    def __init__(self, sentences, is_known):
        self.sentences = sentences
        self.is_known = is_known
        self.resolutions = []
        self.actions = []
        self.candidates = []  # (index, sentence, cleaned text) that could be narrative
        self.last_substantive = None  # (text, start) an "Action for…" line refers to
        self.chairing = set()  # voices that moved business on: their words are not "reported"
        self.run_speaker = self._no_run = object()

    def read(self):
        skip = set()
        for index, sentence in enumerate(self.sentences):
            if index in skip:
                continue
            text = strip_filler(sentence.text)
            if not text or is_filler(sentence.text) or is_filler(text):
                continue
            if self._agreed_question(index, sentence, text, skip):
                continue
            if self._action(sentence, text):
                continue
            if self._resolution(sentence, text):
                continue
            if is_procedural(text):
                self.run_speaker = self._no_run
                if sentence.speaker_key is not None:
                    self.chairing.add(sentence.speaker_key)
                continue
            if self.in_run(sentence):
                self._add_resolution(sentence, text, continuing=True)
                continue
            if _QUESTION.search(text):
                continue
            self.candidates.append((index, sentence, text))
            self.last_substantive = (full_stop(text), sentence.start, None)
        return self

    def in_run(self, sentence):
        return self.run_speaker is not self._no_run and sentence.speaker_key == self.run_speaker

    def _resolution(self, sentence, text):
        text = restore_that(text)
        lead = _RESOLVED_LEAD.match(text)
        if lead:
            self.run_speaker = sentence.speaker_key
            if text[lead.end() :].strip(" .:-"):
                self._add_resolution(sentence, text)
            return True
        if not self.in_run(sentence):
            self.run_speaker = self._no_run
        if is_decision(text):
            self._add_resolution(sentence, text)
            return True
        return False

    def _add_resolution(self, sentence, text, *, continuing=False):
        resolution_text = as_resolution(text)
        previous = self.resolutions[-1] if self.resolutions else None
        short = len(resolution_text.split()) < 5 and not resolution_text.startswith("That ")
        if continuing and previous is not None and (short or previous.text.endswith(":")):
            # "That future meetings take place on:" … "17th May, 2017." … "5th July."
            joined = previous.text.rstrip(" .")
            joiner = " " if joined.endswith(":") else "; "
            previous.text = full_stop(f"{joined}{joiner}{resolution_text.rstrip('.')}")
            previous.end = max(previous.end, sentence.end)
        else:
            self.resolutions.append(
                Draft(RESOLUTION, resolution_text, sentence.start, sentence.end)
            )
        latest = self.resolutions[-1]
        self.last_substantive = (latest.text, latest.start, latest)

    def _agreed_question(self, index, sentence, text, skip):
        """'…the report be noted. Is that agreed?' 'Agreed.': the proposal is resolved."""
        question = _AGREED_QUESTION.search(text)
        if not question:
            return False
        reply = next(
            (
                (later, other)
                for later, other in enumerate(self.sentences[index + 1 : index + 4], index + 1)
                if _AGREED_REPLY.match(other.text.strip())
            ),
            None,
        )
        if reply is None:
            return True  # a question nobody answered in the transcript: not minuted
        later, other = reply
        proposal_text = text[: question.start()].strip(" ,.;")
        proposal_sentence = sentence
        if len(proposal_text.split()) < 3:
            resolved = self.last_substantive[2] if self.last_substantive else None
            if resolved is not None and resolved.kind == RESOLUTION:
                # "That the report be noted." "Is that agreed?" "Agreed."
                resolved.end = max(resolved.end, other.end)
                skip.add(later)
                return True
            if self.candidates:
                _, proposal_sentence, proposal_text = self.candidates.pop()
        if len(proposal_text.split()) < 3:
            return True
        skip.add(later)
        self.resolutions.append(
            Draft(RESOLUTION, as_resolution(proposal_text), proposal_sentence.start, other.end)
        )
        latest = self.resolutions[-1]
        self.last_substantive = (latest.text, latest.start, latest)
        return True

    def _action(self, sentence, text):
        cue = action_cue_owners(text)
        if cue is not None:
            names, heard = cue
            if self.last_substantive is not None:
                action_text, start, _ = self.last_substantive
            else:
                action_text, start = full_stop(text), sentence.start
            self.actions.append(
                Draft(ACTION, action_text, start, sentence.end, owner_text=heard, owners=names)
            )
            return True
        owned = owned_action(text, self.is_known)
        if owned is None:
            return False
        action_text, names, heard = owned
        self.actions.append(
            Draft(ACTION, action_text, sentence.start, sentence.end, owner_text=heard, owners=names)
        )
        self.last_substantive = (action_text, sentence.start, None)
        return True


def narrative_count(candidates):
    if len(candidates) < MIN_NARRATIVE:
        return len(candidates)
    return min(MAX_NARRATIVE, max(MIN_NARRATIVE, math.ceil(len(candidates) / 3)))


def choose_narrative(candidates, keywords, presenter_ids=(), chairing=()):
    """The sentences that best say what the item was: shared words with its title and papers,
    and being early (the presenter's opening), in the order they were spoken.

    The first sentence of each speaker's turn is put in the minutes' voice ("Kate Green reported
    that…") where safe, except the chair's: the chair's statements are minuted as they stand."""
    if not candidates:
        return []
    count = narrative_count(candidates)
    scored = []
    for position, (index, sentence, text) in enumerate(candidates):
        words = content_words(text)
        overlap = len(words & keywords)
        score = 2.0 * overlap / math.sqrt(max(len(words), 1))
        score += 1.5 * (1 - position / len(candidates))
        if sentence.person_id is not None and sentence.person_id in presenter_ids:
            score += 1.0
        if re.search(r"\b(?:reported|presented|outlined|explained|proposed|noted)\b", text):
            score += 0.75
        if len(words) < 3 or (len(text.split()) < 8 and not _FINITE_VERB.search(text)):
            score -= 2.0  # a heading or a fragment of a list, not a sentence
        scored.append((score, -position, index, sentence, text))
    chosen = sorted(scored, reverse=True)[:count]
    chosen.sort(key=lambda row: row[2])
    drafts, last_speaker = [], None
    for _score, _position, _index, sentence, text in chosen:
        written = text
        introduce = sentence.speaker_key not in chairing and sentence.person_id != last_speaker
        if sentence.speaker_name and introduce:
            written = in_minute_style(text, sentence.speaker_name)
        last_speaker = sentence.person_id
        drafts.append(Draft(NARRATIVE, full_stop(written), sentence.start, sentence.end))
    return drafts


def draft_item(sentences, *, keywords, presenter_ids=(), is_known=lambda name: False):
    """Drafts for one agenda item from its sentences: narrative, resolutions, actions."""
    reader = _ItemReader(sentences, is_known).read()
    narrative = choose_narrative(reader.candidates, keywords, presenter_ids, reader.chairing)
    return narrative + reader.resolutions + reader.actions
