"""Social network admin console: users, follows, blocks, groups and memberships, posts with likes and reports,
direct messages and moderation."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import SocialTasks
from .tools import SocialTools
from .world import SocialWorld


class SocialEnv(SocialWorld, SocialTools, SocialTasks, EnvTemplate):
    name = "social"
    version = "2.0.0"
    category = "social network"
    description = (
        "Admin console of a small social network: user profiles with privacy and message settings, "
        "follows and blocks, interest groups with members and admins, posts with likes and reports, "
        "direct messages and moderation. Answer questions about the graph and act on behalf of users "
        "and group admins."
    )
    variants = VariantSpace(
        optional_tools=("search_users", "list_groups", "get_messages"),
        renames={
            "get_followers": ("list_followers",),
            "send_message": ("send_dm", "direct_message"),
            "get_group_posts": ("group_feed",),
        },
        rules={
            "strict_reports": "Stricter reporting rule: a group post may be removed only when it has at least "
            "5 reports.",
            "mutual_dms": "Direct messages may only be sent between users who follow each other, whatever the "
            "recipient's message setting ('nobody' still accepts no one).",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
