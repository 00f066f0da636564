#!/usr/bin/env python3
"""Writes conf/sample-corpus/: the bundled demo corpus of `tw run` (run from the repo root:
`python3 tools/make_sample_corpus.py`). Deterministic: sentences are assembled from small word
lists by a seeded generator, so the corpus is ours, needs no download and never changes unless
this script does. notes.lines has one document per line (the "lines" format). A handful of deliberately bad records show the rejects table at work."""
import gzip
import json
import random
from pathlib import Path

OUT = Path("conf/sample-corpus")

TOPICS = {
    "sport": (["team", "match", "coach", "goal", "league", "player", "season", "stadium", "referee", "trophy"],
              ["won", "lost", "played", "scored", "trained for", "celebrated", "watched", "defended"]),
    "food": (["bread", "soup", "cheese", "kitchen", "recipe", "garlic", "market", "dinner", "oven", "spice"],
             ["baked", "tasted", "cooked", "served", "seasoned", "bought", "shared", "roasted"]),
    "science": (["experiment", "theory", "laboratory", "molecule", "telescope", "data", "energy", "planet", "cell", "signal"],
                ["measured", "observed", "predicted", "tested", "published", "modelled", "detected", "explained"]),
    "travel": (["train", "city", "river", "mountain", "harbour", "map", "journey", "village", "road", "bridge"],
               ["crossed", "visited", "followed", "reached", "left", "explored", "photographed", "described"]),
    "music": (["song", "band", "guitar", "concert", "melody", "piano", "choir", "album", "rhythm", "singer"],
              ["played", "recorded", "wrote", "heard", "rehearsed", "performed", "remembered", "hummed"]),
}
SUBJECTS = ["The old friend", "A young student", "Our neighbour", "The visitor", "Everyone", "My sister",
            "The committee", "A stranger", "The teacher", "Nobody"]
CONNECTORS = ["Later that day,", "In the morning,", "After a while,", "Meanwhile,", "Surprisingly,", "Of course,"]
ADJECTIVES = ["quiet", "famous", "small", "bright", "strange", "careful", "long", "warm", "new", "early"]


def sentence(rng, topic):
    nouns, verbs = TOPICS[topic]
    parts = []
    if rng.random() < 0.3:
        parts.append(rng.choice(CONNECTORS))
    parts += [rng.choice(SUBJECTS) if not parts else rng.choice(SUBJECTS).lower(), rng.choice(verbs),
              "the", rng.choice(ADJECTIVES), rng.choice(nouns)]
    if rng.random() < 0.5:
        parts += ["near the", rng.choice(nouns)]
    return " ".join(parts) + rng.choice([".", ".", ".", "!", "?"])


def document(rng, topic, sentences):
    return " ".join(sentence(rng, topic) for _ in range(sentences))


def main():
    rng = random.Random(20230913)
    OUT.mkdir(parents=True, exist_ok=True)
    topics = sorted(TOPICS)
    with open(OUT / "articles.jsonl", "w", encoding="utf-8") as f:
        for i in range(240):
            topic = topics[i % len(topics)]
            f.write(json.dumps({"id": f"article-{i:04d}", "topic": topic,
                                "text": document(rng, topic, rng.randint(3, 40))}) + "\n")
        # Bad records, each a reason in the rejects table.
        f.write('{"id": "bad-json", "text": "an unterminated record\n')
        f.write(json.dumps({"id": "no-text", "body": "the text lives under another name"}) + "\n")
        f.write(json.dumps({"id": "empty", "text": ""}) + "\n")
    with open(OUT / "notes.lines", "w", encoding="utf-8") as f:
        for _ in range(120):
            f.write(document(rng, rng.choice(topics), rng.randint(1, 4)) + "\n")
    with gzip.GzipFile(OUT / "letters.jsonl.gz", "wb", mtime=0) as f:
        for i in range(60):
            topic = topics[(i * 3) % len(topics)]
            f.write((json.dumps({"id": f"letter-{i:03d}", "text": "Dear friend, " + document(rng, topic, rng.randint(5, 25))})
                     + "\n").encode("utf-8"))
        f.write(b'{"id": "latin1", "text": "caf\xe9 au lait"}\n')


if __name__ == "__main__":
    main()
