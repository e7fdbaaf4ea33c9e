"""The README's code runs as written (its blocks in order, sharing their names)."""
import pathlib
import re

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def test_readme_code_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README shows no Python code"
    namespace = {}
    for code in blocks:
        exec(compile(code, "README.md", "exec"), namespace)
