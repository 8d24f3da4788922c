"""A fresh install gets what the project was tested with: no dependency may jump a major version unseen."""
import re
import tomllib

from .conftest import ROOT


def test_every_dependency_has_an_upper_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [*project["build-system"]["requires"], *project["project"]["dependencies"],
                    *(r for extra in project["project"]["optional-dependencies"].values() for r in extra)]
    unbounded = [r for r in requirements if not re.search(r"<[^=]", r)]
    assert not unbounded, f"give these an upper bound below their next major version: {unbounded}"


def test_the_wheel_holds_the_whole_runtime_and_no_training_data(tmp_path):
    """A non-editable install runs from the wheel: every module and data file of bot/ and index/
    must be in it (a new subpackage once was not), and training/ with its XQuAD copy must not."""
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "bot", "index"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    runtime = {name for name in tracked if not name.endswith("README.md")}
    assert sorted(runtime - names) == []
    assert not [name for name in names if name.startswith(("training/", "tests/", "benchmarks/"))]
