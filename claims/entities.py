"""Named entities of a claim, with the title given to a person and where each entity attaches.

Entities come from spaCy's NER, plus proper-noun names introduced by a title word ('Transport
Minister John Smith': spaCy's small model often misses or mislabels those). A person's ``role``
is the title or affiliation written with the name: the words before it in its noun phrase
('State Department spokesman Ned Price' -> 'state department spokesman') or an apposition
('Ned Price, a State Department spokesman').
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from claims.records import Entity, Span

#: general English job titles and ranks (not tuned to any story).
TITLE_WORDS = frozenset(
    {"minister", "president", "secretary", "spokesman", "spokeswoman", "spokesperson",
     "chancellor", "governor", "mayor", "senator", "judge", "justice", "director", "chief",
     "chairman", "chairwoman", "chair", "ceo", "executive", "officer", "commissioner",
     "ambassador", "general", "admiral", "colonel", "captain", "commander", "coach", "manager",
     "premier", "king", "queen", "prince", "princess", "pope", "bishop", "leader", "head",
     "representative", "rep.", "sen.", "gov.", "gen.", "dr.", "professor", "prosecutor",
     "attorney", "lawyer", "inspector", "superintendent", "sheriff", "founder",
     "deputy", "vice", "striker", "midfielder", "defender", "goalkeeper", "correspondent",
     "reporter", "journalist", "editor", "economist", "analyst", "official", "diplomat",
     "envoy", "adviser", "advisor", "aide", "candidate", "speaker", "treasurer", "auditor",
     "chairperson", "president-elect", "lieutenant", "sergeant", "detective", "constable"}
)  # fmt: skip
PERSON_LABELS = ("PERSON",)
PLACE_LABELS = ("GPE", "LOC", "FAC")
ORG_LABELS = ("ORG", "NORP")


def _relation(token: Token) -> tuple[str, str]:
    """(predicate lemma, relation) for an entity whose root is ``token``."""
    node, relation = token, token.dep_
    for _ in range(8):
        if node.dep_ == "pobj" and node.head.dep_ in ("prep", "agent"):
            if relation == token.dep_:
                relation = f"prep:{node.head.lower_}"
            node = node.head
        elif node.dep_ in ("compound", "conj", "appos", "poss", "amod") and relation == token.dep_:
            node = node.head
            relation = node.dep_
            token = node
            continue
        head = node.head
        if head is node:
            return "", relation
        if head.pos_ in ("VERB", "AUX"):
            if relation == token.dep_:
                relation = node.dep_
            return head.lemma_.lower(), relation
        node = head
    return "", relation


def _role(tokens: list[Token], doc: Doc) -> str:
    """The title words written before or in apposition to a person's name."""
    root = max(tokens, key=lambda t: t.i if t.head not in tokens else -1)
    first = min(t.i for t in tokens)
    words: list[str] = []
    i = first - 1
    while i >= 0:
        tok = doc[i]
        if tok.pos_ in ("PROPN", "NOUN", "ADJ") or tok.lower_ in ("of", "'s", "and", "-"):
            words.insert(0, tok.lower_)
            i -= 1
            continue
        break
    while words and words[0] in ("of", "'s", "and", "-"):
        words.pop(0)
    if not any(w in TITLE_WORDS for w in words):
        words = []
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i:
            appos = [t for t in child.subtree if t.dep_ not in ("det", "punct")]
            if any(t.lower_ in TITLE_WORDS for t in appos):
                words = [t.lower_ for t in appos]
            break
    return " ".join(words)


def _titled_names(doc: Doc, start: int, end: int) -> list[list[Token]]:
    """Proper-noun names that follow a title word ('Minister John Smith')."""
    names: list[list[Token]] = []
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return names
    run: list[Token] = []
    for token in [*span, None]:
        if token is not None and token.pos_ == "PROPN" and token.lower_ not in TITLE_WORDS:
            run.append(token)
            continue
        if run:
            prev = doc[run[0].i - 1] if run[0].i > 0 else None
            if prev is not None and prev.lower_ in TITLE_WORDS:
                names.append(run)
        run = []
    return names


_INITIAL = re.compile(r"^[A-Z]\.$")
#: given names written before a middle initial ('Antony J.', 'Mary Ann K.').
MAX_GIVEN_NAMES = 2


def _with_first_names(tokens: list[Token], doc: Doc, start: int) -> list[Token]:
    """A name the NER cut at a middle initial ('Antony J. Blinken' found as 'J. Blinken') gets
    back the capitalised given names before the initial, so they are not read as a title.

    >>> from claims.nlp import load_nlp
    >>> doc = load_nlp()("Secretary of State Antony J. Blinken spoke.")
    >>> [t.text for t in _with_first_names([doc[4], doc[5]], doc, 0)]
    ['Antony', 'J.', 'Blinken']
    """
    if not tokens or not _INITIAL.match(tokens[0].text):
        return tokens
    first = tokens[0].i
    while first > 0 and tokens[0].i - first < MAX_GIVEN_NAMES:
        prev = doc[first - 1]
        if prev.idx < start or prev.pos_ != "PROPN" or not prev.text[:1].isupper():
            break
        if prev.lower_ in TITLE_WORDS or "." in prev.text:
            break
        if prev.i > 0 and doc[prev.i - 1].lower_ in ("of", "for", "the"):
            break  # 'Secretary of State': the end of a title, not a given name
        first -= 1
    return [*doc[first : tokens[0].i], *tokens]


def find_entities(doc: Doc | None, start: int, end: int) -> list[Entity]:
    """Entities in ``doc`` between character offsets ``start`` and ``end``."""
    if doc is None:
        return []
    found: list[Entity] = []
    taken: set[int] = set()
    groups: list[tuple[list[Token], str]] = []
    for ent in doc.ents:
        if ent.start_char < start or ent.end_char > end:
            continue
        if ent.label_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
            continue
        groups.append((_with_first_names(list(ent), doc, start), ent.label_))
    for name in _titled_names(doc, start, end):
        overlapping = [g for g in groups if {t.i for t in g[0]} & {t.i for t in name}]
        for g in overlapping:
            groups.remove(g)
        groups.append((name, "PERSON"))
    for tokens, label in sorted(groups, key=lambda g: g[0][0].i):
        if any(t.i in taken for t in tokens):
            continue
        taken.update(t.i for t in tokens)
        # a name written with a title is a person whatever the NER thought
        role = _role(tokens, doc)
        if role and label in ("GPE", "ORG", "NORP", "LOC", "PRODUCT", "WORK_OF_ART"):
            label = "PERSON"
        root = max(tokens, key=lambda t: t.i if t.head not in tokens else -1)
        predicate, relation = _relation(root)
        s, e = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        found.append(
            Entity(
                span=Span(s, e, doc.text[s:e]),
                label=label,
                role=role if label == "PERSON" else "",
                predicate=predicate,
                relation=relation,
            )
        )
    return _drop_role_words(found)


def _drop_role_words(found: list[Entity]) -> list[Entity]:
    """Drop organisations and places that are only part of a person's title
    ('State Department' in 'State Department spokesman Ned Price')."""
    people = [e for e in found if e.label == "PERSON" and e.role]
    kept = []
    for ent in found:
        inside = any(
            ent is not p
            and ent.span.text.lower() in p.role
            and abs(ent.span.start - p.span.start) < 80
            for p in people
        )
        if not inside:
            kept.append(ent)
    return kept
