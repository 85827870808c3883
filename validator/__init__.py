"""formcheck: a validation rule engine for annual administrative-enforcement statistics returns.

The data flows one way: pack (YAML rules) -> reader (workbook -> Return) -> engine (Findings)
-> reporters. See README.md for the user's view.
"""

__version__ = "0.1.0"
