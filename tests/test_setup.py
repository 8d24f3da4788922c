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
