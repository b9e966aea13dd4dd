"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def shelf_copy(book, branch):
    """The first available copy at `branch` of a book from get_book, or None."""
    return next((c for c in book["copies"] if c["branch"] == branch and c["status"] == "available"), None)


def renewable(tools, loan, details, info, params):
    return (
        details["fines_owed"] < params["block_at"]
        and loan["renewals"] < info["max_renewals"]
        and loan["due_on"] >= info["today"]
        and tools.get_book(book_id=loan["book_id"])["waiting_holds"] == 0
    )


def settle_if_blocked(tools, member_id, params):
    """Take a payment of the member's full balance if their fines block borrowing; their details afterwards."""
    details = tools.get_member(member_id=member_id)
    if details["fines_owed"] >= params["block_at"]:
        tools.pay_fines(member_id=member_id, amount=details["fines_owed"])
    return details


def solve_fines_owed(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    return tools.get_member(member_id=member["id"])["fines_owed"]


def solve_due_date(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    loans = tools.get_member(member_id=member["id"])["loans"]
    return only(loans, title=params["title"])["due_on"]


def solve_copies_available(tools, params):
    book = only(tools.search_books(title=params["title"]), title=params["title"])
    copies = tools.get_book(book_id=book["id"])["copies"]
    return len([c for c in copies if c["branch"] == params["branch"] and c["status"] == "available"])


def solve_overdue_members(tools, params):
    return sorted({loan["member"] for loan in tools.list_loans(branch=params["branch"], status="overdue")})


def solve_can_borrow(tools, params):
    info = tools.get_library_info()
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    details = tools.get_member(member_id=member["id"])
    return (
        details["fines_owed"] < info["fines_block_borrowing_at"]
        and len(details["loans"]) < info["loan_limits"][details["tier"]]
    )


def solve_most_loaned(tools, params):
    counts = {}
    for book in tools.search_books(genre=params["genre"]):
        counts[book["title"]] = len(tools.list_loans(book_id=book["id"], status="all"))
    return max(counts, key=counts.get)


def solve_projected_fine(tools, params):
    info = tools.get_library_info()
    today = dt.date.fromisoformat(info["today"])
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    total = 0.0
    for loan in tools.get_member(member_id=member["id"])["loans"]:
        late = (today - dt.date.fromisoformat(loan["due_on"])).days
        if late > 0:
            total += min(info["fine_cap_per_loan"], late * info["fine_per_day"])
    return round(total, 2)


def solve_author_branches(tools, params):
    names = set()
    for book in tools.search_books(author=params["author"]):
        names |= {c["branch"] for c in tools.get_book(book_id=book["id"])["copies"] if c["status"] == "available"}
    return sorted(names)


def solve_return_all(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    fines = [
        tools.return_copy(copy_id=loan["copy_id"])["fine"] for loan in tools.get_member(member_id=member["id"])["loans"]
    ]
    return f"Returned {len(fines)} items; fines charged {round(sum(fines), 2)}"


def solve_renew_eligible(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    info = tools.get_library_info()
    details = tools.get_member(member_id=member["id"])
    renewed = []
    for loan in details["loans"]:
        if renewable(tools, loan, details, info, params):
            renewed.append(tools.renew_loan(loan_id=loan["loan_id"])["due_on"])
    return f"Renewed {len(renewed)} loans"


def solve_hold_missing(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    details = tools.get_member(member_id=member["id"])
    room = tools.get_library_info()["max_active_holds"] - len(details["holds"])
    placed = []
    for title in params["titles"]:
        book = only(tools.search_books(title=title), title=title)
        if shelf_copy(tools.get_book(book_id=book["id"]), params["branch"]):
            continue
        if len(placed) < room:
            placed.append(
                tools.place_hold(member_id=member["id"], book_id=book["id"], branch=params["branch"])["hold_id"]
            )
    return f"Placed holds {placed}"


def solve_renew_or_return(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    info = tools.get_library_info()
    details = tools.get_member(member_id=member["id"])
    rest = []
    for loan in details["loans"]:
        if renewable(tools, loan, details, info, params):
            tools.renew_loan(loan_id=loan["loan_id"])
        else:
            rest.append(loan)
    for loan in rest:
        tools.return_copy(copy_id=loan["copy_id"])
    return f"Renewed {len(details['loans']) - len(rest)}, returned {len(rest)}"


def solve_borrow_list(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    info = tools.get_library_info()
    details = settle_if_blocked(tools, member["id"], params)
    room = info["loan_limits"][details["tier"]] - len(details["loans"])
    lent = []
    for title in params["titles"]:
        if len(lent) >= room:
            break
        book = only(tools.search_books(title=title), title=title)
        copy = shelf_copy(tools.get_book(book_id=book["id"]), params["branch"])
        if copy:
            lent.append(tools.checkout_copy(copy_id=copy["copy_id"], member_id=member["id"])["loan_id"])
    return f"Lent {len(lent)} items"


def solve_swap_stack(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    info = tools.get_library_info()
    for loan in tools.get_member(member_id=member["id"])["loans"]:
        tools.return_copy(copy_id=loan["copy_id"])
    details = settle_if_blocked(tools, member["id"], params)
    room = info["loan_limits"][details["tier"]]
    hold_room = info["max_active_holds"] - len(details["holds"])
    lent, held = 0, 0
    for title in params["titles"]:
        book = only(tools.search_books(title=title), title=title)
        copy = shelf_copy(tools.get_book(book_id=book["id"]), params["branch"])
        if copy and lent < room:
            tools.checkout_copy(copy_id=copy["copy_id"], member_id=member["id"])
            lent += 1
        elif not copy and held < hold_room:
            tools.place_hold(member_id=member["id"], book_id=book["id"], branch=params["branch"])
            held += 1
    return f"Lent {lent}, placed {held} holds"


def solve_genre_pick(tools, params):
    member = only(tools.find_members(name=params["member"]), name=params["member"])
    info = tools.get_library_info()
    details = tools.get_member(member_id=member["id"])
    kept = []
    for loan in details["loans"]:
        if loan["due_on"] < info["today"]:
            tools.return_copy(copy_id=loan["copy_id"])
        else:
            kept.append(loan["book_id"])
    details = settle_if_blocked(tools, member["id"], params)
    options = []
    for book in tools.search_books(genre=params["genre"]):
        if book["id"] in kept:
            continue
        full = tools.get_book(book_id=book["id"])
        copy = shelf_copy(full, params["branch"])
        if copy and full["waiting_holds"] == 0:
            options.append((book["year"], copy["copy_id"]))
    room = min(params["count"], info["loan_limits"][details["tier"]] - len(kept))
    picked = sorted(options, reverse=True)[:room]
    for _, copy_id in picked:
        tools.checkout_copy(copy_id=copy_id, member_id=member["id"])
    return f"Lent {len(picked)} books"
