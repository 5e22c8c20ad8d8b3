"""What the tests share and no feature uses: ESC/POS read back, a ticket drawn as a PNG, the
status bytes a printer sends, waiting for a spooler job, a clock that moves only when told."""
