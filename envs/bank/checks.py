"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import column_deltas, diff_table


def check_ledger(outcome, params):
    """New transactions, balances, payees and standing orders must be exactly the expected ones.

    payments: [account, payee name, amount]; transfers: [from, to, amount]; cancelled: standing order ids;
    new_payees: [customer id, name, reference, category]; new_orders: [account, payee name, amount, day];
    """
    reasons = []
    number = {a["id"]: a["number"] for a in outcome.rows("SELECT id, number FROM accounts")}
    added, removed, changed = diff_table(outcome.initial, outcome.db, "transactions")
    got = sorted((number[t["account_id"]], t["kind"], t["counterparty"], round(t["amount"], 2)) for t in added)
    want, deltas = [], {}
    for account, payee, amount in params.get("payments", []):
        want.append((account, "payment", payee, -round(amount, 2)))
    for source, target, amount in params.get("transfers", []):
        want += [(source, "transfer_out", target, -round(amount, 2)), (target, "transfer_in", source, round(amount, 2))]
    for account, _, _, amount in want:
        deltas[account] = round(deltas.get(account, 0) + amount, 2)
    if removed or changed or got != sorted(want):
        reasons.append(f"new transactions {got} differ from the expected {sorted(want)}")
    balances = {number[k]: v for k, v in column_deltas(outcome.initial, outcome.db, "accounts", "balance").items()}
    if set(balances) != {k for k, v in deltas.items() if abs(v) > 1e-9} or any(
        abs(balances[k] - deltas[k]) > 0.005 for k in balances
    ):
        reasons.append(f"balance changes {balances} differ from the expected {deltas}")
    accounts = diff_table(outcome.initial, outcome.db, "accounts")
    before = {a["id"]: a for a in outcome.initial_rows("SELECT * FROM accounts")}
    if accounts[0] or accounts[1] or any({**a, "balance": 0} != {**before[a["id"]], "balance": 0} for a in accounts[2]):
        reasons.append("accounts changed beyond their balances")
    payees, gone, altered = diff_table(outcome.initial, outcome.db, "payees")
    got_payees = sorted([p["customer_id"], p["name"], p["reference"], p["category"]] for p in payees)
    if gone or altered or got_payees != sorted(params.get("new_payees", [])):
        reasons.append(f"new payees {got_payees} differ from the expected {params.get('new_payees', [])}")
    orders, gone, altered = diff_table(outcome.initial, outcome.db, "standing_orders")
    cancelled = [o["id"] for o in altered if o["active"] == 0]
    old = {o["id"]: o for o in outcome.initial_rows("SELECT * FROM standing_orders")}
    if (
        gone
        or sorted(cancelled) != sorted(params.get("cancelled", []))
        or any({**o, "active": 1} != {**old[o["id"]], "active": 1} for o in altered)
    ):
        reasons.append(f"cancelled standing orders {cancelled} differ from the expected {params.get('cancelled', [])}")
    payee_name = {p["id"]: p["name"] for p in outcome.rows("SELECT id, name FROM payees")}
    got_orders = sorted(
        [number.get(o["account_id"]), payee_name.get(o["payee_id"]), round(o["amount"], 2), o["day_of_month"]]
        for o in orders
        if o["active"] == 1
    )
    if len(got_orders) != len(orders) or got_orders != sorted(params.get("new_orders", [])):
        reasons.append(f"new standing orders {got_orders} differ from the expected {params.get('new_orders', [])}")
    return not reasons, reasons
