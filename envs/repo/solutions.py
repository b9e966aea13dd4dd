"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import re


def plain(numbered):
    """A file's text from read_file's numbered lines."""
    return "\n".join(line.split("| ", 1)[1] for line in numbered.splitlines())


def solve_find_function(tools, params):
    source = tools.read_file(path=f"{params['pkg']}/{params['module']}.py")
    phrase = params["phrase"][0].upper() + params["phrase"][1:]
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if phrase in line:
            return re.search(r"def (\w+)\(", lines[i - 1]).group(1)


def solve_last_author(tools, params):
    return tools.git_log(path=params["path"], limit=1)[0]["author"]


def solve_commit_count(tools, params):
    return len(tools.git_log(path=params["path"], author=params["author"], limit=200))


def solve_monthly_commits(tools, params):
    return sum(c["date"].startswith(params["month"]) for c in tools.git_log(author=params["author"], limit=200))


def solve_failing_tests(tools, params):
    run = tools.run_tests(path=f"tests/test_{params['module']}.py")
    return [f["test"].split("::")[1] for f in run["failures"]]


def solve_broken_function(tools, params):
    run = tools.run_tests(path=f"tests/test_{params['module']}.py")
    return re.match(r"test_(\w+)_\d+$", run["failures"][0]["test"].split("::")[1]).group(1)


def solve_fix(tools, params):
    tools.run_tests()
    names = []
    for path, bad, good, function in params["fixes"]:
        tools.read_file(path=path)
        tools.replace_in_file(path=path, old=f"\n{bad}\n", new=f"\n{good}\n")  # whole lines: it cannot apply twice
        names.append(function)
    feature = params.get("feature")
    if feature:
        tools.replace_in_file(
            path=feature["path"],
            old='"""\n\n',
            new=f'"""\n\n\ndef {feature["name"]}({feature["args"]}):\n    {feature["body"]}\n\n\n',
        )
        content = plain(tools.read_file(path=feature["test_path"]))
        tools.write_file(
            path=feature["test_path"],
            content=content + f"\n\n\ndef test_{feature['name']}_added():\n"
            f"    from {feature['module']} import {feature['name']}\n"
            f"    assert callable({feature['name']})\n",
        )
        names.append(feature["name"])
    run = tools.run_tests()
    for issue in params["close"]:
        tools.close_issue(issue_id=issue, comment="Fixed the faulty expression; tests pass.")
    if params["changelog"]:
        log = plain(tools.read_file(path="CHANGELOG.md"))
        tools.write_file(path="CHANGELOG.md", content=log + "\n" + "".join(f"- Fixed {n}.\n" for n in names))
    return f"{run['passed']} tests pass, {run['failed']} fail."
