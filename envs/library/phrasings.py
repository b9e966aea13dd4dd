"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "fines_owed": [
        "How much does {{member}} currently owe in library fines?",
        "What is the outstanding fine balance of member {{member}}?",
        "Tell me {{member}}'s unpaid fines.",
    ],
    "due_date": [
        'When is {{member}}\'s copy of "{{title}}" due back?',
        '{{member}} has "{{title}}" on loan. What is its due date?',
    ],
    "copies_available": [
        'How many copies of "{{title}}" are available to borrow at the {{branch}} branch right now?',
        'Count the copies of "{{title}}" sitting available on the shelves of {{branch}}.',
    ],
    "overdue_members": [
        "Which members have an overdue loan of a copy belonging to the {{branch}} branch? Names only.",
        "List the members who are late returning copies from {{branch}}.",
    ],
    "can_borrow": [
        "Under our rules, may {{member}} borrow another book today?",
        "Is {{member}} allowed to check out one more item right now (any book they don't already have)?",
    ],
    "most_loaned": [
        "Which {{genre}} title has been lent out the most times overall, counting current and past loans?",
        "Across all loans ever recorded, which {{genre}} book was borrowed most often? Just the title.",
    ],
    "projected_fine": [
        "If {{member}} returned all of their overdue items today, how much in new fines would that add? "
        "Give the amount.",
        "What fine would {{member}} be charged in total for returning every overdue loan today?",
    ],
    "author_branches": [
        "Which branches have at least one available copy of a book by {{author}}?",
        "I want something by {{author}}. At which branches is a copy of one of their books on the shelf now?",
    ],
    "return_all": [
        "{{member}} is bringing back everything they have on loan today. Check all of it in.",
        "Process the return of every item {{member}} currently has borrowed.",
    ],
    "renew_eligible": [
        "Renew every loan of {{member}}'s that our rules allow to be renewed; leave the others alone.",
        "{{member}} asks for renewals. Renew each of their loans that is eligible under the policy.",
    ],
    "hold_missing": [
        "{{member}} wants these books for pickup at {{branch}}: {{titles}}. Place a hold for each one that has "
        "no copy available at {{branch}}, as far as the rules allow.",
        "For pickup at {{branch}}, put holds in for {{member}} on whichever of {{titles}} are not currently "
        "available there, within the hold rules.",
    ],
    "renew_or_return": [
        "Go through {{member}}'s loans: first renew each one the rules allow to be renewed, then check in every "
        "loan that could not be renewed.",
        "{{member}} wants to keep what they can: renew all of their loans that are renewable under the policy "
        "first, and afterwards process the return of the remaining ones.",
    ],
    "borrow_list": [
        "{{member}} is at the {{branch}} branch and wants to borrow, in this order of priority: {{titles}}. "
        "Lend them as many as the rules allow, using copies available at {{branch}}. If their fines would stop "
        "them borrowing, first take a payment of their full balance; otherwise take no payment.",
        "At {{branch}}, check out copies for {{member}} from this wish list, highest priority first: {{titles}}. "
        "Skip titles with no available copy there and stop at their loan limit. Should their fine balance block "
        "borrowing, have them pay it in full first (and only then).",
    ],
    "genre_pick": [
        "{{member}} is at {{branch}} and wants up to {{count}} {{genre}} books. First check in any of their loans "
        "that are overdue; if their fines then block borrowing, take a payment of the full balance. Then lend "
        "them the most recently published {{genre}} titles that have a copy available at {{branch}}, that nobody "
        "is waiting for and that they don't already have, as many as their loan limit allows (at most {{count}}).",
        "Help {{member}} at the {{branch}} branch: return whatever they have that is overdue, clear their fine "
        "balance in full only if it would stop them borrowing, and then check out to them the newest {{genre}} "
        "books on the shelf at {{branch}} that have no waiting holds and that they don't have yet: up to "
        "{{count}} titles, within their loan limit.",
    ],
    "swap_stack": [
        "{{member}} is at their home branch, {{branch}}. First check in everything they have on loan. Then, if "
        "their fines block borrowing, take a payment of the full balance. Then lend them, in priority order, "
        "copies available at {{branch}} of: {{titles}}, up to their loan limit; for each of those titles with no "
        "copy available at {{branch}}, place a hold for pickup there, as far as the hold rules allow.",
        "Help {{member}} at {{branch}} (their home branch): return all their current loans, settle their fine "
        "balance in full only if it would block borrowing, then borrow from {{titles}} (priority order, copies "
        "on the shelf at {{branch}}, within the loan limit) and put holds at {{branch}} on the titles of that "
        "list that have no copy available there, respecting the hold limit.",
    ],
}
