"""A document corpus about a fictional world: people, companies, cities, products and events, behind a search engine."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import SearchTasks
from .tools import SearchTools
from .world import SearchWorld


class SearchEnv(SearchWorld, SearchTools, SearchTasks, EnvTemplate):
    name = "search"
    version = "2.0.0"
    category = "document research"
    agent_category = "search"
    description = (
        "A research desk over an encyclopedia and news archive about a fictional world of people, "
        "companies, cities, products and events. Search and read documents, bookmark them, keep notes "
        "and cite the documents that support your answers."
    )
    variants = VariantSpace(
        optional_tools=("find_in_document", "list_documents", "list_bookmarks"),
        renames={
            "search": ("search_documents", "query_corpus"),
            "open_document": ("read_document", "get_document"),
            "submit_citation": ("cite_document",),
        },
        rules={
            "profiles_only": "Cite only encyclopedia profiles (kinds person, company, city, product, event), "
            "never news articles.",
            "long_notes": "Every bookmark note must be at least three words long.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
