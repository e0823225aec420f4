"""The documentation works offline: its configuration and the built-site check."""

import ast
import importlib.util
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _load_checker():
    spec = importlib.util.spec_from_file_location(
        "check_offline", DOCS / "check_offline.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_offline = _load_checker()


def _conf_assignments():
    tree = ast.parse((DOCS / "conf.py").read_text(encoding="utf-8"))
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = node.value
    return tree, values


def test_conf_names_no_remote_url():
    tree, _ = _conf_assignments()
    remote = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and check_offline.is_remote(node.value)
    ]
    assert remote == []


def test_math_is_served_from_the_site_and_no_cdn_page_is_written():
    _, values = _conf_assignments()
    extensions = ast.literal_eval(values["extensions"])
    assert "sphinx-mathjax-offline" in extensions
    assert "mathjax_path" not in values  # the extension sets the local path
    gallery = values["sphinx_gallery_conf"]
    settings = {
        key.value: value
        for key, value in zip(gallery.keys, gallery.values)
        if isinstance(key, ast.Constant)
    }
    # sphinx-gallery's computation-times page loads jQuery from a CDN.
    assert ast.literal_eval(settings["write_computation_times"]) is False


def _site(tmp_path, body, css=""):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "local.css").write_text(css)
    (tmp_path / "index.html").write_text(
        "<html><head><link rel='stylesheet' href='_static/local.css'>"
        "<link rel='canonical' href='https://example.org/'>"
        "<script src='_static/mathjax/tex-chtml.js'></script></head>"
        f"<body><a href='https://example.org/page'>a link</a>{body}</body></html>"
    )
    return tmp_path


@pytest.mark.parametrize(
    "body, css",
    [
        ("<script src='https://cdn.example.org/mathjax.js'></script>", ""),
        ("<link rel='stylesheet' href='//cdn.example.org/a.css'>", ""),
        ("<link rel='preload' as='font' href='https://x.org/f.woff2'>", ""),
        ("<img src='http://example.org/a.png'>", ""),
        ("<img src='a.png' srcset='a.png 1x, https://x.org/b.png 2x'>", ""),
        ("<iframe src='https://example.org/'></iframe>", ""),
        ("<div style=\"background: url('https://x.org/b.png')\"></div>", ""),
        ("<style>@import 'https://x.org/font.css';</style>", ""),
        ("", "@font-face { src: url(https://fonts.example.org/f.woff2); }"),
    ],
)
def test_checker_finds_a_resource_on_another_host(tmp_path, body, css, capsys):
    site = _site(tmp_path, body, css)
    n_pages, problems = check_offline.check_site(site)
    assert n_pages == 1 and len(problems) == 1
    assert check_offline.main([str(site)]) == 1
    assert "another host" in capsys.readouterr().out


def test_checker_passes_a_local_site(tmp_path, capsys):
    body = (
        "<img src='_images/a.png' srcset='_images/a.png 1x, _images/b.png 2x'>"
        "<img src='data:image/png;base64,AAAA'>"
        "<style scoped><link href='https://x.org/a.css' rel='stylesheet'/></style>"
    )
    site = _site(tmp_path, body, "body { background: url(../_images/a.png); }")
    assert check_offline.check_site(site) == (1, [])
    assert check_offline.main([str(site)]) == 0
    assert "nothing loaded from another host" in capsys.readouterr().out


def test_checker_fails_without_pages(tmp_path, capsys):
    assert check_offline.main([str(tmp_path)]) == 1
    assert "no HTML page" in capsys.readouterr().out
