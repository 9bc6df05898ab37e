"""Production settings for the example site: absolute URLs on its public address."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: F403

SITEURL = "https://relay-desk.example.org"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
