"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def solve_balance(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    accounts = tools.list_accounts(customer_id=customer["id"])
    return next(a["balance"] for a in accounts if a["number"] == params["number"])


def solve_order_amount(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    return next(
        o["amount"] for o in tools.list_standing_orders(customer_id=customer["id"]) if o["payee"] == params["payee"]
    )


def solve_category_spend(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    spent = 0.0
    for account in tools.list_accounts(customer_id=customer["id"]):
        for t in tools.list_transactions(number=account["number"], category=params["category"]):
            if t["kind"] == "card" and t["posted_on"].startswith(params["month"]):
                spent -= t["amount"]
    return round(spent, 2)


def solve_top_merchant(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    totals = {}
    for account in tools.list_accounts(customer_id=customer["id"]):
        for t in tools.list_transactions(number=account["number"], category=params["category"]):
            if t["kind"] == "card":
                totals[t["counterparty"]] = totals.get(t["counterparty"], 0) - t["amount"]
    return max(totals, key=totals.get)


def solve_commitments(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    orders = tools.list_standing_orders(customer_id=customer["id"])
    return round(sum(o["amount"] for o in orders if params["category"] in (None, o["category"])), 2)


def solve_capped_transfer(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    source = next(a for a in tools.list_accounts(customer_id=customer["id"]) if a["number"] == params["source"])
    funds = source["balance"] + (0 if params["no_overdraft"] else source["overdraft_limit"])
    amount = round(min(params["amount"], funds, source["daily_limit"] - source["sent_today"]), 2)
    tools.transfer(from_account=params["source"], to_account=params["target"], amount=amount)
    return f"Moved {amount}"


def solve_cancel_category(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    cancelled = []
    for o in tools.list_standing_orders(customer_id=customer["id"]):
        if o["category"] == params["category"] and (params["threshold"] is None or o["amount"] > params["threshold"]):
            tools.cancel_standing_order(standing_order_id=o["id"])
            cancelled.append(o["id"])
    return f"Cancelled standing orders {cancelled}"


def pay_in_order(tools, customer, accounts, params):
    """Pay params["bills"] in order, each from checking if the rules allow it, else from savings; the payees of
    the bills neither account could pay. `accounts` (by number) is kept up to date."""
    payees = {p["name"]: p["id"] for p in tools.list_payees(customer_id=customer["id"])}
    skipped = []
    for payee, amount in params["bills"]:
        for number in (params["checking"], params["savings"]):
            a = accounts[number]
            funds = a["balance"] + (0 if params["no_overdraft"] else a["overdraft_limit"])
            if params["payment_cap"] is not None and amount > params["payment_cap"]:
                continue
            if amount <= min(funds, a["daily_limit"] - a["sent_today"]) and a["status"] == "open":
                paid = tools.pay_payee(from_account=number, payee_id=payees[payee], amount=amount)
                accounts[number] = paid["account"]
                break
        else:
            skipped.append(payee)
    return skipped


def solve_pay_bills(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    accounts = {a["number"]: a for a in tools.list_accounts(customer_id=customer["id"])}
    skipped = pay_in_order(tools, customer, accounts, params)
    return skipped


def solve_new_landlord(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    for o in tools.list_standing_orders(customer_id=customer["id"]):
        if o["payee"] == params["old"]:
            tools.cancel_standing_order(standing_order_id=o["id"])
    payee = tools.add_payee(
        customer_id=customer["id"], name=params["new"], reference=params["reference"], category="rent"
    )
    tools.create_standing_order(
        from_account=params["checking"], payee_id=payee["id"], amount=params["rent"], day_of_month=params["day"]
    )
    checking = next(a for a in tools.list_accounts(customer_id=customer["id"]) if a["number"] == params["checking"])
    funds = checking["balance"] + (0 if params["no_overdraft"] else checking["overdraft_limit"])
    if funds < params["rent"]:
        tools.transfer(
            from_account=params["savings"], to_account=params["checking"], amount=round(params["rent"] - funds, 2)
        )
    tools.pay_payee(from_account=params["checking"], payee_id=payee["id"], amount=params["rent"])
    return "Done"


def solve_month_end(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    for o in tools.list_standing_orders(customer_id=customer["id"]):
        if o["category"] == params["category"]:
            tools.cancel_standing_order(standing_order_id=o["id"])
    accounts = {a["number"]: a for a in tools.list_accounts(customer_id=customer["id"])}
    skipped = pay_in_order(tools, customer, accounts, params)
    a = accounts[params["checking"]]
    sweep = round(min(a["balance"] - params["keep"], a["daily_limit"] - a["sent_today"]), 2)
    if sweep >= 0.01:
        tools.transfer(from_account=params["checking"], to_account=params["savings"], amount=sweep)
    return skipped


def solve_budget_cut(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    orders = tools.list_standing_orders(customer_id=customer["id"])
    total = sum(o["amount"] for o in orders)
    freed = 0.0
    for o in sorted((o for o in orders if o["category"] != "rent"), key=lambda o: -o["amount"]):
        if total - freed <= params["cap"] + 1e-9:
            break
        tools.cancel_standing_order(standing_order_id=o["id"])
        freed += o["amount"]
    checking = next(a for a in tools.list_accounts(customer_id=customer["id"]) if a["number"] == params["checking"])
    funds = checking["balance"] + (0 if params["no_overdraft"] else checking["overdraft_limit"])
    amount = round(min(freed, funds, checking["daily_limit"] - checking["sent_today"]), 2)
    if amount >= 0.01:
        tools.transfer(from_account=params["checking"], to_account=params["savings"], amount=amount)
    return f"Freed {round(freed, 2)} a month, moved {amount}"
