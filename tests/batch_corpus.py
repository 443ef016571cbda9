"""A tiny made-up corpus in MRPC's two-file layout, plus injected rows, for feed tests.

Every pair is its own topic (its own names and places), so any mix of pairs that
``eval/make_feed.py`` puts into one event is far from every other event. The sentences are
written for these tests (no MRPC text is committed).
"""

from __future__ import annotations

import json
from pathlib import Path

#: (sentence a, sentence b): two outlets' wording of one fact.
PARAPHRASES = [
    (
        "The Portsmouth council approved 450 new homes near the harbour on Tuesday.",
        "On Tuesday Portsmouth councillors backed plans for 450 homes close to the harbour.",
    ),
    (
        "Workers at the Kalgoorlie gold mine walked out on Monday over unpaid overtime.",
        "Miners in Kalgoorlie went on strike Monday, saying their overtime had not been paid.",
    ),
    (
        "Tacoma health officials confirmed 12 measles cases at two elementary schools.",
        "Twelve cases of measles were confirmed at two Tacoma elementary schools, officials said.",
    ),
    (
        "Norway's central bank raised its key interest rate to 4.5 percent on Thursday.",
        "Norway's central bank lifted its benchmark interest rate to 4.5 percent on Thursday.",
    ),
    (
        "Valencia signed the Brazilian striker Renan Costa on a four-year contract.",
        "Brazilian forward Renan Costa joined Valencia on a contract running four years.",
    ),
    (
        "Firefighters in Boise contained a warehouse blaze after three hours.",
        "A fire at a Boise warehouse was brought under control by crews after three hours.",
    ),
    (
        "The Lisbon metro will extend its green line by six stations before 2027.",
        "Six new stations will be added to the green line of Lisbon's metro by 2027.",
    ),
    (
        "Senator Maria Okafor introduced a bill to cap insulin prices at 35 dollars.",
        "A bill capping insulin at 35 dollars was introduced by Senator Maria Okafor.",
    ),
    (
        "Heavy rain flooded 300 homes in the Bavarian town of Passau overnight.",
        "Overnight, heavy rain in the Bavarian town of Passau flooded 300 homes.",
    ),
    (
        "The Quebec ferry operator cancelled crossings to Levis because of river ice.",
        "River ice forced the ferry company in Quebec to cancel its crossings to Levis.",
    ),
    (
        "Astronomers at the Paranal observatory spotted a comet near Jupiter's orbit.",
        "A comet close to the orbit of Jupiter was spotted by astronomers at Paranal.",
    ),
    (
        "The Nairobi stock exchange suspended trading in Kivu Tea shares on Wednesday.",
        "Trading in shares of Kivu Tea was halted by the Nairobi bourse on Wednesday.",
    ),
    (
        "Glasgow's museum returned 14 bronze figures to the National Museum of Benin.",
        "Fourteen bronze figures were handed back to Benin's national museum by Glasgow.",
    ),
    (
        "The airline Nordwind grounded eight jets after finding cracks in engine mounts.",
        "Nordwind, an airline, took eight of its jets out of service over engine mount cracks.",
    ),
    (
        "A court in Lyon fined the chemical firm Rhodax 2 million euros for river pollution.",
        "Rhodax, a chemicals firm, was fined 2 million euros by a Lyon court for river pollution.",
    ),
    (
        "The Adelaide Zoo welcomed twin red panda cubs named Mei and Tao.",
        "Twin red panda cubs, Mei and Tao, were born at Adelaide Zoo.",
    ),
    (
        "Volunteers planted 20,000 mangrove seedlings along the coast of Sindh province.",
        "Along the Sindh coast, volunteers put 20,000 mangrove seedlings in the ground.",
    ),
    (
        "The Helsinki city library lent out a record 90,000 books in January.",
        "A record 90,000 books were borrowed from Helsinki's city library in January.",
    ),
]

#: non-paraphrase pairs (only their first sentences are used, for articles of no event).
OTHERS = [
    (
        "A Montana rancher found a dinosaur bone while digging a fence post.",
        "Paleontologists in Montana dated a bone to the Cretaceous period.",
    ),
    (
        "The chess club of Yerevan won the regional team title for the third time.",
        "Armenian chess players dominated the tournament held in Tbilisi.",
    ),
    (
        "Bakers in Cork protested against rising flour prices outside the town hall.",
        "Flour prices in Ireland rose for the fifth month in a row.",
    ),
    (
        "A violinist from Porto Alegre won the Sibelius competition in Helsinki.",
        "The Sibelius competition drew 200 violinists from 40 countries.",
    ),
]

#: injected rows: (pair index, check, expect, edit, side, edited text of that side).
INJECTED = [
    (
        0,
        "numeric",
        "fire",
        "number_swap",
        "b",
        "On Tuesday Portsmouth councillors backed plans for 720 homes close to the harbour.",
    ),
    (
        3,
        "numeric",
        "fire",
        "number_swap",
        "a",
        "Norway's central bank raised its key interest rate to 6.5 percent on Thursday.",
    ),
    (
        8,
        "numeric",
        "fire",
        "number_swap",
        "b",
        "Overnight, heavy rain in the Bavarian town of Passau flooded 900 homes.",
    ),
    (
        13,
        "numeric",
        "silent",
        "number_words",
        "a",
        "The airline Nordwind grounded 8 jets after finding cracks in engine mounts.",
    ),
]

OUTLETS = ["daily-a.com", "herald-b.com", "times-c.com", "post-d.com", "wire-e.com"]


def write_corpus(folder: Path) -> tuple[Path, Path]:
    """Write the corpus under ``folder``; returns (MRPC folder, injected.jsonl)."""
    mrpc = folder / "mrpc"
    mrpc.mkdir(parents=True)
    sentences = ["Sentence ID\tString\tAuthor\tURL\tAgency\tDate\tWeb Date"]
    pairs = ["Quality\t#1 ID\t#2 ID\t#1 String\t#2 String"]
    ids: list[tuple[str, str]] = []
    for quality, items in ((1, PARAPHRASES), (0, OTHERS)):
        for a, b in items:
            n = 1000 + 10 * len(ids)
            ia, ib = str(n), str(n + 1)
            ids.append((ia, ib))
            day = f"2003/{1 + len(ids) // 28:02d}/{1 + len(ids) % 28:02d}"
            for sid, text, outlet in ((ia, a, OUTLETS[len(ids) % 5]), (ib, b, OUTLETS[0])):
                sentences.append(f"{sid}\t{text}\t*\twww.{outlet}\t*\t*\t{day}")
            pairs.append(f"{quality}\t{ia}\t{ib}\t{a}\t{b}")
    for outlet in OUTLETS:  # every outlet named at least once
        sentences.append(f"9{len(sentences)}\tUnused.\t*\twww.{outlet}\t*\t*\t2003/12/31")
    (mrpc / "msr_paraphrase_sentences_train.txt").write_text("\n".join(sentences) + "\n", "utf-8")
    (mrpc / "msr_paraphrase_train.txt").write_text("\n".join(pairs) + "\n", "utf-8")
    rows = []
    for index, check, expect, edit, side, text in INJECTED:
        a, b = PARAPHRASES[index]
        ia, ib = ids[index]
        texts = {"a": a, "b": b, side: text}
        rows.append(
            {
                "id": f"inj-{ia}-{ib}-{edit}",
                "check": check,
                "expect": expect,
                "edit": edit,
                "side": side,
                "note": f"{side}: edited",
                "mrpc": f"{ia}-{ib}",
                "a": {"text": texts["a"], "outlet": "x", "published": "2003-06-04T12:00:00+00:00"},
                "b": {"text": texts["b"], "outlet": "y", "published": "2003-06-04T12:00:00+00:00"},
            }
        )
    injected = folder / "injected.jsonl"
    injected.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return mrpc, injected
