"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def movable(tools, m, folder, params):
    """Whether the policy lets an incoming message move to `folder`."""
    if folder in ("Archive", "Trash") and m["priority"] == "high":
        thread = tools.get_thread(thread_id=m["thread_id"])
        if not any(x["direction"] == "out" and x["received_at"] > m["received_at"] for x in thread["messages"]):
            return False
    return not (folder == "Trash" and params.get("vip_keep") and tools.get_contact(who=m["sender_address"])["vip"])


def labellable(m, params):
    """Whether params["label"] may still go on the message (not there yet, under any label limit)."""
    return params["label"] not in m["labels"] and (
        params["label_limit"] is None or len(m["labels"]) < params["label_limit"]
    )


def label_all(tools, params, messages):
    """Put params["label"] on the messages, creating the label in the mailbox first if it is missing."""
    if messages and params["label"] not in [x["name"] for x in tools.list_labels(mailbox=params["owner"])]:
        tools.create_label(mailbox=params["owner"], name=params["label"])
    for m in messages:
        tools.add_label(message_id=m["id"], label=params["label"])


def manager_of(tools, owner):
    return only(tools.list_mailboxes(), owner=owner)["manager"]


def solve_thread_sender(tools, params):
    hits = tools.search_messages(mailbox=params["owner"], subject_contains=params["subject"])
    thread = tools.get_thread(thread_id=hits[0]["thread_id"])
    return [m for m in thread["messages"] if m["direction"] == "in"][-1]["sender"]


def solve_label_count(tools, params):
    return only(tools.list_labels(mailbox=params["owner"]), name=params["label"])["messages"]


def solve_unread_from_org(tools, params):
    return len(
        tools.search_messages(
            mailbox=params["owner"],
            folder="Inbox",
            org=params["org"],
            unread_only=True,
            since=params["since"],
            until=params["until"],
        )
    )


def solve_top_sender(tools, params):
    counts = {}
    for m in tools.search_messages(mailbox=params["owner"], since=params["since"], until=params["until"]):
        if m["direction"] == "in":
            counts[m["sender"]] = counts.get(m["sender"], 0) + 1
    return max(counts, key=lambda name: counts[name])


def solve_vip_awaiting(tools, params):
    vip, subjects = {}, []
    for m in tools.search_messages(mailbox=params["owner"], folder="Inbox"):
        if m["direction"] != "in":
            continue
        if m["sender_address"] not in vip:
            vip[m["sender_address"]] = tools.get_contact(who=m["sender_address"])["vip"]
        if vip[m["sender_address"]]:
            thread = tools.get_thread(thread_id=m["thread_id"])
            last = thread["messages"][-1]
            if thread["awaits_reply"] and last["folder"] == "Inbox" and thread["subject"] not in subjects:
                subjects.append(thread["subject"])
    return subjects


def solve_filter_matches(tools, params):
    f = only(tools.list_filters(mailbox=params["owner"]), name=params["filter"])
    inbox = tools.search_messages(mailbox=params["owner"], folder="Inbox")
    if f["field"] == "sender_domain":
        return sum(1 for m in inbox if m["sender_address"].lower().endswith("@" + f["value"].lower()))
    return sum(1 for m in inbox if f["value"].lower() in m["subject"].lower())


def solve_label_window(tools, params):
    found = tools.search_messages(
        mailbox=params["owner"], folder="Inbox", org=params["org"], since=params["since"], until=params["until"]
    )
    todo = [m for m in found if labellable(m, params)]
    label_all(tools, params, todo)
    return f"Labelled {len(todo)} messages"


def solve_archive_old(tools, params):
    old = [
        m
        for m in tools.search_messages(mailbox=params["owner"], folder="Inbox")
        if m["read"] and m["received_at"][:10] < params["before"]
    ]
    moved = [m for m in old if movable(tools, m, "Archive", params)]
    for m in moved:
        tools.move_message(message_id=m["id"], folder="Archive")
    return f"Archived {len(moved)} messages"


def solve_escalate_latest(tools, params):
    unread = tools.search_messages(
        mailbox=params["owner"], folder="Inbox", org=params["org"], unread_only=True, priority=params["priority"]
    )
    manager = manager_of(tools, params["owner"])
    tools.escalate_message(message_id=unread[-1]["id"], to=manager, note=f"Escalating: {params['phrase']}.")
    return f"Escalated message {unread[-1]['id']} to {manager}"


def solve_reply_oldest(tools, params):
    waiting = []
    for m in tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"]):
        thread = tools.get_thread(thread_id=m["thread_id"])
        last = thread["messages"][-1]
        if thread["awaits_reply"] and last["folder"] == "Inbox":
            waiting.append((last["received_at"], m["thread_id"]))
    thread_id = min(waiting)[1]
    tools.reply_to_thread(thread_id=thread_id, body=params["text"])
    return f"Replied to thread {thread_id}"


def solve_triage_org(tools, params):
    mine = tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"])
    label_all(tools, params, [m for m in mine if labellable(m, params)])
    answered = set()
    for m in mine:
        if not m["read"]:
            tools.mark_read(message_id=m["id"], read=True)
        if m["thread_id"] not in answered and tools.get_thread(thread_id=m["thread_id"])["awaits_reply"]:
            tools.reply_to_thread(thread_id=m["thread_id"], body=params["text"])
            answered.add(m["thread_id"])
        if m["priority"] == "low":
            tools.move_message(message_id=m["id"], folder="Archive")
    return f"Triaged {len(mine)} messages"


def solve_cleanup_before(tools, params):
    old = [
        m
        for m in tools.search_messages(mailbox=params["owner"], folder="Inbox")
        if m["read"] and m["direction"] == "in" and m["received_at"][:10] < params["before"]
    ]
    stuck = []
    for m in old:
        folder = "Trash" if m["priority"] == "low" else "Archive"
        if movable(tools, m, folder, params):
            tools.move_message(message_id=m["id"], folder=folder)
        elif labellable(m, params):
            stuck.append(m)
    label_all(tools, params, stuck)
    return f"Moved {len(old) - len(stuck)} messages, labelled {len(stuck)}"


def solve_handover(tools, params):
    manager = manager_of(tools, params["owner"])
    threads = {}
    for m in tools.search_messages(mailbox=params["owner"], folder="Inbox", priority="high"):
        if m["thread_id"] not in threads:
            threads[m["thread_id"]] = tools.get_thread(thread_id=m["thread_id"])
    done = 0
    for thread_id, thread in threads.items():
        last = thread["messages"][-1]
        if not (thread["awaits_reply"] and last["priority"] == "high" and last["folder"] == "Inbox"):
            continue
        tools.reply_to_thread(thread_id=thread_id, body=params["text"])
        if not last["escalated"]:
            tools.escalate_message(message_id=last["id"], to=manager, note=f"{params['phrase']} - see thread.")
        for m in thread["messages"]:
            if m["folder"] == "Inbox":
                if not m["read"]:
                    tools.mark_read(message_id=m["id"], read=True)
                tools.move_message(message_id=m["id"], folder="Archive")
        done += 1
    return f"Handled {done} threads"


def solve_route_org(tools, params):
    mine = tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"])
    domain = mine[0]["sender_address"].split("@")[1]
    tools.create_filter(
        mailbox=params["owner"],
        name=params["filter"],
        field="sender_domain",
        value=domain,
        action="move",
        target=params["folder"],
    )
    stuck = []
    for m in mine:
        if movable(tools, m, params["folder"], params):
            tools.move_message(message_id=m["id"], folder=params["folder"])
            tools.mark_read(message_id=m["id"], read=True)
        elif labellable(m, params):
            stuck.append(m)
    label_all(tools, params, stuck)
    return f"Routed {len(mine) - len(stuck)} messages"
