print("tallyd")
