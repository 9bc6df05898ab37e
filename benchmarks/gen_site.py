"""Generate a synthetic news site: N Markdown articles with realistic newsroom metadata.

Deterministic by seed: the same ``(N, seed)`` always gives byte-identical files,
so plain Pelican and the plugin build exactly the same content, run after run.

Every word is made up here from a seeded syllable table (no borrowed text).
The shape follows the issue: 1-4 hop ``via`` chains on most articles, a lead
image with caption, credit and licence, 40 authors, 12 categories, 200 tags,
newsroom timestamps, and 600-900 word bodies with headings, links and
emphasis.  Headers are Pelican's ``Key: value`` form (not YAML front matter)
so that plain Pelican reads the very same files; ``date`` uses the newsroom
form with a hyphen separator (``Mon, 03/23/2020 - 07:54``), which both
Pelican's dateutil and the plugin accept (dateutil rejects the en dash).

    python benchmarks/gen_site.py 2000 benchmarks/out/site-2000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ONSETS: tuple[str, ...] = (
    "b",
    "br",
    "c",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
)
ONSETS += ("s", "st", "t", "tr", "v", "w", "z", "ch", "sh", "th")
VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io")
CODAS = ("", "", "", "n", "r", "s", "l", "m", "nd", "st", "rk", "x")

CATEGORY_COUNT = 12
TAG_COUNT = 200
AUTHOR_COUNT = 40
OUTLET_COUNT = 60
LICENSES = ("CC BY 4.0", "CC BY-SA 4.0", "All rights reserved", "CC0 1.0")


def daytime(moment: datetime) -> datetime:
    """``moment``, moved on to 06:00-22:59 local time: no DST gaps or repeated hours."""
    while not 6 <= moment.hour <= 22:
        moment += timedelta(hours=1)
    return moment


#: First publication date; articles follow each other by 1-9 hours.
START = datetime(2019, 1, 7, 8, 0)


@dataclass(frozen=True)
class Outlet:
    """A news outlet that can appear as a hop of a chain."""

    name: str
    host: str


class Words:
    """A seeded vocabulary of made-up words, drawn with a skew like real text."""

    def __init__(self, rng: random.Random, size: int = 3000) -> None:
        self.rng = rng
        seen: set[str] = set()
        while len(seen) < size:
            syllables = rng.choice((1, 2, 2, 2, 3, 3, 4))
            seen.add("".join(self.syllable() for _ in range(syllables)))
        self.vocabulary = sorted(seen)
        rng.shuffle(self.vocabulary)  # frequency independent of spelling
        self.weights = [1 / (rank + 10) for rank in range(size)]  # Zipf-like: common words repeat

    def syllable(self) -> str:
        return self.rng.choice(ONSETS) + self.rng.choice(VOWELS) + self.rng.choice(CODAS)

    def take(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, weights=self.weights, k=count)

    def name(self) -> str:
        return " ".join(word.capitalize() for word in self.take(self.rng.choice((1, 2))))

    def phrase(self, low: int, high: int) -> str:
        """Plain words, capitalized: titles, captions, headings."""
        return " ".join(self.take(self.rng.randint(low, high))).capitalize()

    def sentence(self, low: int = 6, high: int = 18) -> str:
        words = self.take(self.rng.randint(low, high))
        if self.rng.random() < 0.3:  # some emphasis and inline links, as real copy has
            at = self.rng.randrange(len(words))
            words[at] = f"*{words[at]}*"
        if self.rng.random() < 0.1:
            at = self.rng.randrange(len(words))
            words[at] = f"[{words[at]}](https://{words[at]}.example.com/{self.rng.randint(1, 999)})"
        return " ".join(words).capitalize() + self.rng.choice(".....?!")


def slugify(text: str) -> str:
    return "-".join("".join(c for c in word.lower() if c.isalnum()) for word in text.split())


class SiteGenerator:
    """Draws the fixed cast (authors, outlets, categories, tags), then the articles."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = Words(self.rng)
        self.authors = self._unique(AUTHOR_COUNT, lambda: f"{self._cap()} {self._cap()}")
        self.categories = self._unique(CATEGORY_COUNT, self._cap)
        self.tags = self._unique(TAG_COUNT, lambda: " ".join(self.words.take(2)))
        names = self._unique(
            OUTLET_COUNT,
            lambda: (
                f"{self._cap()} {self.rng.choice(('News', 'Wire', 'Post', 'Times', 'Daily', 'Herald', 'Report'))}"
            ),
        )
        self.outlets = [Outlet(name, f"{slugify(name)}.example") for name in names]
        self.tag_weights = [1 / (rank + 3) for rank in range(TAG_COUNT)]
        self.outlet_weights = [1 / (rank + 5) for rank in range(OUTLET_COUNT)]

    def _cap(self) -> str:
        return self.words.take(1)[0].capitalize()

    def _unique(self, count: int, make: object) -> list[str]:
        values: dict[str, None] = {}
        while len(values) < count:
            values[make()] = None  # type: ignore[operator]
        return list(values)

    def timestamp(self, moment: datetime) -> str:
        """Newsroom form (hyphen), RFC 2822 or ISO 8601, as feeds and CMSes mix them."""
        form = self.rng.random()
        if form < 0.7:
            return moment.strftime("%a, %m/%d/%Y - %H:%M")
        if form < 0.85:
            return moment.strftime("%a, %d %b %Y %H:%M:%S -0500")
        return moment.strftime("%Y-%m-%dT%H:%M:%S")

    def hop(self, outlet: Outlet, story: str) -> str:
        """``Name <URL>`` mostly; sometimes only the name, or only the URL."""
        url = f"https://www.{outlet.host}/{story}"
        form = self.rng.random()
        if form < 0.8:
            return f"{outlet.name} <{url}>"
        return outlet.name if form < 0.9 else url

    def header(self, index: int, moment: datetime) -> tuple[str, list[str]]:
        rng = self.rng
        title = self.words.phrase(5, 11)
        slug = f"{slugify(title)[:60].strip('-')}-{index}"
        authors = rng.sample(self.authors, 2 if rng.random() < 0.1 else 1)
        tags = list(
            dict.fromkeys(rng.choices(self.tags, weights=self.tag_weights, k=rng.randint(2, 5)))
        )
        lines = [
            f"Title: {title}",
            f"Slug: {slug}",
            f"Date: {self.timestamp(moment)}",
            f"Category: {rng.choice(self.categories)}",
            f"Tags: {', '.join(tags)}",
            f"Authors: {', '.join(authors)}",
        ]
        if rng.random() < 0.2:
            lines.append(
                f"Modified: {self.timestamp(daytime(moment + timedelta(hours=rng.randint(1, 30))))}"
            )
        if rng.random() < 0.8:  # a repost: 1-4 hops, origin first
            outlets = rng.sample(range(OUTLET_COUNT), rng.choice((1, 1, 2, 2, 2, 3, 4)))
            chain = [
                self.hop(self.outlets[o], f"{slug[:40]}-{rng.randint(100, 99999)}") for o in outlets
            ]
            lines.append("Via: " + "\n    ".join(chain))
            origin = self.outlets[outlets[0]]
            lines.append(f"Origin_url: https://www.{origin.host}/stories/{slug}")
        if rng.random() < 0.85:
            lines += self.image(slug)
        if rng.random() < 0.3:
            lines.append(f"License: {rng.choice(LICENSES)}")
        return slug, lines

    def image(self, slug: str) -> list[str]:
        agency = self.rng.choice(self.outlets)
        caption = self.words.phrase(6, 14) + "."
        lines = [
            f"Image: https://images.{agency.host}/photos/{slug}.jpg",
            f"Image_caption: {caption}",
            f"Image_credit: {agency.name} / {self.rng.choice(self.authors)}",
        ]
        if self.rng.random() < 0.5:
            lines.append(f"Image_credit_url: https://www.{agency.host}/photographers")
        if self.rng.random() < 0.5:
            lines.append(f"Image_license: {self.rng.choice(LICENSES)}")
        return lines

    def body(self) -> str:
        target = self.rng.randint(600, 900)
        blocks: list[str] = []
        words = 0
        while words < target:
            if blocks and self.rng.random() < 0.12:
                blocks.append("## " + self.words.phrase(3, 7))
            sentences = [self.words.sentence() for _ in range(self.rng.randint(3, 7))]
            paragraph = " ".join(sentences)
            if self.rng.random() < 0.08:
                paragraph = "> " + paragraph
            blocks.append(paragraph)
            words += len(paragraph.split())
        return "\n\n".join(blocks)

    def article(self, index: int, moment: datetime) -> tuple[str, str]:
        slug, lines = self.header(index, moment)
        return f"{moment:%Y}/{slug}.md", "\n".join(lines) + "\n\n" + self.body() + "\n"


def generate(count: int, root: Path, seed: int = 7) -> Path:
    """Write ``count`` articles under ``root/content/news`` (``root`` is replaced); return content."""
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    news = content / "news"
    generator = SiteGenerator(seed)
    moment = START
    for index in range(count):
        moment += timedelta(hours=generator.rng.randint(1, 9), minutes=generator.rng.randint(0, 59))
        moment = daytime(moment)
        relative, text = generator.article(index, moment)
        path = news / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("root", type=Path, help="folder to (re)create; articles go to ROOT/content")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    content = generate(args.count, args.root, args.seed)
    print(f"{args.count} articles written under {content}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
