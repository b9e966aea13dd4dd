"""A small generated Python repository with planted bugs, its tests, issues and history."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import RepoTasks
from .tools import RepoTools
from .world import RepoWorld


class RepoEnv(RepoWorld, RepoTools, RepoTasks, EnvTemplate):
    name = "repo"
    version = "2.0.0"
    category = "software maintenance"
    agent_category = "code"
    description = (
        "A small Python utility repository with its tests, issue tracker and commit history. Read and "
        "search the code, run the tests, edit files and close issues."
    )
    variants = VariantSpace(
        optional_tools=("search_code", "git_log", "git_diff"),
        renames={
            "run_tests": ("run_test_suite",),
            "read_file": ("open_file", "cat_file"),
            "replace_in_file": ("edit_file",),
        },
        rules={
            "changelog": "Record every fix or feature with a line in CHANGELOG.md that names the function changed.",
            "no_new_files": "Do not create new files; edit existing ones only.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
