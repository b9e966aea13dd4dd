"""A data workspace: sensor, sales and lab datasets, a Python interpreter over them, and stored results."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import PyInterpTasks
from .tools import PyInterpTools
from .world import PyInterpWorld


class PyInterpEnv(PyInterpWorld, PyInterpTools, PyInterpTasks, EnvTemplate):
    name = "pyinterp"
    version = "2.0.0"
    category = "data analysis workspace"
    agent_category = "code_interpreter"
    description = (
        "An analytics workspace with weather-station readings, retail sales and lab tensile tests. Read "
        "the datasets, run Python over them (run_python), and store results, annotations and reports."
    )
    variants = VariantSpace(
        optional_tools=("describe_dataset", "list_results"),
        renames={
            "get_dataset": ("load_dataset", "fetch_dataset"),
            "run_python": ("python", "execute_python"),
            "save_result": ("store_result",),
        },
        rules={
            "fahrenheit": "Temperatures in answers and saved results are stated in degrees Fahrenheit "
            "(F = C x 9/5 + 32); the data stores Celsius.",
            "cite_sources": "Every saved result must name, in its sources, the datasets it was computed from.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
