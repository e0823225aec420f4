#!/usr/bin/env bash
# Refresh the Korean catalogues from the English sources.
#
# Extracts the messages of every page (gettext builder), keeps every page but
# the API reference (deliberately English) and merges them into
# docs/locale/ko/LC_MESSAGES with sphinx-intl: new messages arrive empty,
# changed ones marked fuzzy. Then
# translate them following docs/locale/ko/GLOSSARY.md and run
# tests/test_docs_locale.py. The gallery is not executed here (its text does
# not depend on its output).
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf docs/_build/gettext
sphinx-build -q -b gettext -D plot_gallery=0 docs docs/_build/gettext
pot=docs/_build/gettext-ko
rm -rf "$pot"
cp -r docs/_build/gettext "$pot"
# The API reference stays English: its catalogue (api.po) holds only its
# title, marked "(영어)", and is kept by hand.
rm "$pot/api.pot"
# The example's running time changes with every run: not a message to keep.
python - "$pot" <<'PY'
import pathlib, sys
from babel.messages.pofile import read_po, write_po
for path in pathlib.Path(sys.argv[1]).rglob("*.pot"):
    with path.open("rb") as f:
        catalog = read_po(f)
    for message in list(catalog):
        if str(message.id).startswith("**Total running time of the script:**"):
            del catalog[message.id]
    with path.open("wb") as f:
        write_po(f, catalog)
PY
sphinx-intl update -p "$pot" -l ko -d docs/locale --no-obsolete
# The figures' texts: the English build writes each example's to
# docs/_build/figures/<example>.pot (docs/gallery_language.py); merged here
# into one catalogue, locale/ko/figures.po, when an English build has run.
python - <<'PY'
import pathlib
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
templates = sorted(pathlib.Path("docs/_build/figures").glob("*.pot"))
if not templates:
    raise SystemExit("No figure texts: build the English docs first to update figures.po.")
template = Catalog(project="skbackprop figures")
for path in templates:
    with path.open("rb") as f:
        for message in read_po(f):
            if message.id:
                template.add(message.id)
target = pathlib.Path("docs/locale/ko/figures.po")
if target.exists():
    with target.open("rb") as f:
        catalogue = read_po(f, locale="ko")
else:
    catalogue = Catalog(locale="ko", project="skbackprop figures")
catalogue.update(template, no_fuzzy_matching=True)
catalogue.obsolete.clear()
with target.open("wb") as f:
    write_po(f, catalogue, width=76)
print(f"figures.po: {len(catalogue)} messages, "
      f"{sum(1 for m in catalogue if m.id and not m.string)} untranslated")
PY
