// Placeholder; replaced by the TallyWire sources.
