"""The composition root: the hall server is the core service (queue_core: rules, API, live
feed) with every page (kiosk/, display/, counter/, manager/ and the start page) plugged in.
Nothing below imports this package; tests/test_import_contract.py keeps it so."""
