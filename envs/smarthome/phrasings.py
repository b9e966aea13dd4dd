"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "device_power": [
        "What is the running power draw of the {{device}}, in kW?",
        "How many kilowatts does the {{device}} draw when running?",
    ],
    "hour_cost": [
        "At the tariff, how much does the hour starting at {{hour}}:00 cost with the {{device}} running at full power?",
        "From {{hour}}:00 to {{hour}}:59, what would the {{device}} cost to run at the tariff?",
        "Price out the hour beginning at {{hour}}:00 for the {{device}} at its running power.",
    ],
    "biggest_consumer": [
        "Which device{% if room %} in the {{room}}{% endif %} used the most energy from {{start}} to {{end}}?",
        "Between {{start}} and {{end}} (inclusive), which{% if room %} {{room}}{% endif %} device consumed the "
        "most kWh?",
        "Find the biggest energy consumer{% if room %} in the {{room}}{% endif %} over {{start}} to {{end}}.",
    ],
    "room_cost": [
        "How much did the electricity used in the {{room}} cost on {{date}}?",
        "What was the total energy cost of all {{room}} devices on {{date}}, at the time-of-use tariff?",
    ],
    "peak_kwh": [
        "How many kWh did the {{device}} use during peak hours on {{date}}?",
        "On {{date}}, what was the {{device}}'s consumption in kWh within the peak tariff band?",
    ],
    "schedule_cheapest": [
        "Schedule one run of the {{device}} on {{date}}{% if earliest %}, starting no earlier than "
        "{{earliest}}:00{% endif %}{% if finish_by < 24 %} and finishing by {{finish_by}}:00{% endif %}, at the "
        "lowest possible cost the policy allows.",
        "Book the {{device}} for {{date}}{% if earliest %} (not before {{earliest}}:00{% if finish_by < 24 %}, "
        "done by {{finish_by}}:00{% endif %}){% elif finish_by < 24 %} (done by {{finish_by}}:00){% endif %}. "
        "Pick the cheapest start that is allowed.",
    ],
    "standby_off": [
        "Switch off every device {% if room %}in the {{room}} {% endif %}that is currently in standby"
        "{% if min_w %} and draws at least {{min_w}} W in standby{% endif %}, as far as the policy allows.",
        "Turn off all {% if room %}{{room}} {% endif %}devices sitting in standby{% if min_w %} with a standby "
        "draw of {{min_w}} W or more{% endif %} (leave everything else as it is and respect the policy).",
    ],
    "peak_automations": [
        "Disable every enabled automation that switches a device{% if room %} in the {{room}}{% endif %} on "
        "{% if peak %}during a peak-tariff hour{% else %}at any hour from {{first}}:00 to {{last}}:59{% endif %}.",
        "Find the enabled automations that turn a device{% if room %} in the {{room}}{% endif %} on "
        "{% if peak %}at a peak hour{% else %}between {{first}}:00 and {{last}}:59{% endif %} and disable them.",
    ],
    "move_peak_runs": [
        "Some runs scheduled on {{date}} touch {% if peak %}peak hours{% else %}the hours {{first}}:00 to "
        "{{last}}:59, when the house must stay quiet{% endif %}. Move each of them (same device, same day) so "
        "that it uses none of those hours{% if earliest %} and starts no earlier than {{earliest}}:00 (nobody is "
        "home to load the machines before then){% endif %}, minimising the total cost of the moved runs within "
        "the policy. Leave other runs alone.",
        "Reschedule every run on {{date}} that overlaps {% if peak %}the peak tariff band{% else %}the window "
        "{{first}}:00-{{last}}:59 (we're hosting guests){% endif %} to other start times that day, keeping clear "
        "of {% if peak %}peak hours{% else %}that window{% endif %} entirely{% if earliest %} and not starting "
        "before {{earliest}}:00{% endif %}, with the lowest total cost the policy permits; don't touch the other "
        "runs.",
    ],
    "plan_loads": [
        "Plan one run each of {{devices}} on each of {{dates}}{% if finish_by < 24 %}, every run finishing by "
        "{{finish_by}}:00{% endif %}. Choose start times that the policy allows and that make the total cost "
        "of the new runs as low as possible.",
        "For each day in {{dates}}, schedule a single run of each of these appliances: {{devices}}"
        "{% if finish_by < 24 %} (each must be done by {{finish_by}}:00){% endif %}. Respect the policy and "
        "minimise the combined cost of all the new runs.",
    ],
}
