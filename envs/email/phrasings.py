"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "thread_sender": [
        "Who sent the latest incoming message in the thread '{{subject}}' in {{owner}}'s mailbox?",
        "In {{owner}}'s mail, which contact wrote most recently on '{{subject}}'?",
        "Tell me who last wrote to {{owner}} in the thread titled '{{subject}}'.",
    ],
    "label_count": [
        "How many messages in {{owner}}'s mailbox carry the label '{{label}}'?",
        "Count the messages labelled '{{label}}' in {{owner}}'s mailbox.",
    ],
    "unread_from_org": [
        "How many unread messages from {{org}} are sitting in {{owner}}'s Inbox, received between {{since}} and "
        "{{until}}?",
        "Between {{since}} and {{until}}, how many messages from {{org}} did {{owner}} receive that are still "
        "unread in the Inbox?",
    ],
    "top_sender": [
        "Which contact sent {{owner}} the most messages between {{since}} and {{until}} (any folder)?",
        "Across all folders, who wrote to {{owner}} most often from {{since}} to {{until}}?",
    ],
    "vip_awaiting": [
        "Which threads in {{owner}}'s Inbox from VIP contacts still await a reply? Give their subjects.",
        "List the subjects of the threads where a VIP contact is waiting on {{owner}}: the latest message is "
        "theirs and it sits in the Inbox.",
    ],
    "filter_matches": [
        "How many messages now in {{owner}}'s Inbox match the conditions of the filter '{{filter}}'?",
        "Count the Inbox messages of {{owner}} that match the conditions of their '{{filter}}' filter.",
    ],
    "label_window": [
        "Label every message in {{owner}}'s Inbox from {{org}} received between {{since}} and {{until}} with "
        "'{{label}}', leaving out any the policy does not allow.",
        "Tag {{owner}}'s Inbox mail from {{org}} dated {{since}} to {{until}} as '{{label}}' (create the label "
        "if needed), skipping messages where the policy forbids it.",
    ],
    "archive_old": [
        "Archive every read message in {{owner}}'s Inbox received before {{before}}, leaving in place any the "
        "policy does not let you move.",
        "Move all of {{owner}}'s already-read Inbox messages from before {{before}} to Archive, except those "
        "the policy keeps in the Inbox.",
    ],
    "escalate_latest": [
        "Escalate the most recent unread {{kind}}Inbox message from {{org}} in {{owner}}'s mailbox to the right person, "
        "with a note that mentions '{{phrase}}'.",
        "The newest unread {{kind}}message {{owner}} has from {{org}} in the Inbox needs escalating: send it to whoever "
        "the policy says, noting '{{phrase}}'.",
    ],
    "reply_oldest": [
        "Of the {{org}} threads in {{owner}}'s Inbox that still await a reply, reply '{{text}}' to the one that has "
        "waited longest (its latest message is the oldest).",
        "In {{owner}}'s Inbox, find the longest-waiting {{org}} thread without an answer and reply to it with "
        "'{{text}}'.",
    ],
    "triage_org": [
        "Triage {{owner}}'s Inbox messages from {{org}}: mark each read and label it '{{label}}' where "
        "the policy allows; reply '{{text}}' once to each of their threads that awaits a reply; then archive "
        "the low-priority ones.",
        "For every message from {{org}} in {{owner}}'s Inbox: mark it read, give it the '{{label}}' label "
        "(unless the policy forbids it), and archive it if it is low priority. Each of their threads still "
        "awaiting a reply gets exactly one reply saying '{{text}}'.",
    ],
    "cleanup_before": [
        "Clean up {{owner}}'s Inbox up to {{before}}: every read message received before that date goes to "
        "Trash if it is low priority and to Archive otherwise. Any that the policy keeps from moving stays put "
        "and gets the label '{{label}}' instead, where labelling is allowed.",
        "Tidy {{owner}}'s Inbox: read messages from before {{before}} are trashed when low priority and "
        "archived otherwise; those the policy will not let you move remain in the Inbox labelled '{{label}}' "
        "(if the policy allows the label).",
    ],
    "handover": [
        "{{owner}} is away. For every thread in their Inbox that awaits a reply and whose latest message is "
        "high priority: reply '{{text}}', escalate that latest message to the right person with a note "
        "mentioning '{{phrase}}' unless it was escalated before, mark the thread's Inbox messages read and "
        "archive them.",
        "Cover for {{owner}}: each Inbox thread whose latest, unanswered message is high priority gets a reply "
        "'{{text}}'; its latest message is escalated as the policy prescribes (note: '{{phrase}}'), unless "
        "already escalated; then all of that thread's Inbox messages are marked read and archived.",
    ],
    "route_org": [
        "Set up routing for {{org}} in {{owner}}'s mailbox: create a filter named '{{filter}}' that moves mail "
        "from their domain to '{{folder}}'. Then apply it by hand to the Inbox: move each message from that "
        "domain to '{{folder}}' and mark it read; any the policy keeps from moving stays in the Inbox with its "
        "read flag as it is, and gets the label '{{label}}' where allowed.",
        "Route {{org}} mail for {{owner}}: add a filter '{{filter}}' (sender domain, move to '{{folder}}'), and "
        "do the same for the mail already in the Inbox, marking each moved message read. Messages the policy "
        "does not let you move stay in the Inbox, read or unread as they were, with the label '{{label}}' "
        "(where the policy allows).",
    ],
}
