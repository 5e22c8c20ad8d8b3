"""Reports pages (报表): placeholder until the reports engineer fills it in."""
