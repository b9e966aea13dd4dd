"""Library loans: branches, books and their copies, members with loan limits, loans with due dates and fines, holds."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import LibraryTasks
from .tools import LibraryTools
from .world import LibraryWorld


class LibraryEnv(LibraryWorld, LibraryTools, LibraryTasks, EnvTemplate):
    name = "library"
    version = "2.0.0"
    category = "library loans"
    description = (
        "A public library network's circulation desk: search the catalogue and its copies at each branch, "
        "look up members, their loans, fines and holds, and lend, return and renew copies, place and "
        "cancel holds and take fine payments."
    )
    variants = VariantSpace(
        optional_tools=("list_branches", "get_hold_queue", "list_loans"),
        renames={
            "search_books": ("find_books", "catalog_search"),
            "checkout_copy": ("lend_copy",),
            "get_member": ("member_details",),
        },
        rules={
            "strict_fines": "Members who owe any fine at all may not borrow or renew until they pay.",
            "home_branch_only": "Members may borrow only copies held at their home branch.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
