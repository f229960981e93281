print("tally-bench: not built yet")
