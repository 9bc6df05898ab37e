"""Example site for pelican-newsroom: `make example` builds it, `make serve` previews it."""

import pelican_newsroom

AUTHOR = "Relay Desk"
SITENAME = "The Relay Desk"
SITESUBTITLE = "World news, credited all the way back to the source"
SITEURL = "http://localhost:8000"
PATH = "content"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"

PLUGINS = ["pelican_newsroom"]
THEME = pelican_newsroom.THEME_PATH

STATIC_PATHS = ["images"]
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]

FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

DEFAULT_PAGINATION = 10
NEWSROOM_STRICT = True
# Where readers learn how we correct mistakes: JSON-LD publishingPrinciples on every article.
NEWSROOM_CORRECTIONS_POLICY = "pages/about-the-relay-desk.html"
