"""No function in skbackprop/ is longer than 80 lines, less its docstring."""

import ast
from pathlib import Path

import skbackprop

LIMIT = 80


def function_lengths(path):
    """(name, lines) of each function in ``path``, from ``def`` to its end.

    A decorator's lines do not count, nor does the docstring's.
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        lines = node.end_lineno - node.lineno + 1
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            if isinstance(first.value.value, str):
                lines -= first.end_lineno - first.lineno + 1
        yield node.name, lines


def test_no_function_is_longer_than_80_lines():
    package = Path(skbackprop.__file__).parent
    long = [
        f"{path.name}:{name} ({lines} lines)"
        for path in sorted(package.glob("*.py"))
        for name, lines in function_lengths(path)
        if lines > LIMIT
    ]
    assert not long, f"longer than {LIMIT} lines: {', '.join(long)}"
