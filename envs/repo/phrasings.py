"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "find_function": [
        "Which function in {{pkg}}/{{module}}.py {{phrase}}?",
        "I need the helper that {{phrase}}. It lives in the {{module}} module; what is it called?",
    ],
    "last_author": [
        "Who made the most recent commit that touched {{path}}?",
        "Looking at the history, who last changed {{path}}?",
    ],
    "commit_count": [
        "How many commits by {{author}} touched {{path}}?",
        "Count the commits authored by {{author}} that changed {{path}}.",
    ],
    "monthly_commits": [
        "How many commits did {{author}} make in {{month}}?",
        "Count {{author}}'s commits dated in {{month}} (YYYY-MM).",
        "In {{month}}, how many commits were authored by {{author}}?",
    ],
    "fix_function": [
        "{{function}} in {{pkg}}/{{module}}.py is misbehaving. Fix it so that its tests pass, breaking nothing.",
        "Repair {{function}} ({{pkg}}/{{module}}.py): its tests must pass afterwards and every other test that "
        "passes now must keep passing.",
        "Our {{function}} helper has a bug. Correct the library code (not the tests) so tests/test_{{module}}.py "
        "passes.",
    ],
    "failing_tests": [
        "Which tests in tests/test_{{module}}.py currently fail? List their names.",
        "Run the {{module}} tests and tell me which test functions fail.",
    ],
    "broken_function": [
        "Some tests in tests/test_{{module}}.py fail. Which function of {{pkg}}/{{module}}.py is broken?",
        "The {{module}} test file has failures. Name the library function responsible.",
    ],
    "fix_module": [
        "The failing tests in tests/test_{{module}}.py should pass, without breaking any other test.",
        "Fix the bug behind the failing tests in tests/test_{{module}}.py. Do not touch the tests, and keep "
        "every test that passes now passing.",
        "tests/test_{{module}}.py is red. Find the fault in the library code and fix it so that file passes and "
        "the rest of the suite stays as green as it is now.",
    ],
    "fix_issue": [
        "Fix the bug reported in issue #{{issue}} and close the issue with a comment.",
        "Please resolve issue #{{issue}}: fix the code so the tests pass, then close it with a short comment.",
        "Issue #{{issue}} needs a fix. Change the library code (tests stay as they are), check the tests, and "
        "close the issue with a note on the fix.",
    ],
    "fix_two": [
        "Issues #{{a}} and #{{b}} are both real bugs. Fix both (all tests of the modules they name must pass and "
        "no passing test may break), then close both issues with a comment.",
        "Resolve issues #{{a}} and #{{b}}: make the code changes so the tests of both affected modules pass "
        "without breaking others, and close each issue with a comment.",
        "Two open bugs, #{{a}} and #{{b}}. Fix the code behind each so the tests of the modules they name pass "
        "and nothing that passes now breaks; then close both, each with a comment.",
    ],
    "fix_all_feature": [
        "Get the whole test suite green, then add a function {{feature}}({{args}}) to {{pkg}}/{{module}}.py "
        "that should {{spec}}, together with a new test function for it in tests/test_{{module}}.py. Close "
        "every open bug issue you fixed.",
        "Two jobs: fix every failing test in the repository (closing the open bug issues as you fix them), and "
        "add {{feature}}({{args}}) to {{pkg}}/{{module}}.py, which should {{spec}}; cover it with a new test "
        "in tests/test_{{module}}.py.",
    ],
}
