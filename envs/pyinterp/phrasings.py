"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "reading_lookup": [
        "What {{metric}} did station {{station}} record on {{day}}?",
        "Look up the {{metric}} reading of {{station}} for {{day}}.",
    ],
    "sales_lookup": [
        "How many units of {{line}} did the {{store}} store sell in {{month_name}}?",
        "Units sold by {{store}} in the {{line}} line during {{month_name}}?",
    ],
    "window_mean": [
        "What was the mean {{metric}} at {{station}} from {{start}} to {{end}} inclusive? Round to 2 decimals.",
        "Average the {{metric}} readings of station {{station}} between {{start}} and {{end}} (both included); "
        "give 2 decimals.",
        "Compute {{station}}'s average {{metric}} over {{start}}..{{end}}, rounded to 2 decimals.",
    ],
    "stdev": [
        "What is the sample standard deviation of {{station}}'s daily {{metric}} over the whole month? 2 decimals.",
        "Give the sample standard deviation of the {{metric}} readings at {{station}} across all days, to 2 decimals.",
    ],
    "correlation": [
        "What is the Pearson correlation between {{a}} and {{b}} at station {{station}}? 2 decimals.",
        "Correlate {{a}} with {{b}} over {{station}}'s daily readings (Pearson r, 2 decimals).",
    ],
    "conditional_revenue": [
        "What was the total {{line}} revenue of {{region}} stores, counting only store-months with at least "
        "{{units}} units sold? Give it to the cent.",
        "Sum the {{line}} revenue over all {{region}}-region stores, but only for months in which the store "
        "sold {{units}} or more {{line}} units (to the cent).",
    ],
    "top_store": [
        "Which store had the highest {{line}} revenue in {{quarter}} 2025?",
        "In {{quarter}} of 2025, which store earned the most from {{line}}? Just the store name.",
    ],
    "save_regression": [
        "Fit a least-squares line of extension_mm against load_kg for experiment {{experiment}} and save the "
        'slope as "{{slope_name}}" and the intercept as "{{intercept_name}}", each rounded to 4 decimals.',
        "For test series {{experiment}}, regress extension (mm) on load (kg). Store the slope under "
        '"{{slope_name}}" and the intercept under "{{intercept_name}}" (4 decimals each).',
    ],
    "annotate_outliers": [
        "Flag the {{station}} readings whose {{metric}} lies more than {{k}} sample standard deviations from "
        "that station's monthly mean: annotate each such row of the readings dataset with the label "
        '"outlier".',
        'Annotate as "outlier" every readings row of station {{station}} where {{metric}} is further than '
        "{{k}} standard deviations (n-1) from the station's mean for the month.",
    ],
    "region_report": [
        'For each {{region}} station, save its mean {{metric}} from {{start}} to {{end}} as "<station> mean" '
        '(2 decimals). Then create a report titled "{{title}}" that references those results, and tell me '
        "which station had the highest mean.",
        "Compute the average {{metric}} of every station in the {{region}} region over {{start}}..{{end}}; save "
        'each as "<station name> mean" rounded to 2 decimals, put them all in a report called "{{title}}", '
        "and name the station with the top average.",
    ],
    "store_growth": [
        "For every {{region}} store, compute the {{line}} revenue growth from the first half of 2025 (Jan-Jun) "
        "to the second half (Jul-Dec) in percent. Save the growth of each store above {{threshold}}% as "
        '"<store> growth" (2 decimals) and tell me which stores those are.',
        "Which {{region}} stores grew {{line}} revenue by more than {{threshold}}% from H1 to H2 2025? Save each "
        'such store\'s growth percentage under "<store> growth" (2 decimals) and name those stores.',
    ],
    "forecast": [
        "For every {{region}} store, fit a linear trend to its total monthly revenue (all lines, months 1-12 of "
        '2025) and forecast month 13. Save each forecast as "<store> forecast" (2 decimals). Annotate the '
        'stores rows of stores whose trend slope is negative with the label "declining". Finally create a '
        'report "{{title}}" referencing the forecasts of the stores forecast above {{budget}}, and name the '
        "store with the highest forecast.",
        "Trend analysis for the {{region}} region: per store, regress total monthly 2025 revenue (sum of all "
        'lines) on the month number 1-12 and predict month 13; store each prediction as "<store> forecast" '
        '(2 decimals). Label stores with a falling trend "declining" (annotate their stores row). Then write '
        'a report named "{{title}}" that references only the forecasts above {{budget}}, and tell me which '
        "store's forecast is highest.",
    ],
    "calibration": [
        "Check every {{material}} test series: fit extension_mm against load_kg. Series with R² below "
        '{{r2}} get the annotation "recheck" on their experiments row; for the others save the slope as '
        '"<experiment> slope" (4 decimals). Create a report "{{title}}" referencing the saved slopes and '
        "tell me which accepted series is stiffest (lowest slope).",
        "Calibration review of the {{material}} experiments: regress extension on load for each. If R² < "
        '{{r2}}, annotate the experiment\'s row with "recheck"; otherwise store the slope under '
        '"<experiment> slope" rounded to 4 decimals. Then make a report titled "{{title}}" with the saved '
        "slopes and name the accepted series with the smallest slope.",
    ],
}
