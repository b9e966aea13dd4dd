"""Email triage: a studio's mailboxes, contacts, folders, labels, threads of messages, filters and escalations."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import EmailTasks
from .tools import EmailTools
from .world import LABEL_LIMIT, EmailWorld


class EmailEnv(EmailWorld, EmailTools, EmailTasks, EnvTemplate):
    name = "email"
    version = "2.0.0"
    category = "email triage"
    description = (
        "The shared email system of Kestrel Hollow Studio: staff mailboxes with folders (Inbox, Archive, "
        "Trash, Sent and custom ones), labels, threads of incoming and sent messages with priorities, "
        "read flags and dates, external contacts (some VIP), filter rules and escalations to managers. "
        "Look up mail, then label, move, reply to and escalate it."
    )
    variants = VariantSpace(
        optional_tools=("list_filters", "list_contacts", "remove_label"),
        renames={
            "search_messages": ("find_messages", "query_mail"),
            "move_message": ("file_message",),
            "add_label": ("tag_message", "apply_label"),
        },
        rules={
            "label_limit": f"A message may carry at most {LABEL_LIMIT} labels.",
            "vip_keep": "Messages from VIP contacts may never be moved to Trash.",
            "escalate_high_only": "Only high-priority messages may be escalated.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
