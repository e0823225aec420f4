"""The package as installed: its version, license and the files it carries."""

import os
import re
from importlib import metadata
from pathlib import Path

import pytest

import skbackprop

ROOT = Path(__file__).resolve().parents[1]


def _distribution():
    try:
        return metadata.distribution("skbackprop")
    except metadata.PackageNotFoundError:
        pytest.skip("skbackprop is not installed (a checkout on sys.path)")


def _imported_is_installed(dist):
    """Whether ``import skbackprop`` found the distribution's own files.

    Not so for an editable install, or a checkout that comes first on
    sys.path (``python -m pytest`` from the checkout).
    """
    files = [f for f in dist.files or () if str(f) == "skbackprop/__init__.py"]
    return bool(files) and (
        Path(dist.locate_file(files[0])).resolve()
        == Path(skbackprop.__file__).resolve()
    )


def _pyproject_version():
    text = (ROOT / "pyproject.toml").read_text()
    project = text.split("[project]", 1)[1].split("\n[", 1)[0]
    return re.search(r'^version = "([^"]+)"', project, re.M).group(1)


def test_version_is_read_from_the_metadata():
    dist = _distribution()
    assert skbackprop.__version__ == dist.version


def test_installed_version_is_the_one_in_pyproject():
    dist = _distribution()
    if not _imported_is_installed(dist):
        pytest.skip("the imported skbackprop is not the installed distribution")
    assert dist.version == _pyproject_version()


def test_metadata_states_the_license_and_the_support_window():
    dist = _distribution()
    if not _imported_is_installed(dist):
        pytest.skip("the imported skbackprop is not the installed distribution")
    meta = dist.metadata
    assert meta["License-Expression"] == "BSD-3-Clause"
    assert meta["Requires-Python"] == ">=3.10"
    requires = dist.requires or []
    for floor in ("numpy>=1.24", "scipy>=1.11", "scikit-learn>=1.6"):
        assert floor in requires
    license_files = [f for f in dist.files if f.name == "LICENSE"]
    assert license_files, "the LICENSE file is not in the installed package"
    text = Path(dist.locate_file(license_files[0])).read_text()
    assert "Redistribution and use in source and binary forms" in text


@pytest.mark.skipif(
    os.environ.get("SKBACKPROP_TEST_INSTALLED") != "1",
    reason="CI's wheel run sets SKBACKPROP_TEST_INSTALLED=1",
)
def test_the_tests_import_the_installed_wheel_not_the_checkout():
    dist = _distribution()
    print(f"skbackprop {skbackprop.__version__} from {skbackprop.__file__}")
    assert _imported_is_installed(dist), skbackprop.__file__
    checkout = (ROOT / "skbackprop" / "__init__.py").resolve()
    assert Path(skbackprop.__file__).resolve() != checkout
    # Every module of the checkout is in the wheel.
    installed = {str(f) for f in dist.files}
    for module in (ROOT / "skbackprop").glob("*.py"):
        assert f"skbackprop/{module.name}" in installed, module.name


def test_ci_floors_are_the_floors_of_pyproject():
    # .ci/run installs these with == at the floors; pyproject declares them.
    text = (ROOT / "pyproject.toml").read_text()
    dependencies = re.search(r"^dependencies = \[(.*)\]$", text, re.M).group(1)
    declared = dict(re.findall(r'"([\w-]+)>=([\d.]+)"', dependencies))
    pins = dict(
        re.findall(
            r"^([\w-]+)==([\d.]+)$",
            (ROOT / ".ci" / "constraints-floors.txt").read_text(),
            re.M,
        )
    )
    assert set(pins) == {"numpy", "scipy", "scikit-learn"}
    for name, pinned in pins.items():
        assert pinned.split(".")[:2] == declared[name].split(".")[:2], name
    assert 'requires-python = ">=3.10"' in text
