"""Check that the built documentation loads nothing from another host.

Usage: ``python docs/check_offline.py [docs/_build/html]``, after the build.

Every HTML page is read for the resources a browser fetches while showing it:
scripts, stylesheets, fonts and icons (``<link>``), images, frames, media,
embedded objects, and ``url(...)``/``@import`` in inline styles and in the
local stylesheets the pages load. Any such reference to another host
(``http:``, ``https:``, ``//host/...``) is printed and the exit status is 1;
plain links (``<a href>``) are fine, a reader follows them on purpose. The
exit status is also 1 when there is no page to check. Standard library only.
"""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes whose URL the browser fetches on its own, per tag.
FETCHED = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# <link> relations that only name a page (nothing is fetched for them).
NAVIGATION = {
    "alternate",
    "author",
    "canonical",
    "help",
    "index",
    "license",
    "next",
    "prev",
    "search",
    "top",
    "up",
}
CSS_URL = re.compile(
    r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE
)
REMOTE_SCHEMES = {"http", "https", "ftp", "ws", "wss"}


def is_remote(url):
    """Whether ``url`` points to another host."""
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme.lower() in REMOTE_SCHEMES


def css_urls(text):
    """The URLs of ``url(...)`` and ``@import "..."`` in CSS text."""
    return [m.group(2) or m.group(4) or "" for m in CSS_URL.finditer(text)]


def srcset_urls(value):
    """The URLs of a ``srcset`` attribute (comma-separated, each with a size)."""
    return [part.split()[0] for part in value.split(",") if part.split()]


class _Page(HTMLParser):
    """Collect (what, url) for everything a page makes the browser fetch."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fetched = []
        self.stylesheets = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {name.lower(): value or "" for name, value in attrs}
        if tag == "link":
            rel = set(attrs.get("rel", "").lower().split())
            if attrs.get("href") and not (rel and rel <= NAVIGATION):
                what = f"<link rel={' '.join(sorted(rel))}>"
                self.fetched.append((what, attrs["href"]))
                if "stylesheet" in rel:
                    self.stylesheets.append(attrs["href"])
        for name in FETCHED.get(tag, ()):
            if attrs.get(name):
                urls = srcset_urls(attrs[name]) if name == "srcset" else [attrs[name]]
                self.fetched += [(f"<{tag} {name}>", url) for url in urls]
        if attrs.get("style"):
            self.fetched += [("style attribute", u) for u in css_urls(attrs["style"])]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.fetched += [("<style>", url) for url in css_urls(data)]


def _local_file(page, url):
    """The file a relative URL of ``page`` names, or None."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = (page.parent / unquote(parts.path)).resolve()
    return path if path.is_file() else None


def check_stylesheet(path, seen):
    """Remote URLs in a local stylesheet and in the local ones it imports."""
    if path in seen:
        return []
    seen.add(path)
    problems = []
    for url in css_urls(path.read_text(encoding="utf-8", errors="replace")):
        if is_remote(url):
            problems.append((str(path), "url() in stylesheet", url))
        elif url.lower().endswith(".css") and (local := _local_file(path, url)):
            problems += check_stylesheet(local, seen)
    return problems


def check_site(root):
    """Return (number of pages, list of (file, what, url) on another host)."""
    root = Path(root)
    pages = sorted(root.rglob("*.html"))
    problems, seen = [], set()
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for what, url in parser.fetched:
            if is_remote(url):
                problems.append((str(page.relative_to(root)), what, url))
        for href in parser.stylesheets:
            if not is_remote(href) and (local := _local_file(page, href)):
                problems += check_stylesheet(local, seen)
    return len(pages), problems


def main(argv=None):
    """Check the site given on the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else Path(__file__).parent / "_build" / "html")
    n_pages, problems = check_site(root)
    if n_pages == 0:
        print(f"check_offline: no HTML page under {root}; build the docs first.")
        return 1
    for where, what, url in problems:
        print(f"{where}: {what} loads {url}")
    if problems:
        print(f"check_offline: {len(problems)} reference(s) to another host.")
        return 1
    print(f"check_offline: {n_pages} pages, nothing loaded from another host.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
