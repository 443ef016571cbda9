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
     "chairperson", "president-elect", "lieutenant", "sergeant", "detective", "constable",
     "brigadier", "corporal", "marshal", "commodore", "cardinal", "archbishop", "rabbi",
     "imam", "reverend", "congressman", "congresswoman", "councilman", "councillor",
     "magistrate", "lawmaker", "legislator", "physician", "surgeon", "publicist"}
)  # fmt: skip
#: the usual written abbreviations of titles and ranks (AP style and British usage), lower-case
#: without the dot, with the word they stand for: 'Sen.' is 'Senator', 'Lt.' is 'Lieutenant'.
#: Read here so that a name written 'Insp Norman McKinlay' keeps its title out of the name, and
#: by rules/entities.py so that 'Gov. Rick Perry' and 'Governor Rick Perry' have one title.
TITLE_ABBREVIATIONS: dict[str, str] = {
    "gov": "governor", "sen": "senator", "rep": "representative", "lt": "lieutenant",
    "gen": "general", "brig": "brigadier", "col": "colonel", "capt": "captain", "cpt": "captain",
    "sgt": "sergeant", "adm": "admiral", "maj": "major", "cmdr": "commander",
    "cdr": "commander", "cpl": "corporal", "pvt": "private", "prof": "professor",
    "supt": "superintendent", "det": "detective", "insp": "inspector", "atty": "attorney",
    "pres": "president", "sec": "secretary", "secy": "secretary", "amb": "ambassador",
    "rev": "reverend", "asst": "assistant", "dep": "deputy", "chmn": "chairman",
}  # fmt: skip
#: courtesy titles: they say nothing about an office ('Dr Hollingworth', 'Mr Levine').
HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lord", "lady"})


def title_word(word: str) -> str:
    """The title a word (or its abbreviation) names, or '' when it is no title word.

    >>> title_word("Gov."), title_word("Insp"), title_word("Minister"), title_word("Paris")
    ('governor', 'inspector', 'minister', '')
    """
    bare = word.lower().rstrip(".")
    if bare in TITLE_ABBREVIATIONS:
        return TITLE_ABBREVIATIONS[bare]
    if word.lower() in TITLE_WORDS or bare in TITLE_WORDS:
        return bare
    return ""


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


#: dependency labels of clauses inside an apposition ('a Miami lawyer who led an association
#: panel', 'an attorney representing the parents'): they narrate, they are not the title.
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp"})
_LINK_WORDS = ("of", "'s", "and", "-")


def _is_title(word: str) -> bool:
    return bool(title_word(word))


def _role(tokens: list[Token], doc: Doc) -> str:
    """The title words written before or in apposition to a person's name.

    Words before the name run back over nouns, adjectives and 'of'/'and' until another person's
    name (so 'chairman Leland Brendsel and Vaughn Clarke' gives Clarke no title); a head noun
    before an 'of' that is no title is left out ('videotapes of ex-president'). An apposition
    keeps its noun phrase without the clauses in it, with commas between listed titles.

    >>> from claims.nlp import load_nlp
    >>> doc = load_nlp()("Neal R. Sonnett, a Miami lawyer who led a panel, spoke.")
    >>> _role([doc[0], doc[1], doc[2]], doc)
    'miami lawyer'
    """
    root = max(tokens, key=lambda t: t.i if t.head not in tokens else -1)
    first = min(t.i for t in tokens)
    words: list[str] = []
    named: list[bool] = []  # whether each word is inside a named organisation or place
    i = first - 1
    while i >= 0:
        tok = doc[i]
        if tok.ent_type_ == "PERSON" and not _is_title(tok.text):
            break  # another person's name: the words before it are that person's title
        if tok.pos_ in ("PROPN", "NOUN", "ADJ") or tok.lower_ in _LINK_WORDS:
            words.insert(0, tok.lower_)
            named.insert(0, tok.ent_type_ in ORG_LABELS + PLACE_LABELS and tok.ent_iob_ == "I")
            i -= 1
            continue
        break
    while words and words[0] in _LINK_WORDS:
        words.pop(0)
        named.pop(0)
    # 'videotapes of ex-president': the head before 'of' is no title; but the 'of' inside a
    # named organisation ('Georgia Bureau of Investigation spokesman') is part of its name.
    while "of" in words and not any(_is_title(w) for w in words[: words.index("of")]):
        if named[words.index("of")]:
            break
        cut = words.index("of") + 1
        words, named = words[cut:], named[cut:]
    if not any(_is_title(w) for w in words):
        words = []
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i:
            skip = {t.i for c in child.subtree if c.dep_ in _CLAUSE_DEPS for t in c.subtree}
            appos = [
                t
                for t in child.subtree
                if t.i not in skip and t.dep_ != "det" and (t.dep_ != "punct" or t.text == ",")
            ]
            while appos and appos[-1].text == ",":
                appos.pop()
            if any(_is_title(t.text) for t in appos):
                words = [t.lower_ for t in appos]
            break
    return " ".join(words).replace(" ,", ",")


def _titled_names(doc: Doc, start: int, end: int) -> list[list[Token]]:
    """Proper-noun names that follow a title word ('Minister John Smith')."""
    names: list[list[Token]] = []
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return names
    run: list[Token] = []
    for token in [*span, None]:
        if token is not None and token.pos_ == "PROPN" and not _is_title(token.text):
            run.append(token)
            continue
        if run:
            prev = doc[run[0].i - 1] if run[0].i > 0 else None
            if prev is not None and _is_title(prev.text) and prev.ent_type_ != "ORG":
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


def _without_titles(tokens: list[Token]) -> list[Token]:
    """A person's name without the titles the NER took into it ('Insp Norman McKinlay' ->
    'Norman McKinlay'): they belong to the role. A span made only of titles is no name."""
    if tokens and tokens[0].ent_type_ == "PERSON":
        while tokens and _is_title(tokens[0].text):
            tokens = tokens[1:]
    return tokens


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
        tokens = _without_titles(_with_first_names(list(ent), doc, start))
        if tokens:
            groups.append((tokens, ent.label_))
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
            and ent.span.text.lower() in p.role.lower()
            and abs(ent.span.start - p.span.start) < 80
            for p in people
        )
        if not inside:
            kept.append(ent)
    return kept
